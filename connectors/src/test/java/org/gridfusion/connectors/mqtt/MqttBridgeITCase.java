package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class MqttBridgeITCase {
  private final AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);

  private static BridgeSettings settings(Endpoints e, String clientId) {
    return BridgeSettings.from(
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
            .with(GridFusionOptions.MQTT_URL, e.mqttUrl())
            .with(GridFusionOptions.MQTT_CLIENT_ID, clientId)
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap()));
  }

  @Test
  void everyQos1ReadingReachesKafkaAndBadOnesAreDeadLettered(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    int n = 500;
    try (MqttBridge bridge = MqttBridge.start(settings(e, "bridge-it"))) {
      MqttClient pub = new MqttClient(e.mqttUrl(), "bridge-it-pub", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMaxInflight(1000);
      pub.connect(o);
      long t0 = Instant.now().toEpochMilli() - 60_000;
      for (int i = 0; i < n; i++) {
        pub.publish(
            "gf/sensors/NOISE/BRIDGE-IT",
            ("{\"ts\":" + (t0 + i) + ",\"value\":" + (40 + i % 10) + "}")
                .getBytes(StandardCharsets.UTF_8),
            1,
            false);
      }
      pub.publish(
          "gf/sensors/NOISE/BRIDGE-IT-BAD", "{\"ts\":".getBytes(StandardCharsets.UTF_8), 1, false);
      pub.publish(
          "gf/sensors/NOISE/BRIDGE-IT-BAD/extra", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
      pub.publish(
          "gf/sensors/NOISE/BRIDGE-IT-BIN",
          new byte[] {(byte) 0xc3, (byte) 0x28, 0, (byte) 0xff},
          1,
          false);
      pub.disconnect();

      var records =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.RAW_SENSOR,
              rs -> distinct(rs) >= n,
              Duration.ofSeconds(60));
      assertThat(distinct(records)).isEqualTo(n);
      var letters =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.DEADLETTER,
              rs ->
                  rs.stream().map(KafkaProbe::text).filter(t -> t.contains("BRIDGE-IT-B")).count()
                      >= 3,
              Duration.ofSeconds(30));
      assertThat(letters.stream().map(KafkaProbe::text).filter(t -> t.contains("BRIDGE-IT-B")))
          .anyMatch(t -> t.contains("\"reason\":\"MALFORMED\""))
          .anyMatch(t -> t.contains("\"reason\":\"UNKNOWN_TOPIC\""));
      assertThat(bridge.metrics().prometheusText())
          .contains("gridfusion_bridge_readings_forwarded_total");
    }
  }

  private long distinct(List<ConsumerRecord<byte[], byte[]>> rs) {
    Set<Long> ts = new HashSet<>();
    for (var r : rs) {
      try {
        SensorReading s = codec.decode(r.value());
        if (s.getDeviceId().equals("BRIDGE-IT")) ts.add(s.getTs().toEpochMilli());
      } catch (Exception ignored) {
        // another test's record
      }
    }
    return ts.size();
  }
}
