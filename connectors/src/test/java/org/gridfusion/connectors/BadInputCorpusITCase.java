package org.gridfusion.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.http.CameraIngestServer;
import org.gridfusion.connectors.http.IngestSettings;
import org.gridfusion.connectors.inbox.InboxSettings;
import org.gridfusion.connectors.inbox.InboxWatcher;
import org.gridfusion.connectors.inbox.TestInboxSettings;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus (contract §3) through every connector: truncated JSON, wrong types, NaN,
 * huge strings, coordinates out of range, timestamps far in the future, unknown types and binary
 * garbage. Each must land in {@code gf.deadletter} with its reason, and the connector must keep
 * running. {@link BadInputVolumeITCase} sends 10,000 generated ones ({@link BadInputGenerator}).
 */
@ExtendWith(EmbeddedStackExtension.class)
class BadInputCorpusITCase {
  private static final String TOKEN = "corpus-token-0123456789";
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3, 0x28};

  private static String future() {
    return Instant.now().plus(Duration.ofDays(1)).toString();
  }

  private static byte[] garbage(String marker) {
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[m.length + GARBAGE.length];
    System.arraycopy(m, 0, out, 0, m.length);
    System.arraycopy(GARBAGE, 0, out, m.length, GARBAGE.length);
    return out;
  }

  private static void awaitDeadLetters(Endpoints e, Map<String, String> expected) {
    List<String> letters =
        KafkaProbe.readUntilContaining(
            e.kafkaBootstrap(), Topics.DEADLETTER, expected.keySet(), Duration.ofSeconds(45));
    for (Map.Entry<String, String> x : expected.entrySet()) {
      String letter =
          letters.stream().filter(t -> t.contains(x.getKey())).findFirst().orElseThrow();
      assertThat(letter).as(x.getKey()).contains("\"reason\":\"" + x.getValue() + "\"");
    }
  }

  @Test
  void cameraEventsOverHttp(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String now = Instant.now().toString();
    Map<String, String> expected = new LinkedHashMap<>();
    List<byte[]> bodies = new ArrayList<>();
    BiConsumer<String, String> add =
        (body, reason) -> {
          bodies.add(body.getBytes(StandardCharsets.UTF_8));
        };
    String base = "\"cameraId\":\"CAM-1\",\"type\":\"CROWD\"";
    String[][] corpus = {
      {
        "{\"eventId\":\"corpus-h-trunc\"," + base + ",\"ts\":\"" + now,
        "MALFORMED",
        "corpus-h-trunc"
      },
      {
        "{\"eventId\":\"corpus-h-type\","
            + base
            + ",\"ts\":\""
            + now
            + "\",\"confidence\":\"high\"}",
        "INVALID_FIELD",
        "corpus-h-type"
      },
      {
        "{\"eventId\":\"corpus-h-nan\"," + base + ",\"ts\":\"" + now + "\",\"confidence\":NaN}",
        "MALFORMED",
        "corpus-h-nan"
      },
      {
        "{\"eventId\":\"corpus-h-huge"
            + "x".repeat(5000)
            + "\","
            + base
            + ",\"ts\":\""
            + now
            + "\"}",
        "INVALID_FIELD",
        "corpus-h-huge"
      },
      {
        "{\"eventId\":\"corpus-h-coord\","
            + base
            + ",\"ts\":\""
            + now
            + "\",\"lat\":95.0,\"lon\":122.2}",
        "COORDINATES_OUT_OF_RANGE",
        "corpus-h-coord"
      },
      {
        "{\"eventId\":\"corpus-h-future\"," + base + ",\"ts\":\"" + future() + "\"}",
        "TS_IN_FUTURE",
        "corpus-h-future"
      },
      {
        "{\"eventId\":\"corpus-h-unknown\",\"cameraId\":\"CAM-1\",\"type\":\"UFO\",\"ts\":\""
            + now
            + "\"}",
        "UNKNOWN_TYPE",
        "corpus-h-unknown"
      },
      {
        "{\"eventId\":\"corpus-h-missing\",\"type\":\"CROWD\",\"ts\":\"" + now + "\"}",
        "MISSING_FIELD",
        "corpus-h-missing"
      }
    };
    for (String[] c : corpus) {
      add.accept(c[0], c[1]);
      expected.put(c[2], c[1]);
    }
    bodies.add(garbage("corpus-h-binary"));
    expected.put("corpus-h-binary", "MALFORMED");

    try (CameraIngestServer server =
        CameraIngestServer.start(
            IngestSettings.from(
                Config.empty()
                    .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
                    .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
                    .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
                    .with(GridFusionOptions.INGEST_HTTP_PORT, 0)))) {
      HttpClient http = HttpClient.newHttpClient();
      for (byte[] body : bodies) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(server.url() + CameraIngestServer.PATH))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(202, 400);
      }
      awaitDeadLetters(e, expected);
      // still serving
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void sensorReadingsOverMqtt(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String now = Instant.now().toString();
    Map<String, byte[]> messages = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    messages.put(
        "gf/sensors/GAS/corpus-m-trunc",
        ("{\"ts\":\"" + now + "\",\"val").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-trunc", "MALFORMED");
    messages.put(
        "gf/sensors/GAS/corpus-m-type",
        ("{\"ts\":\"" + now + "\",\"value\":\"high\"}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-type", "INVALID_FIELD");
    messages.put(
        "gf/sensors/GAS/corpus-m-nan",
        ("{\"ts\":\"" + now + "\",\"value\":NaN}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-nan", "MALFORMED");
    messages.put(
        "gf/sensors/GAS/corpus-m-huge" + "x".repeat(400),
        ("{\"ts\":\"" + now + "\",\"value\":1}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-huge", "INVALID_FIELD");
    messages.put(
        "gf/sensors/GAS/corpus-m-future",
        ("{\"ts\":\"" + future() + "\",\"value\":1}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-future", "TS_IN_FUTURE");
    messages.put(
        "gf/sensors/RADIATION/corpus-m-unknown",
        ("{\"ts\":\"" + now + "\",\"value\":1}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-unknown", "UNKNOWN_TYPE");
    messages.put("gf/sensors/GAS/corpus-m-binary", GARBAGE);
    expected.put("corpus-m-binary", "MALFORMED");
    messages.put(
        "gf/sensors/GAS/corpus-m-battery",
        ("{\"ts\":\"" + now + "\",\"value\":1,\"battery\":-5}").getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-battery", "INVALID_FIELD");

    messages.put(
        "gf/sensors/GAS/corpus-m-oversized",
        ("{\"ts\":\"" + now + "\",\"value\":1,\"note\":\"" + "z".repeat(200_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    expected.put("corpus-m-oversized", "TOO_LARGE");

    try (MqttIngestServer endpoint =
        MqttIngestServer.start(
            MqttIngestSettings.from(
                Config.empty()
                    .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
                    .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
                    .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
                    .with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true)))) {
      MqttClient pub = new MqttClient(endpoint.url(), "corpus-pub", new MemoryPersistence());
      pub.connect();
      for (Map.Entry<String, byte[]> m : messages.entrySet())
        pub.publish(m.getKey(), m.getValue(), 1, false);
      pub.publish(
          "gf/sensors/GAS/corpus-m-good",
          ("{\"ts\":\"" + now + "\",\"value\":1}").getBytes(StandardCharsets.UTF_8),
          1,
          false);
      pub.disconnect();
      awaitDeadLetters(e, expected);
      assertThat(endpoint.metrics().prometheusText())
          .contains("gridfusion_mqtt_ingest_dead_letters_total{reason=\"MALFORMED\"}");
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_SENSOR,
          rs ->
              rs.stream()
                  .anyMatch(
                      r -> new String(r.key(), StandardCharsets.UTF_8).equals("corpus-m-good")),
          Duration.ofSeconds(30));
    }
  }

  @Test
  void departmentRecordsInTheInbox(Endpoints e, @TempDir Path inbox) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String now = Instant.now().toString();
    String base =
        "\"department\":\"POLICE\",\"recordType\":\"CASE_REPORTED\",\"addressCode\":\"150502-001-0001\"";
    Map<String, String> expected = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add("{\"recordId\":\"corpus-f-trunc\"," + base + ",\"ts\":\"" + now);
    expected.put("corpus-f-trunc", "MALFORMED");
    lines.add(
        "{\"recordId\":\"corpus-f-type\"," + base + ",\"ts\":12.5e3,\"lat\":\"north\",\"lon\":1}");
    expected.put("corpus-f-type", "INVALID_FIELD");
    lines.add(
        "{\"recordId\":\"corpus-f-nan\","
            + base
            + ",\"ts\":\""
            + now
            + "\",\"lat\":NaN,\"lon\":1}");
    expected.put("corpus-f-nan", "MALFORMED");
    lines.add(
        "{\"recordId\":\"corpus-f-huge\","
            + base
            + ",\"ts\":\""
            + now
            + "\",\"attributes\":{\"note\":\""
            + "y".repeat(10_000)
            + "\"}}");
    expected.put("corpus-f-huge", "INVALID_FIELD");
    lines.add(
        "{\"recordId\":\"corpus-f-coord\","
            + base
            + ",\"ts\":\""
            + now
            + "\",\"lat\":43.6,\"lon\":200}");
    expected.put("corpus-f-coord", "COORDINATES_OUT_OF_RANGE");
    lines.add("{\"recordId\":\"corpus-f-future\"," + base + ",\"ts\":\"" + future() + "\"}");
    expected.put("corpus-f-future", "TS_IN_FUTURE");
    lines.add(
        "{\"recordId\":\"corpus-f-dept\",\"department\":\"MAGIC\",\"recordType\":\"X\",\"addressCode\":\"a\",\"ts\":\""
            + now
            + "\"}");
    expected.put("corpus-f-dept", "UNKNOWN_DEPARTMENT");
    lines.add("{\"recordId\":\"corpus-f-good\"," + base + ",\"ts\":\"" + now + "\"}");

    try (InboxWatcher watcher =
        InboxWatcher.start(TestInboxSettings.of(e.kafkaBootstrap(), inbox))) {
      // a line that is not UTF-8 in the middle of the file: that line is dead-lettered, the lines
      // after it and the files after this one are still read
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      file.write(garbage("{\"recordId\":\"corpus-f-binary\","));
      file.write(
          ("\n{\"recordId\":\"corpus-f-after-binary\"," + base + ",\"ts\":\"" + now + "\"}\n")
              .getBytes(StandardCharsets.UTF_8));
      Files.write(inbox.resolve("corpus.jsonl"), file.toByteArray());
      expected.put("corpus-f-binary", "MALFORMED");
      Files.writeString(
          inbox.resolve("corpus-next.jsonl"),
          "{\"recordId\":\"corpus-f-next-file\"," + base + ",\"ts\":\"" + now + "\"}\n");
      awaitDeadLetters(e, expected);
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_DEPARTMENT,
          rs ->
              List.of("corpus-f-good", "corpus-f-after-binary", "corpus-f-next-file").stream()
                  .allMatch(
                      id ->
                          rs.stream()
                              .anyMatch(
                                  r -> new String(r.key(), StandardCharsets.UTF_8).equals(id))),
          Duration.ofSeconds(30));
    }
  }

  private static final String ID_CARD = "150502198807154321";
  private static final String OLD_ID_CARD = "150502880715432";
  private static final String PHONE = "13947501234";
  private static final String NAME = "巴特尔";
  private static final String PERSON = "P-WANTED-7781";

  /**
   * Bad inputs that carry personal data, through every connector: parseable but invalid ones (a
   * future ts, a wrong type, an unknown department) and unparseable ones (cut in the middle). None
   * of the ID-card numbers, person ids, names or phones may reach gf.deadletter in clear; the
   * letters still say which input they were and why (contract §3, §4).
   */
  @Test
  void personalDataIsNeverDeadLetteredInClear(Endpoints e, @TempDir Path inbox) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    String now = Instant.now().toString();
    String person =
        "\"attributes\":{\"personId\":\""
            + PERSON
            + "\",\"idNumber\":\""
            + ID_CARD
            + "\",\"name\":\""
            + NAME
            + "\",\"phone\":\""
            + PHONE
            + "\"}";
    List<String> bodies =
        List.of(
            "{\"eventId\":\"corpus-p-future\",\"cameraId\":\"CAM-1\",\"type\":\"WATCHLIST_MATCH\",\"ts\":\""
                + future()
                + "\","
                + person
                + "}",
            "[{\"eventId\":\"corpus-p-type\",\"cameraId\":\"CAM-1\",\"type\":\"WATCHLIST_MATCH\",\"ts\":\""
                + now
                + "\",\"confidence\":\"sure\","
                + person
                + "}]",
            "{\"eventId\":\"corpus-p-trunc\",\"cameraId\":\"CAM-1\",\"type\":\"WATCHLIST_MATCH\","
                + person.substring(0, person.length() - 1));
    String dept =
        "\"department\":\"JUSTICE\",\"recordType\":\"COMMUNITY_CORRECTION\",\"addressCode\":\"150502-001-0001\"";
    List<String> lines =
        List.of(
            "{\"recordId\":\"corpus-p-dept\",\"department\":\"MAGIC\",\"recordType\":\"X\",\"addressCode\":\"a\",\"ts\":\""
                + now
                + "\",\"subjectId\":\""
                + ID_CARD
                + "\",\"attributes\":{\"name\":\""
                + NAME
                + "\",\"note\":\"alias "
                + OLD_ID_CARD
                + ", call "
                + PHONE
                + "\"}}",
            "{\"recordId\":\"corpus-p-line-trunc\","
                + dept
                + ",\"subjectId\":\""
                + ID_CARD
                + "\",\"attributes\":{\"phone\":\""
                + PHONE);
    String csv =
        "recordId,department,recordType,ts,addressCode,subjectId,attributes\n"
            + "corpus-p-csv,JUSTICE,COMMUNITY_CORRECTION,"
            + future()
            + ",150502-001-0001,"
            + ID_CARD
            + ",\"{\"\"name\"\":\"\""
            + NAME
            + "\"\",\"\"phone\"\":\"\""
            + PHONE
            + "\"\"}\"\n";

    Config config =
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_INBOX, inbox)
            .with(GridFusionOptions.INGEST_INBOX_POLL, "100ms")
            .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
            .with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true);
    try (CameraIngestServer server = CameraIngestServer.start(IngestSettings.from(config));
        InboxWatcher watcher = InboxWatcher.start(InboxSettings.from(config));
        MqttIngestServer endpoint = MqttIngestServer.start(MqttIngestSettings.from(config))) {
      HttpClient http = HttpClient.newHttpClient();
      for (String body : bodies) {
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + CameraIngestServer.PATH))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
      }
      Files.writeString(inbox.resolve("privacy.jsonl"), String.join("\n", lines) + "\n");
      Files.writeString(inbox.resolve("privacy.csv"), csv);
      MqttClient pub =
          new MqttClient(endpoint.url(), "corpus-privacy-pub", new MemoryPersistence());
      pub.connect();
      pub.publish(
          "gf/sensors/DOOR/corpus-p-mqtt",
          ("{\"ts\":\"" + now + "\",\"value\":\"opened by " + PHONE + "\"}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
      pub.disconnect();

      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("corpus-p-future", "TS_IN_FUTURE");
      expected.put("corpus-p-type", "INVALID_FIELD");
      expected.put("corpus-p-trunc", "MALFORMED");
      expected.put("corpus-p-dept", "UNKNOWN_DEPARTMENT");
      expected.put("corpus-p-line-trunc", "MALFORMED");
      expected.put("corpus-p-csv", "TS_IN_FUTURE");
      expected.put("corpus-p-mqtt", "INVALID_FIELD");
      awaitDeadLetters(e, expected);
    }
    // Everything gf.deadletter holds, from this test and every other: nothing personal in clear.
    var all = KafkaProbe.readAll(e.kafkaBootstrap(), Topics.DEADLETTER, Duration.ofSeconds(30));
    for (var r : all) {
      assertThat(KafkaProbe.text(r))
          .as("dead letter %s", KafkaProbe.text(r))
          .doesNotContain(ID_CARD, OLD_ID_CARD, PHONE, NAME, PERSON);
    }
    String dept1 =
        all.stream()
            .map(KafkaProbe::text)
            .filter(t -> t.contains("corpus-p-dept"))
            .findFirst()
            .orElseThrow();
    assertThat(dept1).contains("subjectRef").contains("sr-");
  }
}
