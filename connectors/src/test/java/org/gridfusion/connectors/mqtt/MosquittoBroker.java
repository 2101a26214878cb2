package org.gridfusion.connectors.mqtt;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gridfusion.embedded.FreePorts;
import org.gridfusion.testkit.Await;

/**
 * A Mosquitto broker started by a test as its own child process, with a configuration the test
 * writes, on a free loopback port.
 *
 * <p>Why not the machine's Mosquitto at {@code 127.0.0.1:1883} (which {@code .ci/run} starts with
 * {@code /etc/mosquitto/mosquitto.conf})? That configuration keeps Mosquitto's defaults of {@code
 * max_queued_messages 1000} and {@code max_inflight_messages 20} per client. Messages beyond the
 * queue limit are <em>dropped</em> by the broker, both for an offline persistent session and for a
 * connected client that is slower than its publishers, so a bridge that is down (or behind) for
 * more than 1,000 readings loses readings the broker already acknowledged to the sensors. Measured
 * against that broker: of 10,000 readings with the bridge killed after 3,000, 1,020 reached Kafka
 * (20 in flight + 1,000 queued); with the bridge connected throughout but the 10,000 published in a
 * burst faster than it forwards, 2,581 did. No bridge can fix that; only the broker's configuration
 * can, and the machine's file must not be edited by a test. The configuration written here is the
 * one the README recommends, minus persistence: the broker process lives only as long as the test.
 *
 * <p>Assumption: a {@code mosquitto} binary (2.0 or later) is installed. Without it the test fails
 * with a message saying how to get it, rather than being skipped.
 */
final class MosquittoBroker implements AutoCloseable {
  private static final List<Path> CANDIDATES =
      List.of(
          Path.of("/usr/sbin/mosquitto"),
          Path.of("/usr/local/sbin/mosquitto"),
          Path.of("/usr/bin/mosquitto"));

  private final Process process;
  private final int port;
  private final Path log;

  private MosquittoBroker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a broker with its configuration and log in {@code dir}.
   *
   * @param maxInflight Mosquitto's {@code max_inflight_messages}: how many QoS 1 messages it sends
   *     a client before waiting for PUBACKs; for the bridge this is the window of readings waiting
   *     on Kafka
   */
  static MosquittoBroker start(Path dir, int maxInflight) {
    Path binary = binary();
    int port = FreePorts.find();
    try {
      Files.createDirectories(dir);
      Path conf = dir.resolve("mosquitto-" + port + ".conf");
      Path log = dir.resolve("mosquitto-" + port + ".log");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "listener " + port + " 127.0.0.1",
              "allow_anonymous true",
              // The process dies with the test; production keeps persistence on (see the README).
              "persistence false",
              // 0 = no limit: a reading acknowledged to its sensor must wait for the bridge,
              // however long.
              "max_queued_messages 0",
              "max_inflight_messages " + maxInflight,
              "log_dest stderr",
              "log_type error",
              "log_type warning",
              "log_type notice",
              ""),
          StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(binary.toString(), "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      MosquittoBroker broker = new MosquittoBroker(p, port, log);
      // A test JVM that ends without close() (a crash, Ctrl-C) must not leave the broker behind.
      Runtime.getRuntime()
          .addShutdownHook(new Thread(p::destroyForcibly, "mosquitto-" + port + "-stop"));
      broker.awaitListening();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary + " in " + dir, e);
    }
  }

  private static Path binary() {
    for (Path p : CANDIDATES) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "mosquitto");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(
        "no mosquitto binary found (looked in "
            + CANDIDATES
            + " and on PATH). "
            + "These tests need Mosquitto 2.x installed (`apt-get install mosquitto`); CI machines have it and "
            + "`.ci/run` starts the machine's broker. The tests start their own broker from the same binary, "
            + "because the machine's configuration keeps the default max_queued_messages 1000, which drops "
            + "readings while a bridge is down.");
  }

  private void awaitListening() {
    try {
      Await.until(
          "mosquitto listening on port " + port,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "mosquitto exited with " + process.exitValue() + ": " + logText());
            }
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress("127.0.0.1", port), 200);
              return true;
            } catch (IOException e) {
              return false;
            }
          },
          Duration.ofSeconds(15),
          this::logText);
    } catch (AssertionError e) {
      close();
      throw e;
    }
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
