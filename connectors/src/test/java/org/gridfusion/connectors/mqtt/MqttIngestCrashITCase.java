package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.ChildJvm;
import org.gridfusion.embedded.FreePorts;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contract §2.2 for GridFusion's own endpoint: killed at any moment, it loses no reading it
 * acknowledged. The endpoint runs in a child JVM ({@link MqttIngestMain}) and is killed with
 * SIGKILL while a sensor streams QoS 1 readings with hundreds awaiting PUBACK, so readings are in
 * every state at once (acknowledged; in Kafka but not yet acknowledged; handed to the producer;
 * read but not sent; in socket buffers). A second endpoint is started on the same port, and the
 * sensor sends again every reading it holds no PUBACK for, as a sensor with a clean session does
 * after a reconnect. Then every reading the first endpoint acknowledged must be in {@code
 * gf.raw.sensor}, and so must every reading at all. Duplicates are allowed (the job removes them by
 * record id); their number is logged.
 */
@ExtendWith(EmbeddedStackExtension.class)
class MqttIngestCrashITCase {
  private static final Logger LOG = LoggerFactory.getLogger(MqttIngestCrashITCase.class);
  private static final int READINGS = 6_000;
  private static final int WINDOW = 500;

  @Test
  @Timeout(240)
  void anEndpointKilledWithSigkillLosesNoAcknowledgedReading(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String run = Long.toString(System.currentTimeMillis(), 36);
    String device = "EP-CRASH-" + run;
    long t0 = Instant.now().toEpochMilli() - 60_000;
    int port = FreePorts.find();
    String url = "tcp://127.0.0.1:" + port;
    Path logs = e.dataDir().resolve("mqtt-endpoint-crash");

    BitSet ackedByFirst;
    long storedBeforeKill;
    int sentBeforeKill;
    try (EndpointProcess first = EndpointProcess.start(logs, "first", e.kafkaBootstrap(), port)) {
      first.awaitReady();
      Sensor sensor = Sensor.connect(url, "ep-crash-" + run, device, t0);
      Thread stream = new Thread(() -> sensor.stream(0, READINGS), "crash-sensor");
      stream.start();
      // Kill once Kafka has taken a good share, while hundreds are still awaiting PUBACK.
      first.awaitStored(READINGS / 4);
      first.kill();
      storedBeforeKill = first.stored();
      stream.join(TimeUnit.SECONDS.toMillis(60));
      sentBeforeKill = sensor.sent();
      ackedByFirst = sensor.acknowledged();
      sensor.close();
    }
    assertThat(ackedByFirst.cardinality())
        .as("readings acknowledged before the kill")
        .isPositive()
        .isLessThan(READINGS);

    try (EndpointProcess second = EndpointProcess.start(logs, "second", e.kafkaBootstrap(), port)) {
      second.awaitReady();
      Sensor sensor = Sensor.connect(url, "ep-crash-" + run, device, t0);
      sensor.resendAllBut(ackedByFirst, READINGS);
      sensor.awaitAll(READINGS);
      sensor.close();
    }

    DistinctReadings inKafka = new DistinctReadings(device, READINGS);
    KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(60));
    BitSet stored = new BitSet();
    inKafka.timestamps().forEach(ts -> stored.set((int) (ts - t0)));
    BitSet lost = (BitSet) ackedByFirst.clone();
    lost.andNot(stored);
    assertThat(lost.cardinality()).as("acknowledged readings missing from Kafka: " + lost).isZero();
    assertThat(inKafka.timestamps()).hasSize(READINGS);
    LOG.info(
        "Endpoint killed with {} readings sent, {} acknowledged and {} stored by Kafka; after the"
            + " restart all {} readings are in Kafka, {} of them twice (sent again without a PUBACK)",
        sentBeforeKill,
        ackedByFirst.cardinality(),
        storedBeforeKill,
        READINGS,
        inKafka.copies() - READINGS);
  }

  /**
   * A sensor with a clean session and up to {@value #WINDOW} QoS 1 readings awaiting PUBACK, which
   * remembers which readings were acknowledged (reading {@code i} has {@code ts = t0 + i}).
   */
  private static final class Sensor {
    private final MqttAsyncClient client;
    private final String topic;
    private final long t0;
    private final Semaphore window = new Semaphore(WINDOW);
    private final BitSet acked = new BitSet();
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile int sent;

    private Sensor(MqttAsyncClient client, String device, long t0) {
      this.client = client;
      this.topic = "gf/sensors/NOISE/" + device;
      this.t0 = t0;
    }

    static Sensor connect(String url, String clientId, String device, long t0)
        throws MqttException {
      MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
      MqttConnectOptions o = MqttIngestServerITCase.credentials();
      o.setCleanSession(true);
      o.setMaxInflight(WINDOW + 10);
      c.connect(o).waitForCompletion(15_000);
      return new Sensor(c, device, t0);
    }

    /** Publishes readings {@code from..to-1} until done or the connection is lost. */
    void stream(int from, int to) {
      for (int i = from; i < to && !lost.get(); i++) {
        if (!publish(i)) return;
        sent = i + 1;
      }
    }

    /**
     * Sends every reading below {@code n} not in {@code done}; {@code done} counts as acknowledged.
     */
    void resendAllBut(BitSet done, int n) {
      synchronized (acked) {
        acked.or(done);
      }
      for (int i = done.nextClearBit(0); i < n; i = done.nextClearBit(i + 1)) {
        if (!publish(i)) throw new AssertionError("the second endpoint dropped the connection");
      }
    }

    private boolean publish(int i) {
      try {
        if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
          throw new AssertionError("no PUBACK for 60 s");
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return false;
      }
      byte[] payload =
          ("{\"ts\":" + (t0 + i) + ",\"value\":" + (40 + i % 30) + ".5}")
              .getBytes(StandardCharsets.UTF_8);
      try {
        client.publish(
            topic,
            payload,
            1,
            false,
            null,
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                synchronized (acked) {
                  acked.set(i);
                }
                window.release();
              }

              @Override
              public void onFailure(IMqttToken token, Throwable error) {
                lost.set(true);
                window.release();
              }
            });
        return true;
      } catch (MqttException ex) {
        // The endpoint is gone: this reading was never sent.
        lost.set(true);
        window.release();
        return false;
      }
    }

    int sent() {
      return sent;
    }

    BitSet acknowledged() {
      synchronized (acked) {
        return (BitSet) acked.clone();
      }
    }

    void awaitAll(int n) {
      Await.until(
          n + " readings acknowledged",
          () -> acknowledged().cardinality() >= n,
          Duration.ofSeconds(60),
          () -> acknowledged().cardinality() + " of " + n + " acknowledged");
    }

    void close() {
      try {
        if (client.isConnected()) client.disconnect(2_000).waitForCompletion(5_000);
        client.close(true);
      } catch (MqttException ex) {
        LOG.debug("sensor close", ex);
      }
    }
  }

  /** The endpoint in a child JVM, this JVM's java and class path. */
  private static final class EndpointProcess implements AutoCloseable {
    private final Path log;
    private Process process;
    private volatile boolean ready;
    private volatile long stored;

    private EndpointProcess(Path log) {
      this.log = log;
    }

    static EndpointProcess start(Path dir, String name, String kafka, int port) throws IOException {
      Files.createDirectories(dir);
      Path log = dir.resolve(name + "-" + port + ".log");
      EndpointProcess ep = new EndpointProcess(log);
      ep.process =
          ChildJvm.start(
              MqttIngestMain.class,
              List.of(
                  kafka,
                  String.valueOf(port),
                  MqttIngestServerITCase.USER + ":" + MqttIngestServerITCase.PASSWORD),
              log,
              ep::take);
      return ep;
    }

    /** The child's {@code stored N} lines are counts, kept out of the log. */
    private boolean take(String line) {
      if (line.startsWith("stored ")) {
        stored = Long.parseLong(line.substring("stored ".length()).trim());
        return true;
      }
      if (line.startsWith("endpoint ready")) ready = true;
      return false;
    }

    void awaitReady() {
      await(() -> ready, "ready");
    }

    void awaitStored(long n) {
      await(() -> stored >= n, "stored " + n);
    }

    /** Waits for {@code condition}; fails at once, with the log, if the JVM is gone. */
    private void await(BooleanSupplier condition, String what) {
      Await.until(
          "endpoint JVM " + what,
          () -> {
            if (condition.getAsBoolean()) return true;
            if (!process.isAlive()) {
              throw new AssertionError(
                  "endpoint JVM exited, not " + what + "; log " + log + ":\n" + tail());
            }
            return false;
          },
          Duration.ofSeconds(60),
          () -> "log " + log + ":\n" + tail());
    }

    long stored() {
      return stored;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no DISCONNECT
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("endpoint JVM still alive 30 s after SIGKILL");
      }
    }

    private String tail() {
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException ex) {
        return "(unreadable: " + ex + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
