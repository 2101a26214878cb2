package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bridges scale out with {@code mqtt.sharedGroup}: two bridges (different client ids, one group)
 * subscribe as {@code $share/<group>/<filter>}, the broker hands each reading to one of them, and
 * together they lose none.
 *
 * <p>Against Mosquitto: shared subscriptions are a broker feature (MQTT 5, and Mosquitto and EMQX
 * for 3.1.1 clients). GridFusion's own endpoint needs none: several endpoints behind a TCP load
 * balancer share the sensors.
 */
@ExtendWith(EmbeddedStackExtension.class)
class SharedSubscriptionITCase {
  private static final int READINGS = 2_000;

  @Test
  @Timeout(180)
  void twoBridgesInOneGroupSplitTheReadingsAndLoseNone(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String run = Long.toString(System.currentTimeMillis(), 36);
    String device = "SHARED-" + run;
    String filter = "gf/sensors/NOISE/" + device;
    String group = "gf-bridges-" + run;
    long t0 = Instant.now().toEpochMilli() - 60_000;
    try (MosquittoBroker mosquitto =
            MosquittoBroker.start(e.dataDir().resolve("mosquitto-shared"), 1_000);
        MqttBridge a =
            MqttBridge.start(
                BridgeMain.settings(
                    mosquitto.url(), "gf-shared-a-" + run, e.kafkaBootstrap(), filter, group));
        MqttBridge b =
            MqttBridge.start(
                BridgeMain.settings(
                    mosquitto.url(), "gf-shared-b-" + run, e.kafkaBootstrap(), filter, group));
        ReadingPublisher sensors =
            ReadingPublisher.connect(mosquitto.url(), "gf-shared-sensors-" + run, device, t0)) {
      sensors.publish(0, READINGS);
      sensors.awaitAcknowledged(Duration.ofSeconds(60));

      DistinctReadings inKafka = new DistinctReadings(device, READINGS);
      KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(120));

      assertThat(inKafka.timestamps()).hasSize(READINGS);
      long byA = a.metrics().get("readings_forwarded_total");
      long byB = b.metrics().get("readings_forwarded_total");
      assertThat(byA).as("readings forwarded by bridge a").isPositive();
      assertThat(byB).as("readings forwarded by bridge b").isPositive();
      assertThat(byA + byB).isGreaterThanOrEqualTo(READINGS);
    }
  }
}
