package org.gridfusion.connectors.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.gridfusion.connectors.ChildJvm;
import org.gridfusion.testkit.Await;

/**
 * A {@link MqttBridge} running in a child JVM ({@link BridgeMain}), so that a test can kill it the
 * way a machine failure or {@code kill -9} would: SIGKILL, no shutdown hooks, no disconnect, no
 * flush. The child uses this JVM's {@code java} and class path.
 *
 * <p>The child's output is copied to {@code <dir>/<clientId>-<n>.log} and parsed for its {@code
 * bridge ready} and {@code forwarded N} lines.
 */
final class BridgeProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final CountDownLatch ready;
  private final AtomicLong forwarded;

  private BridgeProcess(Process process, Path log, CountDownLatch ready, AtomicLong forwarded) {
    this.process = process;
    this.log = log;
    this.ready = ready;
    this.forwarded = forwarded;
  }

  /**
   * Starts the child; {@code sharedGroup} may be null. Call {@link #awaitReady} before publishing.
   */
  static BridgeProcess start(
      Path dir,
      String mqttUrl,
      String clientId,
      String kafkaBootstrap,
      String topicFilter,
      String sharedGroup) {
    List<String> args = new ArrayList<>(List.of(mqttUrl, clientId, kafkaBootstrap, topicFilter));
    if (sharedGroup != null) {
      args.add(sharedGroup);
    }
    try {
      Files.createDirectories(dir);
      Path log;
      int n = 1;
      do {
        log = dir.resolve(clientId + "-" + n++ + ".log");
      } while (Files.exists(log));
      CountDownLatch ready = new CountDownLatch(1);
      AtomicLong forwarded = new AtomicLong();
      Process p =
          ChildJvm.start(
              BridgeMain.class,
              args,
              log,
              line -> {
                if (line.startsWith("forwarded ")) {
                  forwarded.set(Long.parseLong(line.substring("forwarded ".length()).trim()));
                  return true;
                }
                if (line.equals("bridge ready")) ready.countDown();
                return false;
              });
      return new BridgeProcess(p, log, ready, forwarded);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a bridge JVM for " + clientId, e);
    }
  }

  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.await(100, TimeUnit.MILLISECONDS)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "bridge JVM exited with " + process.exitValue() + " before it was ready; " + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("bridge JVM not ready after " + timeout + "; " + tail());
      }
    }
  }

  /** Waits until the reported count of readings Kafka acknowledged satisfies {@code condition}. */
  void awaitForwarded(LongPredicate condition, Duration timeout) {
    Await.until(
        "the bridge's forwarded count as expected",
        () -> {
          if (condition.test(forwarded.get())) return true;
          if (!process.isAlive())
            throw new AssertionError("bridge exited having forwarded " + forwarded + "; " + tail());
          return false;
        },
        timeout,
        () -> "forwarded " + forwarded + "; " + tail());
  }

  /** The last count the child reported. */
  long forwarded() {
    return forwarded.get();
  }

  /**
   * SIGKILL on Linux (no shutdown hooks run, no MQTT DISCONNECT is sent); waits until it is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "bridge JVM " + process.pid() + " still alive 30 s after SIGKILL");
    }
  }

  /** The end of the child's log, for failure messages. */
  String tail() {
    try {
      List<String> lines =
          Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
      return "bridge log "
          + log
          + " ends with:\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "bridge log " + log + " unreadable: " + e;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
