package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contract §2.2 under failure: "a bridge killed at any moment loses no acknowledged reading", and a
 * Kafka outage loses none either.
 *
 * <p>The bridge runs in a child JVM and is killed with SIGKILL while it is forwarding, so readings
 * are in every state at once: sent to Kafka and acknowledged to the broker, sent to Kafka but not
 * yet acknowledged, received but not sent, and still queued at the broker. Readings published while
 * it is dead wait in its persistent session. Each run uses its own client id and device, so
 * leftovers of an earlier run (the embedded broker keeps sessions on disk) cannot make it pass.
 *
 * <p>The broker is Mosquitto (what districts run) in a process this class starts, configured with
 * {@code max_queued_messages 0}: the defaults of the machine's broker drop everything past 1,000
 * queued readings (see {@link MosquittoBroker}). GridFusion's own endpoint has its kill test in
 * {@code MqttIngestCrashITCase}.
 *
 * <p>The Kafka outage case stops the shared embedded Kafka under a running bridge and restarts it
 * in a {@code finally}, since other test classes of this JVM use the same broker.
 */
@ExtendWith(EmbeddedStackExtension.class)
class BridgeCrashITCase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeCrashITCase.class);
  private static final int READINGS = 10_000;
  private static final int PUBLISHED_BEFORE_KILL = 3_000;

  /** The bridge's default {@code mqtt.maxInflight}, also given to Mosquitto. */
  private static final int INFLIGHT = 1_000;

  private static MosquittoBroker mosquitto;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @BeforeAll
  static void createTopics(Endpoints e) {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
  }

  @AfterEach
  void closeWhatTheTestOpened() {
    // Also after a failure: a bridge JVM left running would keep consuming the next test's session.
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception ex) {
        LOG.warn("closing after the test failed: {}", ex.toString());
      }
    }
  }

  @AfterAll
  static void stopMosquitto() {
    if (mosquitto != null) {
      mosquitto.close();
      mosquitto = null;
    }
  }

  private static String mosquitto(Endpoints e) {
    if (mosquitto == null) {
      mosquitto = MosquittoBroker.start(e.dataDir().resolve("mosquitto"), INFLIGHT);
    }
    return mosquitto.url();
  }

  private <T extends AutoCloseable> T opened(T resource) {
    opened.push(resource);
    return resource;
  }

  @Test
  @Timeout(240)
  void aBridgeKilledWithSigkillLosesNoReading(Endpoints e) throws Exception {
    long started = System.nanoTime();
    String run = "mosquitto-" + Long.toString(System.currentTimeMillis(), 36);
    String device = "CRASH-" + run;
    String clientId = "gf-crash-bridge-" + run;
    String filter = "gf/sensors/NOISE/" + device;
    String mqtt = mosquitto(e);
    Path logs = e.dataDir().resolve("bridge-crash");
    long t0 = Instant.now().toEpochMilli() - 60_000;

    BridgeProcess first =
        opened(BridgeProcess.start(logs, mqtt, clientId, e.kafkaBootstrap(), filter, null));
    first.awaitReady(Duration.ofSeconds(60));
    ReadingPublisher sensors =
        opened(ReadingPublisher.connect(mqtt, "gf-crash-sensors-" + run, device, t0));
    sensors.publish(0, PUBLISHED_BEFORE_KILL);
    // Kill as soon as Kafka acknowledged anything: most of the 3,000 are then in flight or queued.
    first.awaitForwarded(n -> n > 0, Duration.ofSeconds(60));
    first.kill();
    long forwardedBeforeKill = first.forwarded();

    sensors.publish(PUBLISHED_BEFORE_KILL, READINGS);
    sensors.awaitAcknowledged(Duration.ofSeconds(60));
    BridgeProcess second =
        opened(BridgeProcess.start(logs, mqtt, clientId, e.kafkaBootstrap(), filter, null));
    second.awaitReady(Duration.ofSeconds(60));

    DistinctReadings inKafka = new DistinctReadings(device, READINGS);
    try {
      KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(120));
    } catch (AssertionError timeout) {
      throw new AssertionError(
          inKafka.timestamps().size()
              + " of "
              + READINGS
              + " distinct readings in Kafka, "
              + "missing e.g. "
              + missing(inKafka.timestamps(), t0).stream().limit(10).toList()
              + " (ts - t0); "
              + "the first bridge had forwarded "
              + forwardedBeforeKill
              + " when killed; "
              + second.tail(),
          timeout);
    }
    assertThat(inKafka.timestamps())
        .hasSize(READINGS)
        .allMatch(ts -> ts >= t0 && ts < t0 + READINGS);
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(
        "Mosquitto: bridge killed after forwarding {}; all {} readings in Kafka ({} records with "
            + "duplicates) {} s after start",
        forwardedBeforeKill,
        READINGS,
        inKafka.copies(),
        String.format("%.1f", seconds));
  }

  @Test
  @Timeout(240)
  void readingsWaitAtTheBrokerWhileKafkaIsDown(Endpoints e) throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String device = "OUTAGE-" + run;
    String mqtt = mosquitto(e);
    long t0 = Instant.now().toEpochMilli() - 60_000;
    String filter = "gf/sensors/NOISE/" + device;
    MqttBridge bridge =
        opened(
            MqttBridge.start(
                BridgeMain.settings(mqtt, "gf-outage-" + run, e.kafkaBootstrap(), filter, null)));
    ReadingPublisher sensors =
        opened(ReadingPublisher.connect(mqtt, "gf-outage-sensors-" + run, device, t0));
    sensors.publish(0, 100);
    KafkaProbe.readUntil(
        e.kafkaBootstrap(),
        Topics.RAW_SENSOR,
        new DistinctReadings(device, 100),
        Duration.ofSeconds(60));
    long forwardedBefore = forwarded(bridge);

    EmbeddedKafka kafka = EmbeddedStackExtension.kafka();
    kafka.stop();
    try {
      sensors.publish(100, 1_100);
      sensors.awaitAcknowledged(Duration.ofSeconds(60));
      // Keep Kafka down until a send has failed and the bridge has scheduled its retry, so its own
      // retry path runs, not only the producer's. Depending on whether the producer still holds the
      // topic's metadata, that is send() failing after max.block.ms (10 s) or the batch expiring
      // after delivery.timeout.ms (30 s); runs have seen both.
      awaitMetric(bridge, "kafka_retries_total", Duration.ofSeconds(90));
      assertThat(forwarded(bridge))
          .as("readings counted as forwarded while Kafka was down")
          .isEqualTo(forwardedBefore);
    } finally {
      // Other test classes in this JVM share the broker.
      kafka.restart();
    }
    DistinctReadings all = new DistinctReadings(device, 1_100);
    KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, all, Duration.ofSeconds(120));
    assertThat(all.timestamps()).hasSize(1_100);
    assertThat(forwarded(bridge)).isGreaterThanOrEqualTo(1_100);
  }

  private static long forwarded(MqttBridge bridge) {
    return bridge.metrics().get("readings_forwarded_total");
  }

  private static void awaitMetric(MqttBridge bridge, String name, Duration timeout) {
    Await.until(
        name + " above 0",
        () -> bridge.metrics().get(name) > 0,
        timeout,
        () -> bridge.metrics().prometheusText());
  }

  private static List<Long> missing(Set<Long> seen, long t0) {
    return LongStream.range(0, READINGS).filter(i -> !seen.contains(t0 + i)).boxed().toList();
  }
}
