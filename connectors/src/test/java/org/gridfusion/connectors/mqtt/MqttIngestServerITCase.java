package org.gridfusion.connectors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GridFusion's MQTT endpoint with real Paho clients and the embedded Kafka: a PUBACK means the
 * reading is in {@code gf.raw.sensor}, bad readings are dead-lettered with their reason and still
 * acknowledged, the protocol's corners (empty client id, SUBSCRIBE, MQTT 3.1 and 5, credentials,
 * TLS) are answered as MQTT 3.1.1 says, and no PUBACK goes out while Kafka is down. One endpoint
 * (with a user, plain TCP) serves every test but the TLS one; the kill test is {@link
 * MqttIngestCrashITCase}.
 */
@ExtendWith(EmbeddedStackExtension.class)
class MqttIngestServerITCase {
  static final String USER = "sensor";
  static final String PASSWORD = "sensor-password-1";
  private static MqttIngestServer endpoint;

  @BeforeAll
  static void startEndpoint(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    endpoint = MqttIngestServer.start(MqttIngestSettings.from(config(e)));
  }

  @AfterAll
  static void stopEndpoint() {
    if (endpoint != null) endpoint.close();
  }

  static Config config(Endpoints e) {
    return Config.empty()
        .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
        .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
        .with(GridFusionOptions.INGEST_MQTT_USERS, USER + ":" + PASSWORD)
        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123");
  }

  static MqttConnectOptions credentials() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(USER);
    o.setPassword(PASSWORD.toCharArray());
    o.setConnectionTimeout(10);
    return o;
  }

  private static MqttClient client(String clientId) throws Exception {
    MqttClient c = new MqttClient(endpoint.url(), clientId, new MemoryPersistence());
    c.connect(credentials());
    return c;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(120)
  void everyAcknowledgedQos1ReadingOfManyClientsIsInKafka(Endpoints e) throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    long t0 = Instant.now().toEpochMilli() - 60_000;
    int clients = 8;
    int each = 500;
    List<ReadingPublisher> publishers = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        publishers.add(
            ReadingPublisher.connect(
                endpoint.url(),
                "many-" + run + "-" + i,
                "MANY-" + run + "-" + i,
                t0,
                credentials()));
      }
      assertThat(endpoint.metrics().get("connections")).isGreaterThanOrEqualTo(clients);
      for (ReadingPublisher p : publishers) p.publish(0, each);
      for (ReadingPublisher p : publishers) p.awaitAcknowledged(Duration.ofSeconds(60));
    } finally {
      for (ReadingPublisher p : publishers) p.close();
    }
    for (int i = 0; i < clients; i++) {
      DistinctReadings inKafka = new DistinctReadings("MANY-" + run + "-" + i, each);
      KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(30));
      assertThat(inKafka.timestamps()).hasSize(each);
    }
    assertThat(endpoint.metrics().prometheusText())
        .contains("gridfusion_mqtt_ingest_readings_stored_total")
        .contains("gridfusion_mqtt_ingest_readings_in_flight");
  }

  @Test
  void badReadingsAreAcknowledgedAndDeadLetteredWithTheirReason(Endpoints e) throws Exception {
    String now = Instant.now().toString();
    String run = Long.toString(System.currentTimeMillis(), 36);
    Map<String, String> expected = new LinkedHashMap<>();
    String huge = "{\"ts\":\"" + now + "\",\"value\":1,\"pad\":\"" + "x".repeat(100_000) + "\"}";
    try (MqttClient c = client("bad-" + run)) {
      c.publish("gf/sensors/GAS/bad-trunc-" + run, utf8("{\"ts\":\"" + now + "\",\"val"), 1, false);
      expected.put("bad-trunc-" + run, "MALFORMED");
      c.publish("gf/sensors/RADIATION/bad-type-" + run, utf8("{\"value\":1}"), 1, false);
      expected.put("bad-type-" + run, "UNKNOWN_TYPE");
      c.publish("gf/sensors/GAS/bad-topic-" + run + "/extra", utf8("{}"), 1, false);
      expected.put("bad-topic-" + run, "UNKNOWN_TOPIC");
      c.publish("gf/sensors/GAS/bad-binary-" + run, new byte[] {(byte) 0xff, 0, 0x28}, 1, false);
      expected.put("bad-binary-" + run, "MALFORMED");
      c.publish("gf/sensors/GAS/bad-huge-" + run, utf8(huge), 1, false);
      expected.put("bad-huge-" + run, "TOO_LARGE");
      // QoS 2 (PUBREC after Kafka, then PUBREL/PUBCOMP) and QoS 0 readings are stored as well.
      c.publish(
          "gf/sensors/GAS/good-qos2-" + run,
          utf8("{\"ts\":\"" + now + "\",\"value\":2}"),
          2,
          false);
      c.publish(
          "gf/sensors/GAS/good-qos0-" + run,
          utf8("{\"ts\":\"" + now + "\",\"value\":0}"),
          0,
          false);
      c.disconnect();
    }
    List<String> letters =
        KafkaProbe.readUntilContaining(
            e.kafkaBootstrap(), Topics.DEADLETTER, expected.keySet(), Duration.ofSeconds(30));
    for (Map.Entry<String, String> x : expected.entrySet()) {
      JsonNode letter =
          Json.MAPPER.readTree(
              letters.stream().filter(t -> t.contains(x.getKey())).findFirst().orElseThrow());
      assertThat(letter.path("reason").asText()).as(x.getKey()).isEqualTo(x.getValue());
      assertThat(letter.path("source").asText()).isEqualTo("sensor");
      assertThat(letter.path("origin").asText()).startsWith("mqtt:gf/sensors/");
    }
    JsonNode tooLarge =
        Json.MAPPER.readTree(
            letters.stream().filter(t -> t.contains("bad-huge-" + run)).findFirst().orElseThrow());
    assertThat(tooLarge.path("payload").asText())
        .hasSize(64 * 1024)
        .isEqualTo(huge.substring(0, 64 * 1024));
    assertThat(tooLarge.path("detail").asText()).contains(String.valueOf(huge.length()));
    KafkaProbe.readUntil(
        e.kafkaBootstrap(),
        Topics.RAW_SENSOR,
        rs ->
            rs.stream()
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .filter(k -> k.equals("good-qos2-" + run) || k.equals("good-qos0-" + run))
                    .distinct()
                    .count()
                == 2,
        Duration.ofSeconds(30));
    assertThat(endpoint.metrics().prometheusText())
        .contains("gridfusion_mqtt_ingest_dead_letters_total{reason=\"TOO_LARGE\"}");
  }

  /**
   * A PUBLISH over {@code ingest.mqtt.maxFrameBytes} (10 MiB) is dead-lettered as TOO_LARGE with
   * its first {@code maxPayloadBytes} kept and acknowledged, like one over {@code maxPayloadBytes}:
   * the rest of it is skipped as it arrives, never held, and the connection serves on.
   */
  @Test
  void aPublishOverTheFrameLimitIsDeadLetteredAndItsConnectionServesOn(Endpoints e)
      throws Exception {
    long before = endpoint.metrics().get("packets_too_large_total");
    String run = Long.toString(System.currentTimeMillis(), 36);
    try (MqttClient c = client("frame-" + run)) {
      byte[] huge = new byte[11 * 1024 * 1024];
      java.util.Arrays.fill(huge, (byte) 'z');
      c.publish("gf/sensors/GAS/FRAME-" + run, huge, 1, false); // returns on its PUBACK
      c.publish(
          "gf/sensors/GAS/FRAME-NEXT-" + run,
          utf8("{\"ts\":" + Instant.now().toEpochMilli() + ",\"value\":1}"),
          1,
          false);
      c.disconnect();
    }
    assertThat(endpoint.metrics().get("packets_too_large_total")).isEqualTo(before + 1);
    JsonNode letter =
        Json.MAPPER.readTree(
            KafkaProbe.text(
                KafkaProbe.readUntil(
                        e.kafkaBootstrap(),
                        Topics.DEADLETTER,
                        rs ->
                            rs.stream()
                                .anyMatch(r -> KafkaProbe.text(r).contains("FRAME-" + run + "\"")),
                        Duration.ofSeconds(30))
                    .stream()
                    .filter(r -> KafkaProbe.text(r).contains("FRAME-" + run + "\""))
                    .findFirst()
                    .orElseThrow()));
    assertThat(letter.path("reason").asText()).isEqualTo("TOO_LARGE");
    assertThat(letter.path("payload").asText()).isEqualTo("z".repeat(64 * 1024));
    assertThat(letter.path("detail").asText()).contains(String.valueOf(11 * 1024 * 1024));
    KafkaProbe.readUntil(
        e.kafkaBootstrap(),
        Topics.RAW_SENSOR,
        rs ->
            rs.stream()
                .anyMatch(
                    r -> new String(r.key(), StandardCharsets.UTF_8).equals("FRAME-NEXT-" + run)),
        Duration.ofSeconds(30));
  }

  @Test
  void anEmptyClientIdIsAcceptedWithACleanSessionAndSubscribeIsRefused() throws Exception {
    try (MqttAsyncClient c = new MqttAsyncClient(endpoint.url(), "", new MemoryPersistence())) {
      MqttConnectOptions o = credentials();
      o.setCleanSession(true);
      c.connect(o).waitForCompletion(10_000);
      IMqttToken sub = c.subscribe("gf/sensors/#", 1);
      sub.waitForCompletion(10_000);
      assertThat(sub.getGrantedQos()).containsExactly(0x80);
      long ts = Instant.now().toEpochMilli();
      // Still connected and served after the refusal.
      c.publish("gf/sensors/DOOR/EMPTY-ID", utf8("{\"ts\":" + ts + ",\"value\":1}"), 1, false)
          .waitForCompletion(10_000);
      c.disconnect().waitForCompletion(10_000);
    }
    assertThat(endpoint.metrics().get("subscribes_refused_total")).isPositive();
  }

  @Test
  void connectIsAnsweredAsMqtt311Says() throws Exception {
    // MQTT 3.1 ("MQIsdp", level 3) is served.
    assertThat(rawConnect("MQIsdp", 3, 0x02, "gf-mqtt31", USER, PASSWORD))
        .startsWith(0x20, 0x02, 0x00, 0x00);
    // An empty client id with a persistent session: identifier rejected (§3.1.3-8).
    assertThat(rawConnect("MQTT", 4, 0x00, "", USER, PASSWORD)).startsWith(0x20, 0x02, 0x00, 0x02);
    // An unknown protocol level: unacceptable protocol version.
    assertThat(rawConnect("MQTT", 9, 0x02, "gf-v9", USER, PASSWORD))
        .startsWith(0x20, 0x02, 0x00, 0x01);
    // MQTT 5 gets MQTT 5's answer: reason code 0x84 Unsupported Protocol Version.
    assertThat(rawConnect("MQTT", 5, 0x02, "gf-v5", USER, PASSWORD))
        .startsWith(0x20, 0x03, 0x00, 0x84);
    // No credentials: not authorised; a wrong password: bad user name or password.
    assertThat(rawConnect("MQTT", 4, 0x02, "gf-anon", null, null))
        .startsWith(0x20, 0x02, 0x00, 0x05);
    MqttClient wrong = new MqttClient(endpoint.url(), "gf-wrong", new MemoryPersistence());
    MqttConnectOptions o = credentials();
    o.setPassword("not-the-password".toCharArray());
    assertThatThrownBy(() -> wrong.connect(o))
        .isInstanceOf(MqttSecurityException.class)
        .extracting(t -> ((MqttSecurityException) t).getReasonCode())
        .isEqualTo(4);
    wrong.close();
  }

  /**
   * A CONNECT written byte by byte; returns what the endpoint answered before closing (or the
   * CONNACK alone when it keeps the connection).
   *
   * @param flags the connect flags without the user name and password bits (0x02 = clean session)
   */
  private static int[] rawConnect(
      String protocol, int level, int flags, String clientId, String user, String password)
      throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, protocol);
    body.write(level);
    body.write(flags | (user == null ? 0 : 0xc0));
    body.write(new byte[] {0, 30});
    if (level == 5) body.write(0); // no CONNECT properties
    writeString(body, clientId);
    if (user != null) {
      writeString(body, user);
      writeString(body, password);
    }
    URI uri = URI.create(endpoint.url());
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(0x10);
      out.write(body.size());
      body.writeTo(out);
      out.flush();
      InputStream in = new DataInputStream(s.getInputStream());
      int type = in.read();
      int length = in.read();
      int[] answer = new int[2 + length];
      answer[0] = type;
      answer[1] = length;
      for (int i = 0; i < length; i++) answer[2 + i] = in.read();
      return answer;
    }
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = utf8(s);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.write(b, 0, b.length);
  }

  /**
   * Kafka stopped under a connected sensor: its readings get no PUBACK (the marker that the outage
   * was long enough is the endpoint's first retried send), the connection stays up, and once Kafka
   * is back every reading is acknowledged and stored.
   */
  @Test
  @Timeout(240)
  void noPubackWhileKafkaIsDownAndEveryReadingOnceItIsBack(Endpoints e) throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String device = "OUTAGE-EP-" + run;
    long t0 = Instant.now().toEpochMilli() - 60_000;
    int n = 200;
    long retriesBefore = endpoint.metrics().get("kafka_retries_total");
    EmbeddedKafka kafka = EmbeddedStackExtension.kafka();
    try (ReadingPublisher sensor =
        ReadingPublisher.connect(endpoint.url(), "outage-" + run, device, t0, credentials())) {
      kafka.stop();
      try {
        sensor.publish(0, n);
        Await.until(
            "a failed send to Kafka",
            () -> endpoint.metrics().get("kafka_retries_total") > retriesBefore,
            Duration.ofSeconds(120));
        assertThat(sensor.acknowledged()).as("PUBACKs while Kafka was down").isZero();
        assertThat(endpoint.metrics().get("readings_in_flight")).isEqualTo(n);
      } finally {
        // Other test classes in this JVM share the broker.
        kafka.restart();
      }
      sensor.awaitAcknowledged(Duration.ofSeconds(120));
      assertThat(sensor.acknowledged()).isEqualTo(n);
    }
    DistinctReadings inKafka = new DistinctReadings(device, n);
    KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.RAW_SENSOR, inKafka, Duration.ofSeconds(30));
    assertThat(inKafka.timestamps()).hasSize(n);
  }

  @Test
  void tlsWithAPemCertificateOrAPkcs12KeyStore(Endpoints e) throws Exception {
    TestCertificates certs = TestCertificates.create(e.dataDir().resolve("mqtt-endpoint-tls"));
    Config pem =
        config(e)
            .with(GridFusionOptions.INGEST_MQTT_TLS_CERTIFICATE, certs.certificatePem())
            .with(GridFusionOptions.INGEST_MQTT_TLS_PRIVATE_KEY, certs.privateKeyPem());
    Config p12 =
        config(e)
            .with(GridFusionOptions.INGEST_MQTT_TLS_KEY_STORE, certs.keyStore())
            .with(GridFusionOptions.INGEST_MQTT_TLS_KEY_STORE_PASSWORD, certs.password());
    String run = Long.toString(System.currentTimeMillis(), 36);
    int i = 0;
    for (Config c : List.of(pem, p12)) {
      try (MqttIngestServer tls = MqttIngestServer.start(MqttIngestSettings.from(c))) {
        assertThat(tls.url()).startsWith("ssl://127.0.0.1:");
        MqttConnectOptions o = credentials();
        o.setSocketFactory(certs.clientContext().getSocketFactory());
        try (MqttClient client = new MqttClient(tls.url(), "tls-" + run, new MemoryPersistence())) {
          client.connect(o);
          client.publish(
              "gf/sensors/SMOKE/TLS-" + run + "-" + i++,
              utf8("{\"ts\":" + Instant.now().toEpochMilli() + ",\"value\":1}"),
              1,
              false);
          client.disconnect();
        }
        assertThat(tls.metrics().get("readings_stored_total")).isEqualTo(1);
      }
    }
  }
}
