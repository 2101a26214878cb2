package org.gridfusion.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.console.ConsoleServer;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.TestDatabase;

/**
 * One running GridFusion (connectors and fusion job on a MiniCluster, over the embedded stack and
 * the machine's PostgreSQL) shared by the end-to-end smoke tests of this JVM, with helpers that
 * send inputs through the real interfaces (MQTT, HTTP, inbox, database table, Kafka commands) and
 * wait for what they should produce in Kafka and Elasticsearch.
 *
 * <p>What the job does with its inputs is tested exactly, on its own topology, by the jobs module's
 * ITCases; these tests check that each real ingress and store is wired to it. Tests keep out of
 * each other's way by using their own devices, grids and ids, and every wait polls for a condition
 * ({@link ElasticsearchProbe#awaitHits}, {@link KafkaProbe#readUntil}).
 */
final class TestPipeline {
  static final String TOKEN = "e2e-test-token-0123456789";
  static final String MQTT_USER = "e2e-sensors";
  static final String MQTT_PASSWORD = "e2e-mqtt-password-1";
  static final String SECRET = "e2e-secret-0123456789";
  static final Duration WITHIN = Duration.ofSeconds(45);

  /** The department table the JDBC poller reads (contract §2.3 columns, position {@code seq}). */
  static final String JDBC_TABLE = "department_records";

  private static TestPipeline instance;

  final Endpoints stack;
  final District district;
  final Pipeline pipeline;
  final Config config;
  private ConsoleServer console;
  final TestDatabase database;
  private final MqttClient mqtt;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger files = new AtomicInteger();
  private final AtomicLong rows = new AtomicLong();

  private TestPipeline(Endpoints stack) throws Exception {
    this.stack = stack;
    Path dir = Files.createTempDirectory(stack.dataDir(), "pipeline");
    district =
        DistrictGenerator.generate(
            DistrictSpec.small(7).withAsOf(Instant.now().truncatedTo(ChronoUnit.DAYS)));
    district.writeTo(dir.resolve("district"));
    database = TestDatabase.create("e2e");
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + JDBC_TABLE
              + " (\"recordId\" text, department text, \"recordType\" text, ts timestamptz,"
              + " \"addressCode\" text, \"subjectId\" text, attributes jsonb, seq bigint)");
    }
    reserveConsoleGrid(dir.resolve("district"));
    config =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.kafkaBootstrap())
            .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
            .with(GridFusionOptions.INGEST_MQTT_USERS, MQTT_USER + ":" + MQTT_PASSWORD)
            .with(GridFusionOptions.ELASTICSEARCH_URL, stack.elasticsearchUrl())
            .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
            .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
            .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, SECRET)
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_INBOX, dir.resolve("inbox"))
            .with(GridFusionOptions.INGEST_INBOX_POLL, "200ms")
            .with(GridFusionOptions.INGEST_JDBC_URL, database.url())
            .with(GridFusionOptions.INGEST_JDBC_USER, TestDatabase.USER)
            .with(GridFusionOptions.INGEST_JDBC_TABLE, JDBC_TABLE)
            .with(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "seq")
            .with(GridFusionOptions.INGEST_JDBC_INTERVAL, "200ms")
            .with(GridFusionOptions.DATA_DIR, dir)
            .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "2s")
            .with(GridFusionOptions.JOB_IDLENESS, "1s")
            // the bench's probes and the evaluator's input are dated hours and days back
            .with(GridFusionOptions.JOB_ALLOWED_LATENESS, "30d")
            .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0);
    pipeline = Pipeline.start(config, null);
    mqtt = new MqttClient(pipeline.mqttUrl(), "e2e-publisher", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(MQTT_USER);
    o.setPassword(MQTT_PASSWORD.toCharArray());
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    mqtt.connect(o);
    awaitFirstRecord();
    EmbeddedStackExtension.closeBeforeStack(
        () -> {
          pipeline.close(); // with a savepoint, so while Kafka is still there
          try {
            database.close();
          } catch (Exception e) {
            // the run is ending; the schema is dropped with the next test database's
          }
        });
  }

  /**
   * Ready means a reading has come through to gf.records (the job running, its first transaction
   * committed at a checkpoint): tests that measure or wait from here start on a pipeline that
   * flows.
   */
  private void awaitFirstRecord() throws Exception {
    String device = district.sensors(SensorType.TEMPERATURE).get(0).deviceId();
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    reading("TEMPERATURE", device, 21.5, ts);
    String id = "SENSOR:" + device + ":TEMPERATURE:" + ts.toEpochMilli();
    awaitOnKafka(Topics.RECORDS, Record.class, r -> r.getRecordId().equals(id));
  }

  /**
   * A grid outside the generated district with a water gauge and a manhole, for the console's
   * browser test only.
   */
  static final String CONSOLE_GRID = "G-CONSOLE-TEST";

  static final String CONSOLE_WATER = "CONSOLE-WATER-1";

  /** A manhole beside the gauge: its alert joins the flood's incident (issue 16). */
  static final String CONSOLE_MANHOLE = "CONSOLE-TILT-1";

  static final String CONSOLE_OPERATOR = "console-operator-token-0123456789";

  /**
   * Adds {@link #CONSOLE_GRID} to the written grid map and registry: outside the generated
   * district, so no other test sends anything there and its risk is the browser test's alone.
   */
  private static void reserveConsoleGrid(Path dir) throws Exception {
    Path map = dir.resolve("grids.geojson");
    var root = (ObjectNode) Json.MAPPER.readTree(map.toFile());
    ((ArrayNode) root.get("features"))
        .add(
            Json.MAPPER.readTree(
                """
        {"type":"Feature","properties":{"gridId":"G-CONSOLE-TEST","name":"Console test","kind":"BASIC","district":"D",
          "street":"S98","community":"S98-C01","households":300,"population":900},
         "geometry":{"type":"Polygon","coordinates":[[[122.42,43.70],[122.43,43.70],[122.43,43.71],[122.42,43.71],[122.42,43.70]]]}}
        """));
    Files.writeString(map, Json.MAPPER.writeValueAsString(root));
    Files.writeString(
        dir.resolve("devices.csv"),
        CONSOLE_WATER
            + ",SENSOR,WATER_LEVEL,43.705,122.425\n"
            + CONSOLE_MANHOLE
            + ",SENSOR,MANHOLE_TILT,43.706,122.426\n",
        StandardOpenOption.APPEND);
  }

  /** The console on this pipeline, started on first use (port 0, an operator token of its own). */
  synchronized ConsoleServer console() throws Exception {
    if (console == null) {
      Config c =
          config
              .with(GridFusionOptions.CONSOLE_PORT, 0)
              .with(
                  GridFusionOptions.CONSOLE_TOKENS,
                  new ConsoleToken(CONSOLE_OPERATOR, ConsoleToken.Role.OPERATOR).text());
      console = ConsoleServer.start(c, pipeline.health());
      EmbeddedStackExtension.closeBeforeStack(console::close);
    }
    return console;
  }

  static synchronized TestPipeline get() throws Exception {
    if (instance == null) instance = new TestPipeline(EmbeddedStackExtension.endpoints());
    return instance;
  }

  void publish(String topic, String payload) throws Exception {
    mqtt.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  void reading(String type, String deviceId, double value, Instant ts) throws Exception {
    publish(
        "gf/sensors/" + type + "/" + deviceId, "{\"ts\":\"" + ts + "\",\"value\":" + value + "}");
  }

  HttpResponse<String> postCameraEvents(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(pipeline.http().url() + "/v1/camera-events"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Drops department records (JSON lines) into the inbox the way a department system should: write,
   * then rename.
   */
  void departmentFile(List<String> lines) throws Exception {
    String name = "e2e-" + files.incrementAndGet() + "-" + System.nanoTime();
    Path tmp = pipeline.inboxDir().resolve("." + name + ".tmp");
    Files.writeString(tmp, String.join("\n", lines) + "\n");
    Files.move(tmp, pipeline.inboxDir().resolve(name + ".jsonl"));
  }

  /** Inserts a department record into the table the JDBC poller reads. */
  void departmentRow(
      String recordId, String department, String recordType, Instant ts, String addressCode)
      throws Exception {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + JDBC_TABLE
                    + " (\"recordId\", department, \"recordType\", ts, \"addressCode\", seq)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, recordId);
      s.setString(2, department);
      s.setString(3, recordType);
      s.setObject(4, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
      s.setString(5, addressCode);
      s.setLong(6, rows.incrementAndGet());
      s.executeUpdate();
    }
  }

  /**
   * A work-order command on gf.workorder-commands, as the command platform sends it (contract
   * §2.4).
   */
  void workOrderCommand(String orderId, String action, Instant ts, String extra) {
    KafkaProbe.send(
        stack.kafkaBootstrap(),
        Topics.WORKORDER_COMMANDS,
        orderId,
        "{\"orderId\":\""
            + orderId
            + "\",\"action\":\""
            + action
            + "\",\"actor\":\"street:S01\",\"ts\":\""
            + ts
            + "\""
            + (extra == null ? "" : "," + extra)
            + "}");
  }

  /** The documents of {@code index} matching every term given (field, value, field, value...). */
  JsonNode awaitDocument(String index, String... terms) {
    StringBuilder filter = new StringBuilder();
    for (int i = 0; i < terms.length; i += 2) {
      if (i > 0) filter.append(',');
      filter
          .append("{\"term\":{\"")
          .append(terms[i])
          .append("\":\"")
          .append(terms[i + 1])
          .append("\"}}");
    }
    return ElasticsearchProbe.awaitHits(
            stack.elasticsearchUrl(),
            index,
            "{\"query\":{\"bool\":{\"filter\":[" + filter + "]}}}",
            1,
            WITHIN)
        .sources()
        .get(0);
  }

  /** The first element of an Avro topic that {@code which} accepts, once it is there. */
  <T extends SpecificRecordBase> T awaitOnKafka(String topic, Class<T> type, Predicate<T> which) {
    AvroCodec<T> codec = AvroCodec.of(type);
    Predicate<ConsumerRecord<byte[], byte[]>> matches =
        r -> {
          try {
            return which.test(codec.decode(r.value()));
          } catch (Exception e) {
            return false;
          }
        };
    var records =
        KafkaProbe.readUntil(
            stack.kafkaBootstrap(), topic, rs -> rs.stream().anyMatch(matches), WITHIN);
    try {
      return codec.decode(records.stream().filter(matches).findFirst().orElseThrow().value());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first dead letter on gf.deadletter containing {@code marker}, once it is there. */
  JsonNode awaitDeadLetter(String marker) {
    return KafkaProbe.readUntil(
            stack.kafkaBootstrap(),
            Topics.DEADLETTER,
            rs -> rs.stream().anyMatch(r -> KafkaProbe.text(r).contains(marker)),
            WITHIN)
        .stream()
        .map(KafkaProbe::text)
        .filter(t -> t.contains(marker))
        .map(TestPipeline::json)
        .findFirst()
        .orElseThrow();
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
