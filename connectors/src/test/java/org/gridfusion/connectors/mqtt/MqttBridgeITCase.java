package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.FreePorts;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.MosquittoBroker;
import org.gridfusion.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge against a real Mosquitto: readings forwarded and bad ones dead-lettered; user name,
 * password and TLS towards the broker (a password file and a TLS listener, with a certificate the
 * test makes); and a refused SUBSCRIBE never leaves it connected but deaf.
 */
@ExtendWith(EmbeddedStackExtension.class)
class MqttBridgeITCase {
  private static final String USER = "bridge";
  private static final String PASSWORD = "bridge-password-1";
  private static TestCertificates certificates;
  private static MosquittoBroker mosquitto;
  private final AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);

  @BeforeAll
  static void startBroker(Endpoints e) {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    Path dir = e.dataDir().resolve("mosquitto-bridge-it");
    certificates = TestCertificates.create(dir.resolve("tls"));
    mosquitto =
        MosquittoBroker.in(dir)
            .user(USER, PASSWORD)
            .tls(certificates.certificatePem(), certificates.privateKeyPem())
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (mosquitto != null) mosquitto.close();
  }

  private static Config config(Endpoints e, String url, String clientId) {
    return Config.empty()
        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
        .with(GridFusionOptions.MQTT_URL, url)
        .with(GridFusionOptions.MQTT_CLIENT_ID, clientId)
        .with(GridFusionOptions.MQTT_USERNAME, USER)
        .with(GridFusionOptions.MQTT_PASSWORD, PASSWORD)
        .with(GridFusionOptions.MQTT_MAX_RECONNECT_DELAY, "1s")
        .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap());
  }

  private static MqttClient publisher(String url, String clientId) throws MqttException {
    MqttClient pub = new MqttClient(url, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMaxInflight(1000);
    o.setUserName(USER);
    o.setPassword(PASSWORD.toCharArray());
    pub.connect(o);
    return pub;
  }

  @Test
  void everyQos1ReadingReachesKafkaAndBadOnesAreDeadLettered(Endpoints e) throws Exception {
    int n = 500;
    try (MqttBridge bridge =
        MqttBridge.start(BridgeSettings.from(config(e, mosquitto.url(), "bridge-it")))) {
      MqttClient pub = publisher(mosquitto.url(), "bridge-it-pub");
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
      pub.close();

      var records =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.RAW_SENSOR,
              rs -> distinct(rs, "BRIDGE-IT") >= n,
              Duration.ofSeconds(60));
      assertThat(distinct(records, "BRIDGE-IT")).isEqualTo(n);
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

  @Test
  void overTlsWithAPasswordAndRefusedWithAWrongOne(Endpoints e) throws Exception {
    Config tls =
        config(e, mosquitto.tlsUrl(), "bridge-it-tls")
            .with(GridFusionOptions.MQTT_TLS_CA_FILE, certificates.certificatePem().toString());
    assertThatThrownBy(
            () ->
                MqttBridge.start(
                    BridgeSettings.from(tls.with(GridFusionOptions.MQTT_PASSWORD, "wrong-one"))))
        .isInstanceOf(MqttException.class)
        .hasMessageContaining("authori");
    try (MqttBridge bridge = MqttBridge.start(BridgeSettings.from(tls))) {
      MqttClient pub = publisher(mosquitto.url(), "bridge-it-tls-pub");
      long ts = Instant.now().toEpochMilli() - 1_000;
      pub.publish(
          "gf/sensors/GAS/BRIDGE-TLS",
          ("{\"ts\":" + ts + ",\"value\":3}").getBytes(StandardCharsets.UTF_8),
          1,
          false);
      pub.disconnect();
      pub.close();
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_SENSOR,
          rs -> distinct(rs, "BRIDGE-TLS") == 1,
          Duration.ofSeconds(30));
      assertThat(bridge.metrics().get("readings_forwarded_total")).isEqualTo(1);
    }
  }

  /**
   * Issue 12: a bridge whose SUBSCRIBE was refused stayed connected and received nothing. The
   * refusing server is GridFusion's own endpoint (SUBACK 0x80 to every SUBSCRIBE); Mosquitto 2.0
   * grants a 3.1.1 subscription even where its ACL denies reading.
   */
  @Test
  @Timeout(120)
  void aRefusedSubscriptionFailsTheConnectionWhichIsRetriedUntilABrokerTakesIt(Endpoints e)
      throws Exception {
    Path dir = e.dataDir().resolve("bridge-refused");
    int port = FreePorts.find();
    String url = "tcp://127.0.0.1:" + port;
    Config endpoint =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
            .with(GridFusionOptions.INGEST_MQTT_PORT, port)
            .with(GridFusionOptions.INGEST_MQTT_USERS, USER + ":" + PASSWORD)
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123");
    BridgeSettings settings = BridgeSettings.from(config(e, url, "bridge-it-refused"));
    try (MqttIngestServer refusing = MqttIngestServer.start(MqttIngestSettings.from(endpoint))) {
      assertThatThrownBy(() -> MqttBridge.start(settings))
          .as("start() with the subscription refused")
          .isInstanceOf(MqttException.class);
      assertThat(refusing.metrics().get("subscribes_refused_total")).isEqualTo(1);
    }

    MosquittoBroker first = MosquittoBroker.in(dir).port(port).user(USER, PASSWORD).start();
    try (MqttBridge bridge = MqttBridge.start(settings)) {
      first.close();
      long failuresBefore = bridge.metrics().get("connection_failures_total");
      try (MqttIngestServer refusing = MqttIngestServer.start(MqttIngestSettings.from(endpoint))) {
        awaitMetric(refusing, "subscribes_refused_total", 2);
      }
      assertThat(bridge.metrics().get("connection_failures_total"))
          .as("the lost connection and the refused subscriptions each count")
          .isGreaterThan(failuresBefore + 1);
      try (MosquittoBroker again = MosquittoBroker.in(dir).port(port).user(USER, PASSWORD).start();
          MqttClient pub =
              new MqttClient(again.url(), "bridge-it-refused-pub", new MemoryPersistence())) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(USER);
        o.setPassword(PASSWORD.toCharArray());
        pub.connect(o);
        long[] ts = {Instant.now().toEpochMilli() - 1_000};
        // Published until one arrives: the bridge subscribes some time after the broker is back.
        Await.until(
            "a reading forwarded",
            () -> {
              pub.publish(
                  "gf/sensors/NOISE/BRIDGE-REFUSED",
                  ("{\"ts\":" + ts[0]++ + ",\"value\":50}").getBytes(StandardCharsets.UTF_8),
                  1,
                  false);
              return bridge.metrics().get("readings_forwarded_total");
            },
            forwarded -> forwarded > 0,
            Duration.ofSeconds(60));
        pub.disconnect();
      }
    }
  }

  private static void awaitMetric(MqttIngestServer server, String name, long atLeast) {
    Await.until(
        name + " at least " + atLeast,
        () -> server.metrics().get(name) >= atLeast,
        Duration.ofSeconds(60),
        () -> name + " = " + server.metrics().get(name));
  }

  private long distinct(List<ConsumerRecord<byte[], byte[]>> rs, String device) {
    Set<Long> ts = new HashSet<>();
    for (var r : rs) {
      try {
        SensorReading s = codec.decode(r.value());
        if (s.getDeviceId().equals(device)) ts.add(s.getTs().toEpochMilli());
      } catch (Exception ignored) {
        // another test's record
      }
    }
    return ts.size();
  }
}
