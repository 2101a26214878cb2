package org.gridfusion.testkit;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.embedded.EmbeddedStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives tests the real embedded stack (Kafka KRaft, Elasticsearch).
 *
 * <p>One stack per test JVM: it starts on first use and is shared by every test class of the run,
 * since starting Elasticsearch costs several seconds. It is kept in the root {@link
 * ExtensionContext.Store}, so JUnit closes it when the run ends. Tests get its addresses as an
 * {@link Endpoints} parameter (constructor, {@code @BeforeAll}, test method) or from {@link
 * #endpoints()}.
 *
 * <p>Assumptions: the working directory is the module directory (as under Maven surefire), so the
 * data goes to {@code target/embedded-stack-<timestamp>}; all ports are picked free; tests that
 * share the stack use distinct topic and index names.
 */
public final class EmbeddedStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStackExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedStackExtension.class);
  private static final Object LOCK = new Object();
  private static volatile SharedStack shared;
  private static RuntimeException startFailure;

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Endpoints.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return endpoints(stack(extensionContext));
  }

  /** The endpoints of the shared stack, starting it if no test has yet. */
  public static Endpoints endpoints() {
    return endpoints(stack(null));
  }

  /**
   * Closes {@code dependent} (a pipeline running on the shared stack) before the stack, when the
   * run ends: the newest registered first. A pipeline left to a shutdown hook of its own would stop
   * after Kafka and Elasticsearch are gone, and wait out its savepoint timeout on them.
   */
  public static void closeBeforeStack(AutoCloseable dependent) {
    SharedStack s = shared;
    if (s == null) throw new IllegalStateException("no shared embedded stack is running");
    s.dependents.push(dependent);
  }

  /** The shared stack's Kafka, for tests that stop and restart the broker. */
  public static EmbeddedKafka kafka() {
    return stack(null).kafka();
  }

  private static Endpoints endpoints(EmbeddedStack stack) {
    return new Endpoints(stack.bootstrap(), stack.elasticsearchUrl(), stack.dataDir());
  }

  /**
   * Starts the stack once. Within JUnit it is registered in the root store so it is closed at the
   * end of the run; a caller without a context (a static helper) falls back to a shutdown hook.
   */
  private static EmbeddedStack stack(ExtensionContext context) {
    SharedStack s = shared;
    if (s == null) {
      synchronized (LOCK) {
        if (startFailure != null) {
          // Every test class would otherwise wait out the same failing start again.
          throw new IllegalStateException(
              "the embedded stack failed to start earlier in this test JVM", startFailure);
        }
        s = shared;
        if (s == null) {
          try {
            s = new SharedStack(start());
          } catch (RuntimeException e) {
            startFailure = e;
            throw e;
          }
          shared = s;
        }
      }
    }
    SharedStack current = s;
    if (context != null) {
      // Idempotent: the first registration wins; later ones return it.
      context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(SharedStack.class, k -> current, SharedStack.class);
    } else {
      current.ensureShutdownHook();
    }
    return current.stack;
  }

  private static EmbeddedStack start() {
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    Path dataDir = Path.of("").toAbsolutePath().resolve("target").resolve("embedded-stack-" + ts);
    LOG.info("Starting the shared embedded stack for this test JVM in {}", dataDir);
    return EmbeddedStack.start(
        new EmbeddedStack.Options(dataDir, 0, 0, "512m", "gridfusion", null, true));
  }

  /**
   * The store value. JUnit 5.13 closes {@link AutoCloseable} store values and deprecates {@link
   * ExtensionContext.Store.CloseableResource}; implementing both keeps older and newer JUnit
   * closing it, and {@link EmbeddedStack#close} is idempotent.
   */
  @SuppressWarnings("deprecation")
  private static final class SharedStack
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    final EmbeddedStack stack;
    final Deque<AutoCloseable> dependents = new ConcurrentLinkedDeque<>();
    private boolean hooked;

    SharedStack(EmbeddedStack stack) {
      this.stack = stack;
    }

    synchronized void ensureShutdownHook() {
      if (!hooked) {
        hooked = true;
        Runtime.getRuntime()
            .addShutdownHook(new Thread(stack::close, "gridfusion-testkit-stack-close"));
      }
    }

    @Override
    public void close() {
      synchronized (LOCK) {
        if (shared == this) {
          shared = null;
        }
      }
      for (AutoCloseable d; (d = dependents.poll()) != null; ) {
        try {
          d.close();
        } catch (Exception e) {
          LOG.warn("Error closing {} before the shared embedded stack", d, e);
        }
      }
      LOG.info("Closing the shared embedded stack");
      stack.close();
    }
  }
}
