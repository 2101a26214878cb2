package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.tls.Tls;
import org.gridfusion.embedded.Certificates;
import org.gridfusion.embedded.EmbeddedElasticsearch;
import org.gridfusion.jobs.elasticsearch.IndexTemplates;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.ListeningSockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code up} as an operator runs it on a shared host, started the way {@code up} starts
 * (RunningStack: embedded defaults, generated district, pipeline, supervisor), with {@code
 * embedded.secure} (Kafka takes SASL/SCRAM-SHA-512 logins only, Elasticsearch HTTPS logins only),
 * the HTTP ingest on HTTPS with a certificate made for this run, and configured secrets. Checks,
 * against these real servers: nothing listens beyond loopback, clients without the login are
 * refused, GridFusion's own clients work end to end, {@code /health} tells the truth, a killed
 * Elasticsearch node is restarted (logged, counted, indexing resumes), and no secret reaches the
 * log or the console.
 *
 * <p>One stack for the whole class (its own, not the shared one: the shared stack is not secured);
 * the tests run in order and the last ones build on the first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredUpITCase {
  private static final String TOKEN = "secured-up-token-0123456789";
  private static final String SECRET = "secured-up-hmac-secret-0123456789";
  private static final Duration WITHIN = Duration.ofSeconds(90);

  /** A restart of the secured node (its user re-made, the JVM started) on a loaded machine. */
  private static final Duration RESTART_WITHIN = Duration.ofSeconds(300);

  private LogCapture log;
  private Path dataDir;
  private RunningStack up;
  private Config config;
  private String printed;
  private HttpClient https;
  private KafkaConnection kafka;
  private ElasticsearchConnection es;
  private String embeddedPassword;

  @BeforeAll
  void start() throws Exception {
    log = LogCapture.capture();
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    dataDir = Path.of("").toAbsolutePath().resolve("target").resolve("secured-up-" + ts);
    Certificates ingestCerts =
        Certificates.inDirectory(dataDir.resolve("ingest-tls"), "ingest-store-pass", List.of());
    Config given =
        Config.empty()
            .with(GridFusionOptions.DATA_DIR, dataDir)
            .with(GridFusionOptions.EMBEDDED_SECURE, true)
            .with(GridFusionOptions.EMBEDDED_KAFKA_PORT, 0)
            .with(GridFusionOptions.EMBEDDED_MQTT_PORT, 0)
            .with(GridFusionOptions.EMBEDDED_ES_PORT, 0)
            .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0)
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
            .with(GridFusionOptions.INGEST_HTTP_TLS_CERTIFICATE, ingestCerts.serverCertificate())
            .with(GridFusionOptions.INGEST_HTTP_TLS_KEY, ingestCerts.serverKey())
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, SECRET)
            .with(GridFusionOptions.JOB_PARALLELISM, 1)
            .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "2s")
            .with(GridFusionOptions.JOB_IDLENESS, "1s")
            .with(GridFusionOptions.HEALTH_INTERVAL, "1s");
    assertThat(Preflight.problems(given)).isEmpty();
    up = RunningStack.start(given);
    config = up.config();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    up.printEndpoints(new PrintStream(out, true, StandardCharsets.UTF_8));
    printed = out.toString(StandardCharsets.UTF_8);
    https =
        HttpClient.newBuilder()
            .sslContext(Tls.trusting(ingestCerts.caCertificate()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    kafka = KafkaConnection.from(config, "test");
    es = ElasticsearchConnection.from(config, "test");
    embeddedPassword =
        Files.readString(dataDir.resolve("secrets").resolve("embedded-password")).trim();
  }

  @AfterAll
  void stop() {
    if (up != null) up.close();
    if (log != null) log.close();
  }

  @Test
  @Order(1)
  void everyServiceListensOnLoopbackOnly() throws Exception {
    List<ListeningSockets.Listener> listeners =
        ListeningSockets.of(ListeningSockets.thisJvmAndItsChildren());
    List<Integer> ports = listeners.stream().map(ListeningSockets.Listener::port).toList();
    int kafkaPort = port(config.get(GridFusionOptions.KAFKA_BOOTSTRAP));
    int esPort = URI.create(config.get(GridFusionOptions.ELASTICSEARCH_URL)).getPort();
    int flinkPort = config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT);
    int ingestPort = up.pipeline().http().port();
    assertThat(ports).contains(kafkaPort, esPort, flinkPort, ingestPort);
    // Kafka (client and controller), Elasticsearch (HTTP and transport), Flink (REST, BLOB, RPC,
    // data exchange), the ingest, the MQTT broker — and whatever else this JVM opened.
    assertThat(listeners)
        .as("listening sockets of this JVM and its children: %s", listeners)
        .allSatisfy(l -> assertThat(l.loopback()).as(l.toString()).isTrue());
  }

  @Test
  @Order(2)
  void flinksRestApiTakesNoJarSubmissions() throws Exception {
    String rest = "http://127.0.0.1:" + config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> jars =
        http.send(
            HttpRequest.newBuilder(URI.create(rest + "/jars")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(jars.statusCode()).isEqualTo(404);
    JsonNode features =
        Json.MAPPER
            .readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + "/config")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("features");
    assertThat(features.path("web-submit").asBoolean(true)).isFalse();
    assertThat(features.path("web-cancel").asBoolean(true)).isFalse();
  }

  @Test
  @Order(3)
  void kafkaRefusesClientsWithoutTheLogin() throws Exception {
    Properties anonymous = KafkaConnection.plaintext(kafka.bootstrap()).properties();
    anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
    Config wrong = config.with(GridFusionOptions.KAFKA_SASL_PASSWORD, "not-the-password");
    Properties wrongPassword = KafkaConnection.from(wrong, "test").properties();
    wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(wrongPassword)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
    try (Admin admin = Admin.create(kafka.properties())) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(Topics.RECORDS);
      // setup gave the dead letters their retention (kafka.deadletterRetention, 7 days)
      ConfigResource dl = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEADLETTER);
      assertThat(
              admin
                  .describeConfigs(List.of(dl))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .get(dl)
                  .get("retention.ms")
                  .value())
          .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
    }
  }

  @Test
  @Order(4)
  void elasticsearchRefusesAnonymousRequestsAndPlainHttp() throws Exception {
    assertThat(es.url()).startsWith("https://");
    ElasticsearchConnection anonymous =
        ElasticsearchConnection.apiKey(
            es.url(),
            "bm90OmFrZXk=",
            Path.of(config.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE)));
    assertThat(ElasticsearchProbe.send(anonymous, "GET", "/_cluster/health", null).statusCode())
        .isEqualTo(401);
    ElasticsearchConnection wrong =
        ElasticsearchConnection.basic(
            es.url(),
            EmbeddedDefaults.EMBEDDED_USER,
            "not-the-password",
            Path.of(config.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE)));
    assertThat(ElasticsearchProbe.send(wrong, "GET", "/_cluster/health", null).statusCode())
        .isEqualTo(401);
    assertThat(ElasticsearchProbe.send(es, "GET", "/_cluster/health", null).statusCode())
        .isEqualTo(200);
    // GridFusion's own client (the official one, as the job's sink and setup use it) with the
    // login over TLS: installing the templates again is idempotent.
    assertThat(IndexTemplates.install(es, 1, 0)).contains("gf-records");
    ElasticsearchConnection plain = ElasticsearchConnection.of(es.url().replace("https:", "http:"));
    assertThatThrownBy(() -> ElasticsearchProbe.send(plain, "GET", "/_cluster/health", null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @Order(5)
  void anEventGoesThroughHttpsIngestTheSecuredBrokerAndTheJobIntoTheSecuredIndex()
      throws Exception {
    String eventId = "secured-1";
    assertThat(postCameraEvent(eventId).statusCode()).isEqualTo(202);
    ElasticsearchProbe.awaitHits(
        es,
        "gf-records",
        "{\"query\":{\"term\":{\"recordId\":\"CAMERA:" + eventId + "\"}}}",
        1,
        WITHIN);
    KafkaProbe.readUntil(
        kafka,
        Topics.RECORDS,
        rs ->
            rs.stream()
                .anyMatch(
                    r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains(eventId)),
        WITHIN);
  }

  @Test
  @Order(6)
  void healthIsServedOnTheIngestPortAndShowsEveryComponent() throws Exception {
    await(
        () ->
            up.pipeline().health().get().lastCheckpoint() != null
                && up.pipeline().health().get().overall().name().equals("UP"),
        "health UP with a checkpoint: " + up.pipeline().health().get());
    JsonNode anonymous = Json.MAPPER.readTree(health(null).body());
    assertThat(anonymous.toString()).isEqualTo("{\"status\":\"UP\"}");
    JsonNode full = Json.MAPPER.readTree(health(TOKEN).body());
    for (String c :
        List.of(
            HealthStatus.KAFKA,
            HealthStatus.MQTT,
            HealthStatus.ELASTICSEARCH,
            HealthStatus.JOB,
            Pipeline.HTTP_INGEST)) {
      assertThat(full.path("components").path(c).path("state").asText()).as(c).isEqualTo("UP");
    }
    assertThat(full.path("lastCheckpoint").asText()).isNotBlank();
    await(
        () -> up.pipeline().health().get().indexingLagRecords() != null,
        "the indexing lag from the gf-records sink's metrics");
  }

  @Test
  @Order(7)
  void aKilledElasticsearchNodeIsRestartedLoggedCountedAndIndexingResumes() throws Exception {
    EmbeddedElasticsearch node = up.stack().elasticsearch();
    long pid = node.nodePid().orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
    await(() -> log.text().contains("Elasticsearch node died"), "a log line saying the node died");
    await(
        () -> log.text().contains("Elasticsearch node restarted in"),
        "a log line saying the node is back",
        RESTART_WITHIN);
    assertThat(up.supervisor().restarts(RunningStack.ELASTICSEARCH_NODE)).isEqualTo(1);
    await(
        () ->
            up.pipeline()
                .health()
                .get()
                .component(HealthStatus.ELASTICSEARCH)
                .detail()
                .contains("restarted 1 time"),
        "health counting the restart: " + up.pipeline().health().get());
    String after = "secured-after-restart";
    assertThat(postCameraEvent(after).statusCode()).isEqualTo(202);
    ElasticsearchProbe.awaitHits(
        es,
        "gf-records",
        "{\"query\":{\"term\":{\"recordId\":\"CAMERA:" + after + "\"}}}",
        1,
        WITHIN);
    assertThat(Json.MAPPER.readTree(health(TOKEN).body()).toString()).contains("restarted 1 time");
  }

  @Test
  @Order(8)
  void noSecretReachesTheLogOrTheConsole() {
    assertThat(printed)
        .contains("endpoint http-ingest https://")
        .contains("endpoint elasticsearch https://")
        .doesNotContain(TOKEN);
    String text = log.text();
    assertThat(text).contains("Fusion job submitted").contains("HTTP camera ingest listening");
    for (String secret : List.of(TOKEN, SECRET, embeddedPassword, "ingest-store-pass")) {
      assertThat(text).as("the log").doesNotContain(secret);
      assertThat(printed).as("the endpoint lines").doesNotContain(secret);
    }
  }

  /**
   * Flink's REST API has no login, and {@code web.cancel.enable=false} only hides the UI's button:
   * a local process can still cancel the job. GridFusion cannot prevent that on a MiniCluster (the
   * README says so); it makes it loud: {@code up} stops with the reason.
   */
  @Test
  @Order(9)
  void aJobCancelledBehindItsBackStopsUpWithTheReason() throws Exception {
    String rest = "http://127.0.0.1:" + config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT);
    String job = up.pipeline().job().getJobID().toHexString();
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(rest + "/jobs/" + job + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String reason = up.fatal().get(WITHIN.toSeconds(), TimeUnit.SECONDS);
    assertThat(reason).containsIgnoringCase("cancel");
    assertThat(log.text()).contains(reason);
  }

  private HttpResponse<String> postCameraEvent(String eventId) throws Exception {
    Device camera = up.district().cameras().get(0);
    String body =
        "{\"eventId\":\""
            + eventId
            + "\",\"cameraId\":\""
            + camera.deviceId()
            + "\",\"type\":\"CROWD\",\"ts\":\""
            + Instant.now()
            + "\",\"objectCount\":4}";
    return https.send(
        HttpRequest.newBuilder(URI.create(up.pipeline().http().url() + "/v1/camera-events"))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> health(String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(up.pipeline().http().url() + "/health"));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    await(condition, what, WITHIN);
  }

  private static void await(BooleanSupplier condition, String what, Duration within) {
    Await.until(what, condition, within);
  }
}
