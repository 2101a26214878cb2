package org.gridfusion.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.2 cluster in KRaft combined mode (broker and controller in one node), run
 * in this JVM with Kafka's own server classes.
 *
 * <p>Assumptions: one node, so every internal topic has replication factor 1; the client listener
 * binds to the given address (127.0.0.1 unless told otherwise) and the controller listener to
 * 127.0.0.1 always (only this node talks to it); the log directory {@code dataDir/kafka} belongs to
 * this node alone. An existing, formatted log directory is reused so a restarted stack keeps its
 * topics and data. The controller quorum is static ({@code controller.quorum.voters}) rather than
 * dynamic, so a restart on different ports (port 0 picks new ones) still finds its quorum.
 *
 * <p>With {@link Sasl} the client listener is {@code SASL_PLAINTEXT} with SCRAM-SHA-512 only: a
 * client without the user's credentials is refused. The user's SCRAM credential is written into the
 * cluster metadata when the log directory is formatted (as {@code kafka-storage format --add-scram}
 * does), so a log directory formatted without it cannot be switched to SASL later.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final String SASL_MARKER = "gridfusion-scram-user";

  /** The one SCRAM-SHA-512 user of a SASL broker (also the broker's own inter-broker login). */
  public record Sasl(String username, String password) {
    public Sasl {
      if (!username.matches("[A-Za-z0-9_.-]+") || !password.matches("[A-Za-z0-9_.-]{8,}")) {
        // Kept to characters that need no quoting in the formatter's and JAAS's syntax.
        throw new IllegalArgumentException(
            "SASL user and password: letters, digits, _ . - only (password at least 8)");
      }
    }

    @Override
    public String toString() {
      return "SCRAM-SHA-512 user " + username;
    }
  }

  /**
   * Where and how the broker listens.
   *
   * @param bindAddress the client listener's address (0.0.0.0 for every interface)
   * @param advertisedHost what clients are told to connect to (null: the bind address, or this
   *     machine's name when that is a wildcard)
   * @param sasl SCRAM-SHA-512 on the client listener; null for PLAINTEXT
   */
  public record Listener(String bindAddress, String advertisedHost, Sasl sasl) {
    public static Listener loopback() {
      return new Listener(LOOPBACK, null, null);
    }

    String advertised() {
      if (advertisedHost != null && !advertisedHost.isBlank()) return advertisedHost;
      return isWildcard(bindAddress) ? Certificates.localHostName() : bindAddress;
    }
  }

  static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
  }

  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Listener listener;
  private KafkaRaftServer server;
  private Duration startupTime = Duration.ZERO;

  private EmbeddedKafka(Path logDir, int port, int controllerPort, Listener listener) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.listener = listener;
  }

  /**
   * Starts a broker whose data lives in {@code dataDir/kafka}; returns once it answers an Admin
   * request.
   *
   * @param port the client port, or 0 for a free one (the controller port is always picked free)
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Listener.loopback());
  }

  /** As {@link #start(Path, int)}, listening as {@code listener} says. */
  public static EmbeddedKafka start(Path dataDir, int port, Listener listener) {
    int[] free = FreePorts.find(2);
    int clientPort = port == 0 ? free[0] : port;
    int controllerPort = free[1] == clientPort ? FreePorts.find() : free[1];
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            dataDir.toAbsolutePath().normalize().resolve("kafka"),
            clientPort,
            controllerPort,
            listener);
    kafka.startServer();
    return kafka;
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrap() {
    return hostForUrl(listener.advertised()) + ":" + port;
  }

  /** The client settings this broker needs: bootstrap, and the SASL login when it has one. */
  public KafkaConnection connection() {
    KafkaConnection plain = KafkaConnection.plaintext(bootstrap());
    if (listener.sasl() == null) return plain;
    Config c =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, bootstrap())
            .with(GridFusionOptions.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
            .with(GridFusionOptions.KAFKA_SASL_MECHANISM, "SCRAM-SHA-512")
            .with(GridFusionOptions.KAFKA_SASL_USERNAME, listener.sasl().username())
            .with(GridFusionOptions.KAFKA_SASL_PASSWORD, listener.sasl().password());
    return KafkaConnection.from(c, "for the embedded broker");
  }

  /** The SCRAM user, or null for a PLAINTEXT broker. */
  public Sasl sasl() {
    return listener.sasl();
  }

  static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /** How long the last start took, until the broker answered. */
  public synchronized Duration startupTime() {
    return startupTime;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Starts the broker again on the same ports and log directory, stopping it first if needed. */
  public synchronized void restart() {
    if (server != null) {
      stop();
    }
    startServer();
  }

  /** Shuts the broker down cleanly and waits for it; a stopped broker may be {@link #restart}ed. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    long t0 = System.nanoTime();
    KafkaRaftServer s = server;
    server = null;
    s.shutdown();
    s.awaitShutdown();
    LOG.info("Kafka (KRaft) at {} stopped in {}", bootstrap(), Timing.seconds(Timing.since(t0)));
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    long t0 = System.nanoTime();
    KafkaConfig config = new KafkaConfig(serverProperties(), false);
    formatIfNeeded();
    KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      s.startup();
      awaitReady();
    } catch (RuntimeException e) {
      // A half-started server holds ports, threads and the log-dir lock; release them.
      try {
        s.shutdown();
        s.awaitShutdown();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("Kafka did not start at " + bootstrap() + ": " + e, e);
    }
    server = s;
    startupTime = Timing.since(t0);
    LOG.info(
        "Kafka (KRaft) ready at {} in {} (listening on {}, {}; controller port {}, log dir {})",
        bootstrap(),
        Timing.seconds(startupTime),
        listener.bindAddress(),
        listener.sasl() == null ? "PLAINTEXT" : "SASL_PLAINTEXT, " + listener.sasl(),
        controllerPort,
        logDir);
  }

  private Properties serverProperties() {
    Properties p = new Properties();
    String client = listener.sasl() == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    p.put(
        "listeners",
        client
            + "://"
            + hostForUrl(listener.bindAddress())
            + ":"
            + port
            + ",CONTROLLER://"
            + LOOPBACK
            + ":"
            + controllerPort);
    p.put("advertised.listeners", client + "://" + bootstrap());
    p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", client);
    if (listener.sasl() != null) {
      p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
      p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
      // The broker's own connections to itself (transaction markers) log in as the same user.
      p.put(
          "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + listener.sasl().username()
              + "\" password=\""
              + listener.sasl().password()
              + "\";");
    }
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // With one broker, the defaults (3) would leave the internal topics uncreatable.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer partitions than the defaults (50) make the first consumer group and the first
    // transaction come up in well under a second on a laptop; throughput is not the point here.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.num.partitions", "5");
    // Flink's exactly-once sink asks for transaction timeouts up to 15 min; the default cap is 15.
    p.put("transaction.max.timeout.ms", String.valueOf(TimeUnit.HOURS.toMillis(1)));
    // The cleaner preallocates this on the heap (128 MB by default) for the one compacted topic.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    return p;
  }

  private void formatIfNeeded() {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      if (listener.sasl() != null && !scramUserIs(listener.sasl().username())) {
        throw new IllegalStateException(
            "the Kafka log dir "
                + logDir
                + " was formatted without SCRAM user '"
                + listener.sasl().username()
                + "' (a stack first started without security); use a new data directory");
      }
      LOG.info("Kafka log dir {} already formatted; reusing its data", logDir);
      return;
    }
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka log dir " + logDir, e);
    }
    // The Formatter narrates to System.out; keep that out of the console and in the debug log.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String clusterId = Uuid.randomUuid().toString();
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      Formatter f =
          new Formatter()
              .setPrintStream(ps)
              .setNodeId(NODE_ID)
              .setClusterId(clusterId)
              .setControllerListenerName("CONTROLLER")
              .setMetadataLogDirectory(logDir.toString())
              .addDirectory(logDir.toString());
      if (listener.sasl() != null) {
        f.setScramArguments(
            List.of(
                "SCRAM-SHA-512=[name="
                    + listener.sasl().username()
                    + ",password="
                    + listener.sasl().password()
                    + "]"));
      }
      f.run();
      if (listener.sasl() != null) {
        Files.writeString(logDir.resolve(SASL_MARKER), listener.sasl().username() + "\n");
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka log dir " + logDir + ": " + e, e);
    }
    LOG.info("Formatted Kafka log dir {} (cluster id {})", logDir, clusterId);
    LOG.debug("Formatter output: {}", out.toString(StandardCharsets.UTF_8).trim());
  }

  private boolean scramUserIs(String user) {
    try {
      return Files.readString(logDir.resolve(SASL_MARKER)).trim().equals(user);
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitReady() {
    Properties p = connection().properties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gridfusion-embedded-readiness");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        Collection<Node> nodes =
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no broker registered after " + READY_TIMEOUT);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer describeCluster: " + e, e);
    }
  }
}
