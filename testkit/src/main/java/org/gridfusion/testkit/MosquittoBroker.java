package org.gridfusion.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridfusion.embedded.FreePorts;

/**
 * A Mosquitto broker started by a test as its own child process, with a configuration the test
 * writes, on free loopback ports: the broker a district runs, for the MQTT bridge's tests and for
 * anything that needs a real broker to publish to.
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
 * <p>With {@link Builder#user users}, anonymous clients are refused (a password file hashed by
 * {@code mosquitto_passwd}); with {@link Builder#tls TLS}, a second listener speaks TLS with the
 * given PEM certificate and key.
 *
 * <p>Assumption: {@code mosquitto} (2.0 or later) and {@code mosquitto_passwd} are installed.
 * Without them the test fails with a message saying how to get them, rather than being skipped.
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final List<String> DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin");

  private final Process process;
  private final int port;
  private final int tlsPort;
  private final Path log;

  private MosquittoBroker(Process process, int port, int tlsPort, Path log) {
    this.process = process;
    this.port = port;
    this.tlsPort = tlsPort;
    this.log = log;
  }

  /**
   * Starts a broker with its configuration and log in {@code dir}, anonymous clients allowed.
   *
   * @param maxInflight Mosquitto's {@code max_inflight_messages}: how many QoS 1 messages it sends
   *     a client before waiting for PUBACKs; for the bridge this is the window of readings waiting
   *     on Kafka
   */
  public static MosquittoBroker start(Path dir, int maxInflight) {
    return in(dir).maxInflight(maxInflight).start();
  }

  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  /** What the broker is started with. */
  public static final class Builder {
    private final Path dir;
    private int maxInflight = 1_000;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Path certificate;
    private Path privateKey;
    private int port;

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder maxInflight(int n) {
      this.maxInflight = n;
      return this;
    }

    /** The plain listener's port (default: a free one), e.g. to come back where a client waits. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A user; once any is given, anonymous clients are refused. */
    public Builder user(String name, String password) {
      users.put(name, password);
      return this;
    }

    /** A TLS listener beside the plain one, with this PEM certificate and key. */
    public Builder tls(Path certificatePem, Path privateKeyPem) {
      this.certificate = certificatePem;
      this.privateKey = privateKeyPem;
      return this;
    }

    public MosquittoBroker start() {
      Path binary = binary("mosquitto");
      int[] ports = FreePorts.find(2);
      int port = this.port > 0 ? this.port : ports[0];
      int tlsPort = certificate == null ? -1 : ports[1];
      try {
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        Path log = dir.resolve("mosquitto-" + port + ".log");
        List<String> lines = new ArrayList<>();
        lines.add("per_listener_settings false");
        // Run as root, Mosquitto drops to its own user, which cannot read files under a test
        // directory private to root (a clone in mktemp -d): keep the test broker's user.
        if ("root".equals(System.getProperty("user.name"))) lines.add("user root");
        if (users.isEmpty()) {
          lines.add("allow_anonymous true");
        } else {
          lines.add("allow_anonymous false");
          lines.add("password_file " + passwordFile(dir.resolve("passwords-" + port)));
        }
        // The process dies with the test; production keeps persistence on (see the README).
        lines.add("persistence false");
        // 0 = no limit: a reading acknowledged to its sensor must wait for the bridge, however
        // long.
        lines.add("max_queued_messages 0");
        lines.add("max_inflight_messages " + maxInflight);
        lines.add("log_dest stderr");
        lines.add("log_type error");
        lines.add("log_type warning");
        lines.add("log_type notice");
        lines.add("listener " + port + " 127.0.0.1");
        if (certificate != null) {
          lines.add("listener " + tlsPort + " 127.0.0.1");
          lines.add("certfile " + certificate.toAbsolutePath());
          lines.add("keyfile " + privateKey.toAbsolutePath());
        }
        lines.add("");
        Files.writeString(conf, String.join("\n", lines), StandardCharsets.UTF_8);
        Process p =
            new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        MosquittoBroker broker = new MosquittoBroker(p, port, tlsPort, log);
        // A test JVM that ends without close() (a crash, Ctrl-C) must not leave the broker behind.
        Runtime.getRuntime()
            .addShutdownHook(new Thread(p::destroyForcibly, "mosquitto-" + port + "-stop"));
        broker.awaitListening(port);
        if (tlsPort > 0) broker.awaitListening(tlsPort);
        return broker;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + binary + " in " + dir, e);
      }
    }

    /** Mosquitto 2 reads only hashed passwords: written in clear, then hashed in place. */
    private Path passwordFile(Path file) throws IOException {
      StringBuilder clear = new StringBuilder();
      users.forEach((name, pw) -> clear.append(name).append(':').append(pw).append('\n'));
      Files.writeString(file, clear, StandardCharsets.UTF_8);
      try {
        Process hash =
            new ProcessBuilder(binary("mosquitto_passwd").toString(), "-U", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!hash.waitFor(30, TimeUnit.SECONDS) || hash.exitValue() != 0) {
          throw new IllegalStateException("mosquitto_passwd -U failed: " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hashing the password file", e);
      }
      return file.toAbsolutePath();
    }
  }

  private static Path binary(String name) {
    List<String> dirs = new ArrayList<>(DIRS);
    dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    for (String dir : dirs) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(
        "no "
            + name
            + " binary found (looked in "
            + DIRS
            + " and on PATH). "
            + "These tests need Mosquitto 2.x installed (`apt-get install mosquitto`); CI machines have it and "
            + "`.ci/services.sh` installs it. The tests start their own broker from the same binary, "
            + "because the machine's configuration keeps the default max_queued_messages 1000, which drops "
            + "readings while a bridge is down.");
  }

  private void awaitListening(int onPort) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mosquitto exited with " + process.exitValue() + ": " + logText());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", onPort), 200);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException(
              "mosquitto does not listen on port " + onPort + " after 15 s: " + logText(), e);
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for mosquitto", e);
      }
    }
  }

  /** The plain listener, {@code tcp://127.0.0.1:PORT}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The TLS listener, {@code ssl://127.0.0.1:PORT}; only when started with {@link Builder#tls}. */
  public String tlsUrl() {
    if (tlsPort < 0) throw new IllegalStateException("started without TLS");
    return "ssl://127.0.0.1:" + tlsPort;
  }

  /** The broker process, e.g. to read its CPU time. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  public String logText() {
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
