package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.MosquittoBroker;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how many readings per second one bridge moves from Mosquitto into Kafka. A measurement,
 * not a test: it asserts no timing, is not matched by the build's {@code *Test}/{@code *ITCase}
 * includes and runs only when asked:
 *
 * <pre>
 * flock /tmp/gf-connectors.lock mvn -B -o test -pl connectors -Dtest=BridgeThroughputBench \
 *     -Dgridfusion.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Two figures per Mosquitto {@code max_inflight_messages} (the window of readings the bridge
 * holds while Kafka acknowledges them): <b>backlog</b>, readings queued while the bridge was away
 * and drained when it comes back (the bridge alone sets the pace), and <b>live</b>, readings
 * published at full speed while the bridge runs (publisher, broker, bridge and Kafka share the
 * machine). Everything runs on this one machine, Kafka in this JVM, so the figures are a floor.
 */
@ExtendWith(EmbeddedStackExtension.class)
@EnabledIfSystemProperty(named = "gridfusion.bench", matches = "true")
class BridgeThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeThroughputBench.class);
  private static final int READINGS = Integer.getInteger("gridfusion.bench.readings", 50_000);

  @ParameterizedTest(name = "max_inflight_messages {0}")
  @ValueSource(ints = {20, 1_000})
  void readingsPerSecond(int brokerInflight, Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String run = brokerInflight + "-" + Long.toString(System.currentTimeMillis(), 36);
    try (MosquittoBroker mosquitto =
        MosquittoBroker.start(e.dataDir().resolve("mosquitto-bench"), brokerInflight)) {
      double backlog = backlog(mosquitto.url(), e, "BENCH-B-" + run);
      double live = live(mosquitto.url(), e, "BENCH-L-" + run);
      LOG.info(
          "BENCH max_inflight_messages {}: backlog {} readings/s, live {} readings/s ({} readings each)",
          brokerInflight,
          Math.round(backlog),
          Math.round(live),
          READINGS);
    }
  }

  private double backlog(String mqtt, Endpoints e, String device) throws Exception {
    String clientId = "gf-bench-" + device;
    BridgeSettings settings =
        BridgeMain.settings(mqtt, clientId, e.kafkaBootstrap(), "gf/sensors/NOISE/" + device, null);
    // Creates the persistent session, so what is published next is queued for it.
    MqttBridge.start(settings).close();
    long t0 = Instant.now().toEpochMilli() - 60_000;
    try (ReadingPublisher sensors =
        ReadingPublisher.connect(mqtt, clientId + "-sensors", device, t0)) {
      sensors.publish(0, READINGS);
      sensors.awaitAcknowledged(Duration.ofSeconds(120));
    }
    long start = System.nanoTime();
    try (MqttBridge bridge = MqttBridge.start(settings)) {
      awaitForwarded(bridge, READINGS);
      double perSecond = READINGS / ((System.nanoTime() - start) / 1e9);
      verifyInKafka(e, device);
      return perSecond;
    }
  }

  private double live(String mqtt, Endpoints e, String device) throws Exception {
    String clientId = "gf-bench-" + device;
    long t0 = Instant.now().toEpochMilli() - 60_000;
    try (MqttBridge bridge =
            MqttBridge.start(
                BridgeMain.settings(
                    mqtt, clientId, e.kafkaBootstrap(), "gf/sensors/NOISE/" + device, null));
        ReadingPublisher sensors =
            ReadingPublisher.connect(mqtt, clientId + "-sensors", device, t0)) {
      long start = System.nanoTime();
      sensors.publish(0, READINGS);
      awaitForwarded(bridge, READINGS);
      double perSecond = READINGS / ((System.nanoTime() - start) / 1e9);
      verifyInKafka(e, device);
      return perSecond;
    }
  }

  private static void awaitForwarded(MqttBridge bridge, long n) {
    Await.until(
        "all forwarded",
        () -> bridge.metrics().get("readings_forwarded_total") >= n,
        Duration.ofMinutes(5),
        () -> bridge.metrics().prometheusText());
  }

  private static void verifyInKafka(Endpoints e, String device) {
    DistinctReadings inKafka = new DistinctReadings(device, READINGS);
    KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(120));
    assertThat(inKafka.timestamps()).hasSize(READINGS);
  }
}
