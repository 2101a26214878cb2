package org.gridfusion.embedded;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka (KRaft) and optionally Elasticsearch, started together for {@code gridfusion up} and for
 * integration tests.
 *
 * <p>No MQTT broker: sensors publish to GridFusion's own MQTT ingest endpoint (a connector, which
 * acknowledges a reading only once Kafka has it), so the embedded stack holds only what the
 * connectors and the job write to and read from.
 *
 * <p>Elasticsearch starts on its own thread because it is by far the slowest (several seconds
 * against Kafka's two); Kafka starts meanwhile on the caller's thread. If any part fails, the parts
 * already running are stopped before the failure is thrown.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  /**
   * One login for the whole embedded stack when it runs secured: a SCRAM-SHA-512 user of Kafka
   * (whose client listener then takes SASL only) and a superuser of Elasticsearch (which then takes
   * HTTPS and logins only).
   */
  public record Security(String username, String password) {
    @Override
    public String toString() {
      return "user " + username;
    }
  }

  /**
   * What to start.
   *
   * @param dataDir everything is kept below it (kafka/, elasticsearch/)
   * @param kafkaPort Kafka client port, 0 for a free one
   * @param esPort Elasticsearch HTTP port, 0 for a free one
   * @param esHeap Elasticsearch heap such as "512m" (null: 512m)
   * @param esUser user Elasticsearch runs as when this JVM is root (null: gridfusion)
   * @param esDistribution the Elasticsearch integ-test-zip (null: the one in ~/.m2)
   * @param withElasticsearch false to start only Kafka
   * @param bindAddress where Kafka and Elasticsearch listen (null: 127.0.0.1)
   * @param advertisedHost the host clients are given (null: the bind address, or this machine's
   *     name when that is a wildcard)
   * @param security a login for Kafka and Elasticsearch; null for none
   */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int esPort,
      String esHeap,
      String esUser,
      Path esDistribution,
      boolean withElasticsearch,
      String bindAddress,
      String advertisedHost,
      Security security) {
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      bindAddress = bindAddress == null || bindAddress.isBlank() ? "127.0.0.1" : bindAddress;
    }

    /** On 127.0.0.1, without security. */
    public Options(
        Path dataDir,
        int kafkaPort,
        int esPort,
        String esHeap,
        String esUser,
        Path esDistribution,
        boolean withElasticsearch) {
      this(
          dataDir,
          kafkaPort,
          esPort,
          esHeap,
          esUser,
          esDistribution,
          withElasticsearch,
          null,
          null,
          null);
    }

    /** Free ports, 512 MB heap, user gridfusion, Elasticsearch included. */
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, 0, 0, "512m", "gridfusion", null, true);
    }

    /** A copy with a login for Kafka and Elasticsearch. */
    public Options secured(Security login) {
      return new Options(
          dataDir,
          kafkaPort,
          esPort,
          esHeap,
          esUser,
          esDistribution,
          withElasticsearch,
          bindAddress,
          advertisedHost,
          login);
    }
  }

  private final Options options;
  private final EmbeddedKafka kafka;
  private final EmbeddedElasticsearch elasticsearch;
  private boolean closed;

  private EmbeddedStack(Options options, EmbeddedKafka kafka, EmbeddedElasticsearch elasticsearch) {
    this.options = options;
    this.kafka = kafka;
    this.elasticsearch = elasticsearch;
  }

  public static EmbeddedStack start(Options o) {
    long t0 = System.nanoTime();
    Path dataDir = o.dataDir().toAbsolutePath().normalize();
    CompletableFuture<EmbeddedElasticsearch> es = null;
    if (o.withElasticsearch()) {
      EmbeddedElasticsearch.Options eo =
          new EmbeddedElasticsearch.Options(
              dataDir,
              o.esPort(),
              o.esHeap(),
              o.esUser(),
              o.esDistribution(),
              o.bindAddress(),
              o.advertisedHost(),
              o.security() == null
                  ? null
                  : new EmbeddedElasticsearch.Security(
                      o.security().username(), o.security().password()));
      es = new CompletableFuture<>();
      startOnThread(es, eo);
    }
    EmbeddedKafka kafka = null;
    try {
      kafka =
          EmbeddedKafka.start(
              dataDir,
              o.kafkaPort(),
              new EmbeddedKafka.Listener(
                  o.bindAddress(),
                  o.advertisedHost(),
                  o.security() == null
                      ? null
                      : new EmbeddedKafka.Sasl(o.security().username(), o.security().password())));
      EmbeddedElasticsearch elasticsearch = es == null ? null : es.join();
      EmbeddedStack stack = new EmbeddedStack(o, kafka, elasticsearch);
      LOG.info(
          "Embedded stack ready in {}: Kafka {}, Elasticsearch {} (data {})",
          Timing.seconds(Timing.since(t0)),
          stack.bootstrap(),
          elasticsearch == null ? "off" : elasticsearch.url(),
          dataDir);
      return stack;
    } catch (RuntimeException e) {
      RuntimeException failure = unwrap(e);
      closeQuietly(kafka, failure);
      if (es != null) {
        try {
          closeQuietly(es.join(), failure);
        } catch (RuntimeException esFailure) {
          if (unwrap(esFailure) != failure) {
            failure.addSuppressed(unwrap(esFailure));
          }
        }
      }
      throw failure;
    }
  }

  /** A plain thread, not the common pool: the start blocks for seconds on child-process I/O. */
  private static void startOnThread(
      CompletableFuture<EmbeddedElasticsearch> result, EmbeddedElasticsearch.Options eo) {
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(EmbeddedElasticsearch.start(eo));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "gridfusion-es-start");
    t.setDaemon(true);
    t.start();
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** Null when started without Elasticsearch. */
  public EmbeddedElasticsearch elasticsearch() {
    return elasticsearch;
  }

  public String bootstrap() {
    return kafka.bootstrap();
  }

  /** Bootstrap and, when secured, the SASL login: what every Kafka client of this stack needs. */
  public KafkaConnection kafkaConnection() {
    return kafka.connection();
  }

  /** URL and, when secured, login and CA; null when started without Elasticsearch. */
  public ElasticsearchConnection elasticsearchConnection() {
    return elasticsearch == null ? null : elasticsearch.connection();
  }

  /** Null when started without Elasticsearch. */
  public String elasticsearchUrl() {
    return elasticsearch == null ? null : elasticsearch.url();
  }

  public Path dataDir() {
    return options.dataDir().toAbsolutePath().normalize();
  }

  public Options options() {
    return options;
  }

  /** Stops Elasticsearch, then Kafka; logs but never throws failures. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(elasticsearch, null);
    closeQuietly(kafka, null);
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException addTo) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      if (addTo != null) {
        addTo.addSuppressed(e);
      } else {
        LOG.warn("Failed to stop {}: {}", c.getClass().getSimpleName(), e.toString(), e);
      }
    }
  }

  private static RuntimeException unwrap(RuntimeException e) {
    if (e instanceof CompletionException && e.getCause() instanceof RuntimeException cause) {
      return cause;
    }
    return e;
  }
}
