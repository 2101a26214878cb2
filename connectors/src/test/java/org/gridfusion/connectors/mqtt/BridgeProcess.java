package org.gridfusion.connectors.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
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
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile long forwarded;

  private BridgeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
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
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                BridgeMain.class.getName(),
                mqttUrl,
                clientId,
                kafkaBootstrap,
                topicFilter));
    if (sharedGroup != null) {
      cmd.add(sharedGroup);
    }
    try {
      Files.createDirectories(dir);
      Path log;
      int n = 1;
      do {
        log = dir.resolve(clientId + "-" + n++ + ".log");
      } while (Files.exists(log));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      BridgeProcess bridge = new BridgeProcess(p, log);
      Thread reader = new Thread(bridge::copyOutput, "bridge-output-" + clientId);
      reader.setDaemon(true);
      reader.start();
      return bridge;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a bridge JVM: " + cmd, e);
    }
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("forwarded ")) {
          forwarded = Long.parseLong(line.substring("forwarded ".length()).trim());
          continue;
        }
        if (line.equals("bridge ready")) {
          ready.countDown();
        }
        out.write(line);
        out.write('\n');
        out.flush();
      }
    } catch (IOException | NumberFormatException e) {
      // The child was killed mid-line or the log is gone; nothing more to read.
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
          if (condition.test(forwarded)) return true;
          if (!process.isAlive())
            throw new AssertionError("bridge exited having forwarded " + forwarded + "; " + tail());
          return false;
        },
        timeout,
        () -> "forwarded " + forwarded + "; " + tail());
  }

  /** The last count the child reported. */
  long forwarded() {
    return forwarded;
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
