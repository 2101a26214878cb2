package org.gridfusion.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 3.1.1 broker (Moquette 0.17) run in this JVM, for the sensor feed.
 *
 * <p>Assumptions: anonymous clients are allowed and it listens on 127.0.0.1 only, so it is for
 * local use. Persistence is on ({@code dataDir/mqtt}) so persistent sessions and their QoS 1 queues
 * survive a client reconnect, which the MQTT bridge relies on to lose nothing.
 */
public final class EmbeddedMqtt implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqtt.class);
  private static final String HOST = "127.0.0.1";

  /** Moquette's default (8 KB) is below a batch of sensor readings; 1 MB leaves ample room. */
  private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private final Server server;
  private final int port;
  private final Path dataPath;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedMqtt(Server server, int port, Path dataPath, Duration startupTime) {
    this.server = server;
    this.port = port;
    this.dataPath = dataPath;
    this.startupTime = startupTime;
  }

  /**
   * Starts the broker with its store in {@code dataDir/mqtt}.
   *
   * @param port the listening port, or 0 for a free one
   */
  public static EmbeddedMqtt start(Path dataDir, int port) {
    long t0 = System.nanoTime();
    int actualPort = FreePorts.orFree(port);
    Path dataPath = dataDir.toAbsolutePath().normalize().resolve("mqtt");
    try {
      Files.createDirectories(dataPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create MQTT data dir " + dataPath, e);
    }
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
    p.setProperty(IConfig.PORT_PROPERTY_NAME, String.valueOf(actualPort));
    p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataPath.toString());
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // On by default in 0.17: it phones home with host details from a background thread.
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(MAX_MESSAGE_BYTES));
    Server server = new Server();
    try {
      server.startServer(new MemoryConfig(p));
      // Moquette logs a failed bind and carries on; make that a start failure instead.
      awaitListening(actualPort);
    } catch (IOException | RuntimeException e) {
      try {
        server.stopServer();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("MQTT broker did not start on " + HOST + ":" + actualPort, e);
    }
    Duration took = Timing.since(t0);
    EmbeddedMqtt mqtt = new EmbeddedMqtt(server, actualPort, dataPath, took);
    LOG.info(
        "MQTT (Moquette) ready at {} in {} (data {})", mqtt.url(), Timing.seconds(took), dataPath);
    return mqtt;
  }

  /** {@code tcp://127.0.0.1:PORT}, the form Paho clients take. */
  public String url() {
    return "tcp://" + HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataPath() {
    return dataPath;
  }

  public Duration startupTime() {
    return startupTime;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stopServer();
    LOG.info("MQTT broker at {} stopped", url());
  }

  private static void awaitListening(int port) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 200);
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the MQTT port", ie);
        }
      }
    }
    throw new IOException("nothing listens on " + HOST + ":" + port, last);
  }
}
