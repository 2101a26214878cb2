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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;

/**
 * One running GridFusion (connectors and fusion job on a MiniCluster, over the embedded stack)
 * shared by the end-to-end tests of this JVM, with helpers that send inputs through the real
 * interfaces. Tests keep out of each other's way by using their own devices, grids and ids.
 */
final class TestPipeline {
  static final String TOKEN = "e2e-test-token-0123456789";
  static final String SECRET = "e2e-secret-0123456789";
  static final Duration WITHIN = Duration.ofSeconds(45);

  private static TestPipeline instance;

  final Endpoints stack;
  final District district;
  final Pipeline pipeline;
  private final MqttClient mqtt;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger files = new AtomicInteger();

  private TestPipeline(Endpoints stack) throws Exception {
    this.stack = stack;
    Path dir = Files.createTempDirectory(stack.dataDir(), "pipeline");
    district =
        DistrictGenerator.generate(
            DistrictSpec.small(7).withAsOf(Instant.now().truncatedTo(ChronoUnit.DAYS)));
    district.writeTo(dir.resolve("district"));
    reserveRiskGrid(dir.resolve("district"));
    Config config =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.kafkaBootstrap())
            .with(GridFusionOptions.MQTT_URL, stack.mqttUrl())
            .with(GridFusionOptions.MQTT_CLIENT_ID, "e2e-bridge")
            .with(GridFusionOptions.ELASTICSEARCH_URL, stack.elasticsearchUrl())
            .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
            .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
            .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, SECRET)
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_INBOX, dir.resolve("inbox"))
            .with(GridFusionOptions.INGEST_INBOX_POLL, "200ms")
            .with(GridFusionOptions.DATA_DIR, dir)
            .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "2s")
            .with(GridFusionOptions.JOB_IDLENESS, "1s")
            // scenarios replay event times from hours ago (a night, a day of silence)
            .with(GridFusionOptions.JOB_ALLOWED_LATENESS, "30d")
            .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0);
    pipeline = Pipeline.start(config, null);
    mqtt = new MqttClient(stack.mqttUrl(), "e2e-publisher", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    mqtt.connect(o);
    Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close));
  }

  /**
   * A grid outside the generated district, with a smoke detector and a camera, for the risk test
   * only.
   */
  static final String RISK_GRID = "G-RISK-TEST";

  static final String RISK_SMOKE = "RISK-SMOKE-1";
  static final String RISK_CAMERA = "RISK-CAM-1";

  /**
   * Adds {@link #RISK_GRID} to the written grid map and registry. The risk score of a grid depends
   * on everything that ever happened in it, and every generated grid gets traffic from some test;
   * this one is outside the {@link District} object, so no other test can send anything there.
   */
  private static void reserveRiskGrid(Path dir) throws Exception {
    Path map = dir.resolve("grids.geojson");
    var root = (ObjectNode) Json.MAPPER.readTree(map.toFile());
    ((ArrayNode) root.get("features"))
        .add(
            Json.MAPPER.readTree(
                """
        {"type":"Feature","properties":{"gridId":"G-RISK-TEST","name":"Risk test","kind":"BASIC","district":"D",
          "street":"S99","community":"S99-C01","households":400,"population":1000},
         "geometry":{"type":"Polygon","coordinates":[[[122.40,43.70],[122.41,43.70],[122.41,43.71],[122.40,43.71],[122.40,43.70]]]}}
        """));
    Files.writeString(map, Json.MAPPER.writeValueAsString(root));
    Files.writeString(
        dir.resolve("devices.csv"),
        RISK_SMOKE
            + ",SENSOR,SMOKE,43.705,122.405\n"
            + RISK_CAMERA
            + ",CAMERA,CAMERA,43.705,122.406\n",
        StandardOpenOption.APPEND);
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

  void cameraEvent(
      String eventId, String cameraId, String type, Instant ts, double confidence, int objectCount)
      throws Exception {
    HttpResponse<String> r =
        postCameraEvents(
            "{\"eventId\":\""
                + eventId
                + "\",\"cameraId\":\""
                + cameraId
                + "\",\"type\":\""
                + type
                + "\",\"ts\":\""
                + ts
                + "\",\"confidence\":"
                + confidence
                + ",\"objectCount\":"
                + objectCount
                + "}");
    if (r.statusCode() != 202)
      throw new AssertionError("camera event refused: " + r.statusCode() + " " + r.body());
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

  /** The work order in gf-workorders once {@code ready} holds for it. */
  JsonNode awaitWorkOrder(String orderId, Predicate<JsonNode> ready, Runnable meanwhile)
      throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      ElasticsearchProbe.refresh(stack.elasticsearchUrl(), "gf-workorders-*");
      var hits =
          ElasticsearchProbe.search(
              stack.elasticsearchUrl(),
              "gf-workorders-*",
              "{\"query\":{\"term\":{\"orderId\":\"" + orderId + "\"}}}");
      if (hits.total() == 1) {
        last = hits.sources().get(0);
        if (ready.test(last)) return last;
      }
      if (meanwhile != null) meanwhile.run();
      Thread.sleep(500);
    }
    throw new AssertionError(
        "work order " + orderId + " not as expected in gf-workorders; last seen: " + last);
  }

  ElasticsearchProbe.Hits awaitAlerts(String ruleId, String gridId) {
    return ElasticsearchProbe.awaitHits(
        stack.elasticsearchUrl(), "gf-alerts", alertQuery(ruleId, gridId), 1, WITHIN);
  }

  ElasticsearchProbe.Hits alerts(String ruleId, String gridId) {
    // a pattern, so that "no alert index yet" reads as no alerts
    ElasticsearchProbe.refresh(stack.elasticsearchUrl(), "gf-alerts-*");
    return ElasticsearchProbe.search(
        stack.elasticsearchUrl(), "gf-alerts-*", alertQuery(ruleId, gridId));
  }

  /**
   * Grids with an open alert of {@code ruleId} from any test so far. The open incident there would
   * take in a new firing of that rule (one alert per incident), whatever its time: a test that
   * needs an alert of its own picks a grid outside these.
   */
  Set<String> gridsWithOpenAlerts(String ruleId) {
    ElasticsearchProbe.refresh(stack.elasticsearchUrl(), "gf-alerts-*");
    return ElasticsearchProbe.search(
            stack.elasticsearchUrl(),
            "gf-alerts-*",
            "{\"size\":10000,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\""
                + ruleId
                + "\"}},{\"term\":{\"status\":\"OPEN\"}}]}}}")
        .sources()
        .stream()
        .map(a -> a.get("gridId").asText())
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** The alerts of one rule as published on gf.alerts (for failure messages). */
  List<String> kafkaAlerts(String ruleId) throws Exception {
    var codec = AvroCodec.of(Alert.class);
    var records =
        KafkaProbe.readUntil(
            stack.kafkaBootstrap(), Topics.ALERTS, rs -> !rs.isEmpty(), Duration.ofSeconds(10));
    List<String> out = new ArrayList<>();
    for (var r : records) {
      var a = codec.decode(r.value());
      if (a.getRuleId().equals(ruleId))
        out.add(a.getGridId() + "@" + a.getFirstSeen() + "#" + a.getCount());
    }
    return out;
  }

  private static String alertQuery(String ruleId, String gridId) {
    return "{\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\""
        + ruleId
        + "\"}},"
        + "{\"term\":{\"gridId\":\""
        + gridId
        + "\"}}]}}}";
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
