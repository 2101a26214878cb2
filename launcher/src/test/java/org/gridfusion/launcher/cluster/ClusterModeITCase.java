package org.gridfusion.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.launcher.Deliveries;
import org.gridfusion.launcher.Deliveries.Counts;
import org.gridfusion.launcher.Deliveries.ExpectedAlert;
import org.gridfusion.launcher.Pipeline;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.Pacer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GridFusion in cluster mode (contract §8) through its real ingress (HTTP, MQTT, inbox) on a
 * standalone Flink session cluster of one JobManager and two TaskManagers, each its own process,
 * with the job jar submitted over REST: one cluster shared by the four tests, in order.
 *
 * <ol>
 *   <li>SIGKILL of a TaskManager while inputs flow: the job restarts from its last checkpoint;
 *       every acknowledged input is in gf.records (read_committed) and gf-records once, every
 *       expected alert in gf.alerts and gf-alerts once, no work order doubled.
 *   <li>The same after SIGKILL of the JobManager, which {@code up}'s supervisor starts again and
 *       resubmits the job to from its newest checkpoint.
 *   <li>Upgrade by savepoint to a changed job jar (a rule changed, a field added to Record): an
 *       open incident, its work order, the grid's risk evidence and a pending absence timer
 *       survive.
 *   <li>Rescale: the savepoint restored at parallelism 4 from 2; the same state carries on.
 * </ol>
 *
 * Its own Kafka and MQTT broker (the shared stack's carry the MiniCluster pipeline of the other
 * tests, whose job would read these inputs too); the shared Elasticsearch, where these grids,
 * devices and ids are this test's own.
 */
@ExtendWith(EmbeddedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterModeITCase {
  private static final String TOKEN = "cluster-test-token-0123456789";
  private static final Duration WITHIN = Duration.ofSeconds(90);
  private static final AvroCodec<Record> RECORDS = AvroCodec.of(Record.class);

  /** Replaces the generated district's "G-" in every grid id. */
  private static final String GRID_PREFIX = "GC-";

  /** In every id this test makes up, so none is another test's in the shared Elasticsearch. */
  private static final String RUN = "cl" + Long.toString(System.currentTimeMillis(), 36);

  private final HttpClient http = HttpClient.newHttpClient();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private Endpoints stack;
  private EmbeddedKafka kafka;
  private MqttClient publisher;
  private District district;
  private Pipeline pipeline;
  private ClusterJob cluster;
  private Path dir;

  /** Record as the upgraded job writes it (one field more), once upgraded. */
  private volatile Schema newerRecord;

  @BeforeAll
  void start() throws Exception {
    stack = EmbeddedStackExtension.endpoints();
    dir = Files.createTempDirectory(stack.dataDir(), "cluster");
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    district =
        DistrictGenerator.generate(
            DistrictSpec.small(1015).withAsOf(Instant.now().truncatedTo(ChronoUnit.DAYS)));
    district.writeTo(dir.resolve("district"));
    // Grid ids of its own: a generated district's ids follow its layout (G-S01-C01-B01...), the
    // same as the MiniCluster pipeline's, and both write alerts to the shared Elasticsearch.
    Path grids = dir.resolve("district/grids.geojson");
    Files.writeString(grids, Files.readString(grids).replace("\"G-", "\"" + GRID_PREFIX));
    Config config =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap())
            // GridFusion's own MQTT endpoint, anonymous on loopback as in up
            .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
            .with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true)
            .with(GridFusionOptions.ELASTICSEARCH_URL, stack.elasticsearchUrl())
            .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
            .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
            .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "cluster-secret-0123456789")
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, TOKEN)
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_INBOX, dir.resolve("inbox"))
            .with(GridFusionOptions.INGEST_INBOX_POLL, "200ms")
            .with(GridFusionOptions.DATA_DIR, dir)
            .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "2s")
            .with(GridFusionOptions.JOB_IDLENESS, "1s")
            .with(GridFusionOptions.JOB_ALLOWED_LATENESS, "30d")
            .with(GridFusionOptions.JOB_RESTART_MAX_BACKOFF, "2s")
            // the upgrade test reads the restored risk evidence from a minute timer's point, which
            // comes only once the score has moved by RiskScorer.CHANGE (0.1): at the default 1 h
            // one elevated water reading (4 points) decays by 0.05 a minute, at 2 min by over 1
            .with(GridFusionOptions.RISK_HALF_LIFE, "2m")
            // the transactional path: after a kill, no alert update may be published twice
            .with(GridFusionOptions.JOB_ALERTS_DELIVERY, "exactly-once")
            .with(GridFusionOptions.FLINK_TASK_MANAGERS, 2)
            .with(GridFusionOptions.FLINK_SPARE_TASK_MANAGERS, 1)
            .with(GridFusionOptions.FLINK_TASK_MANAGER_MEMORY, "1280m");
    pipeline = Pipeline.start(config, null);
    cluster = pipeline.cluster();
    publisher =
        new MqttClient(pipeline.mqttUrl(), "cluster-test-publisher", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    publisher.connect(o);
  }

  @AfterAll
  void stop() throws Exception {
    if (publisher != null) publisher.disconnect();
    if (pipeline != null) pipeline.close();
    if (kafka != null) kafka.close();
  }

  @Test
  @Order(1)
  void aKilledTaskManagerLosesAndDoublesNothing() throws Exception {
    assertThat(cluster.cluster().members())
        .extracting(FlinkCluster.Member::name)
        .containsExactly("jobmanager", "taskmanager-1", "taskmanager-2");
    List<ExpectedAlert> expected = new ArrayList<>();
    expected.add(fall(0));
    expected.add(waterlogging(1));
    departmentRecords(5);
    awaitCheckpointAfterNow();

    String before = cluster.jobId();
    try (Traffic traffic = new Traffic()) {
      traffic.awaitSent(40);
      kill(cluster.cluster().member("taskmanager-1"));
      awaitRecovered(before);
      traffic.awaitSent(traffic.sent() + 40);
    }
    expected.add(fall(2));
    departmentRecords(5);

    assertExactlyOnce(expected);
    // the spare (flink.spareTaskManagers: 1) took the dead one's place
    assertThat(cluster.cluster().members())
        .extracting(FlinkCluster.Member::name)
        .contains("taskmanager-3");
  }

  @Test
  @Order(2)
  void aKilledJobManagerIsRestartedAndTheJobResumesFromItsCheckpoint() throws Exception {
    List<ExpectedAlert> expected = new ArrayList<>();
    expected.add(fall(3));
    awaitCheckpointAfterNow();
    String before = cluster.jobId();
    long jobManagerPid = cluster.cluster().member("jobmanager").pid();
    try (Traffic traffic = new Traffic()) {
      traffic.awaitSent(40);
      kill(cluster.cluster().member("jobmanager"));
      Await.until(
          "job resubmitted to the restarted JobManager",
          cluster::jobId,
          id -> !id.equals(before),
          WITHIN);
      cluster.awaitRunning(WITHIN);
      traffic.awaitSent(traffic.sent() + 40);
    }
    assertThat(cluster.cluster().member("jobmanager").pid()).isNotEqualTo(jobManagerPid);
    expected.add(waterlogging(2));
    departmentRecords(3);
    assertExactlyOnce(expected);
  }

  @Test
  @Order(3)
  void anUpgradeBySavepointKeepsIncidentsOrdersRiskAndAbsenceTimers() throws Exception {
    Device water = sensor(SensorType.WATER_LEVEL, 0);
    Instant t0 = Instant.now();
    reading(water, 35, t0);
    JsonNode alert = awaitAlert("WATERLOGGING", grid(water), a -> a.get("count").asInt() == 1);
    String orderId = "WO." + alert.get("alertId").asText();
    awaitOrder(orderId, o -> "REPORTED".equals(o.get("status").asText()));
    // an elderly resident whose door last reported just under a day ago: due for a silence
    // check 30 s of event time after t0 (on the minute after, with the risk point read below),
    // which no input before the upgrade reaches
    Device door = sensor(SensorType.DOOR, 0);
    Instant registered = t0.minus(Duration.ofHours(24)).plusSeconds(30);
    elderly(door, registered);
    reading(door, 1, registered);
    awaitCheckpointAfterNow();

    ChangedJobJar.Built next =
        ChangedJobJar.build(
            cluster.cluster().dir().resolve("job.jar"),
            dir.resolve("next-jar"),
            rules ->
                rules
                    .replace("version: default-1", "version: default-1-next")
                    .replace(
                        "match: {source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 30}",
                        "match: {source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 25}"),
            "{\"name\": \"upgradeNote\", \"type\": [\"null\", \"string\"], \"default\": null,"
                + " \"doc\": \"added by a compatible change (ClusterModeITCase)\"}");
    newerRecord = next.record();
    JobUpgrade.Result upgraded = cluster.upgrade(next.jar(), null);
    assertThat(upgraded.savepoint()).contains("savepoint");

    // the changed rule is in force (27 was below the old threshold) and the incident still open:
    // same alert, one more firing
    reading(water, 27, t0.plusSeconds(60));
    JsonNode grown = awaitAlert("WATERLOGGING", grid(water), a -> a.get("count").asInt() == 2);
    assertThat(grown.get("alertId").asText()).isEqualTo(alert.get("alertId").asText());
    assertThat(grown.get("ruleVersion").asText()).isEqualTo("default-1-next");
    // the order is still there to be grabbed
    command(orderId, "GRAB", t0.plusSeconds(90));
    awaitOrder(orderId, o -> "GRABBED".equals(o.get("status").asText()));
    // The absence timer set before the upgrade fires once event time passes it, and so does the
    // grid's first minute-timer risk point at least 30 s after t0: both on the first minute
    // boundary after t0 + 30 s. Event time follows on-time inputs only as far as the wall clock (a
    // clock ahead does not move it further, ReceiptBoundWatermarks): a reading received more than
    // the out-of-orderness (5 s) after that boundary moves the watermark past it
    Instant check = minuteAtOrAfter(registered.plus(Duration.ofHours(24)));
    Instant passed = check.plusSeconds(7);
    Await.until("the wall clock past " + passed, () -> Instant.now().isAfter(passed), WITHIN);
    Device clock = sensor(SensorType.TEMPERATURE, 0);
    reading(clock, 20, Instant.now());
    awaitAlert("ELDERLY_INACTIVE", grid(door), a -> true);
    // the grid's risk still counts the elevated reading from before the upgrade (27 is not
    // elevated: only restored evidence explains the factor)
    ElasticsearchProbe.awaitHits(
        stack.elasticsearchUrl(),
        "gf-grid-risk*",
        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"gridId\":\"%s\"}},{\"term\":{\"factors.name\":\"record:WATER_LEVEL\"}},{\"range\":{\"ts\":{\"gte\":\"%s\"}}}]}}}"
            .formatted(grid(water), t0.plusSeconds(30)),
        1,
        WITHIN);
  }

  private static Instant minuteAtOrAfter(Instant t) {
    Instant m = t.truncatedTo(ChronoUnit.MINUTES);
    return m.isBefore(t) ? m.plusSeconds(60) : m;
  }

  @Test
  @Order(4)
  void theSavepointRestoresAtParallelismFour() throws Exception {
    Device water = sensor(SensorType.WATER_LEVEL, 0);
    JsonNode alert = awaitAlert("WATERLOGGING", grid(water), a -> true);
    String orderId = "WO." + alert.get("alertId").asText();
    int count = alert.get("count").asInt();

    cluster.upgrade(null, 4);
    assertThat(parallelisms(cluster.jobId())).contains(4);

    reading(water, 28, Instant.now());
    JsonNode grown =
        awaitAlert("WATERLOGGING", grid(water), a -> a.get("count").asInt() == count + 1);
    assertThat(grown.get("alertId").asText()).isEqualTo(alert.get("alertId").asText());
    command(orderId, "FEEDBACK", Instant.now());
    awaitOrder(orderId, o -> "HANDLED".equals(o.get("status").asText()));
    ExpectedAlert fall = fall(4);
    assertExactlyOnce(List.of(fall));
  }

  // ------------------------------------------------------------------ inputs

  private ExpectedAlert fall(int n) throws Exception {
    Device camera = cameraInOwnGrid(n);
    String id = RUN + "-fall-" + n + "-" + ids.incrementAndGet();
    camera(id, camera, "FALL_DETECTED", 0.95, 1, Instant.now());
    return new ExpectedAlert("FALL_DETECTED", grid(camera));
  }

  private ExpectedAlert waterlogging(int n) throws Exception {
    Device water = sensor(SensorType.WATER_LEVEL, n);
    reading(water, 33, Instant.now());
    return new ExpectedAlert("WATERLOGGING", grid(water));
  }

  /** The grid the job places the device in (this test's grid ids). */
  private static String grid(Device d) {
    return GRID_PREFIX + d.gridId().substring("G-".length());
  }

  /** Cameras in grids apart from each other and from the water sensors the tests use. */
  private Device cameraInOwnGrid(int n) {
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < 3; i++) taken.add(sensor(SensorType.WATER_LEVEL, i).gridId());
    List<Device> cameras = new ArrayList<>();
    for (Device c : district.cameras()) {
      if (taken.add(c.gridId())) cameras.add(c);
    }
    return cameras.get(n);
  }

  private Device sensor(SensorType type, int n) {
    List<Device> all = district.sensors(type);
    return all.get(n % all.size());
  }

  private void camera(
      String eventId, Device camera, String type, double confidence, int count, Instant ts)
      throws Exception {
    String body =
        "{\"eventId\":\"%s\",\"cameraId\":\"%s\",\"type\":\"%s\",\"ts\":\"%s\",\"confidence\":%s,\"objectCount\":%d}"
            .formatted(eventId, camera.deviceId(), type, ts, confidence, count);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(pipeline.http().url() + "/v1/camera-events"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    acknowledged.add("CAMERA:" + eventId);
  }

  private void reading(Device d, double value, Instant ts) throws Exception {
    long ms = ts.toEpochMilli();
    publisher.publish(
        "gf/sensors/" + d.type() + "/" + d.deviceId(),
        ("{\"ts\":" + ms + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8),
        1,
        false);
    acknowledged.add("SENSOR:" + d.deviceId() + ":" + d.type() + ":" + ms);
  }

  /** Department events (INCIDENT_REPORT) in a file dropped into the inbox, done once moved. */
  private void departmentRecords(int n) throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> recordIds = new ArrayList<>();
    Device near = sensor(SensorType.TEMPERATURE, 1);
    for (int i = 0; i < n; i++) {
      String id = RUN + "-" + ids.incrementAndGet();
      recordIds.add(id);
      lines.add(
          "{\"recordId\":\"%s\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\",\"ts\":\"%s\",\"lat\":%s,\"lon\":%s}"
              .formatted(id, Instant.now(), near.lat(), near.lon()));
    }
    dropFile(lines);
    recordIds.forEach(id -> acknowledged.add("DEPARTMENT:" + id));
  }

  private void elderly(Device door, Instant ts) throws Exception {
    String id = RUN + "-elderly-" + ids.incrementAndGet();
    dropFile(
        List.of(
            "{\"recordId\":\"%s\",\"department\":\"CIVIL_AFFAIRS\",\"recordType\":\"ELDERLY_LIVING_ALONE\",\"ts\":\"%s\",\"lat\":%s,\"lon\":%s,\"subjectId\":\"110101194001019999\",\"attributes\":{\"doorSensorId\":\"%s\"}}"
                .formatted(id, ts, door.lat(), door.lon(), door.deviceId())));
    acknowledged.add("DEPARTMENT:" + id);
  }

  private void dropFile(List<String> lines) throws Exception {
    String name = RUN + "-" + ids.incrementAndGet();
    Path inbox = pipeline.inboxDir();
    Path tmp = inbox.resolve("." + name + ".tmp");
    Files.writeString(tmp, String.join("\n", lines) + "\n");
    Files.move(tmp, inbox.resolve(name + ".jsonl"));
    Path done = inbox.resolve("done").resolve(name + ".jsonl");
    Await.until(name + " taken from the inbox", () -> Files.exists(done), WITHIN);
  }

  private void command(String orderId, String action, Instant ts) {
    KafkaProbe.send(
        kafka.bootstrap(),
        Topics.WORKORDER_COMMANDS,
        orderId,
        "{\"orderId\":\"%s\",\"action\":\"%s\",\"actor\":\"street:S01\",\"ts\":\"%s\"}"
            .formatted(orderId, action, ts));
  }

  /**
   * Background traffic while a process is killed: harmless camera events over HTTP and sensor
   * readings over MQTT, every acknowledged one remembered.
   */
  private final class Traffic implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;

    Traffic() {
      Device camera = cameraInOwnGrid(5);
      Device temperature = sensor(SensorType.TEMPERATURE, 2);
      Pacer pacer = new Pacer(Duration.ofMillis(50));
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    pacer.awaitNext();
                    int n = ids.incrementAndGet();
                    camera(RUN + "-bg-" + n, camera, "ILLEGAL_PARKING", 0.6, 1, Instant.now());
                    reading(temperature, 20 + n % 5, Instant.now());
                    sent.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception | AssertionError e) {
                    // not acknowledged (the ingest waits on Kafka): not counted, tried again
                  }
                }
              },
              "cluster-test-traffic");
      thread.start();
    }

    int sent() {
      return sent.get();
    }

    void awaitSent(int n) {
      Await.until(
          n + " background inputs acknowledged",
          () -> sent.get() >= n,
          WITHIN,
          () -> sent.get() + " so far");
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }

  // ------------------------------------------------------------------ the cluster

  private static void kill(FlinkCluster.Member m) throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", String.valueOf(m.pid())).start();
    assertThat(kill.waitFor()).isZero();
    m.process().waitFor();
  }

  /** Waits for a checkpoint that completes after this call: what was sent before is in it. */
  private void awaitCheckpointAfterNow() throws Exception {
    long start = cluster.cluster().rest().checkpoints(cluster.jobId()).completed();
    Await.until(
        "two more checkpoints completed",
        () -> cluster.cluster().rest().checkpoints(cluster.jobId()).completed(),
        completed -> completed >= start + 2,
        WITHIN);
  }

  /** The same job restarted from a checkpoint and running every task again. */
  private void awaitRecovered(String jobId) throws Exception {
    Await.until(
        "job " + jobId + " restored from a checkpoint with every task running",
        () ->
            cluster
                        .cluster()
                        .rest()
                        .get("/jobs/" + jobId + "/checkpoints")
                        .path("counts")
                        .path("restored")
                        .asLong()
                    > 0
                && cluster.cluster().rest().job(jobId).allTasksRunning(),
        restored -> restored,
        WITHIN);
  }

  private List<Integer> parallelisms(String jobId) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (JsonNode v : cluster.cluster().rest().get("/jobs/" + jobId).path("vertices")) {
      out.add(v.path("parallelism").asInt());
    }
    return out;
  }

  // ------------------------------------------------------------------ outputs

  private void assertExactlyOnce(List<ExpectedAlert> expected) {
    Set<String> inputs = Set.copyOf(acknowledged);
    Deliveries out =
        new Deliveries(kafka.bootstrap(), stack.elasticsearchUrl(), WITHIN, this::decodeId);
    Counts counts = out.records(inputs, inputs).count(inputs, inputs);
    assertThat(counts.lost()).as("acknowledged inputs not in gf-records").isZero();
    assertThat(counts.duplicates())
        .as("copies beyond the first in gf.records and gf-records")
        .isZero();
    out.alertsExactlyOnce(expected);
  }

  /** The record id, written by the job before the upgrade or after it (one field more). */
  private String decodeId(byte[] value) {
    try {
      return RECORDS.decode(value).getRecordId();
    } catch (IOException | RuntimeException newerSchema) {
      if (newerRecord == null) throw new AssertionError("undecodable record in gf.records");
      try {
        // single-object encoding: 2 marker bytes and an 8-byte fingerprint, then the body
        var decoder = DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null);
        GenericRecord r = new GenericDatumReader<GenericRecord>(newerRecord).read(null, decoder);
        return r.get("recordId").toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private JsonNode awaitAlert(String ruleId, String gridId, Predicate<JsonNode> ok)
      throws Exception {
    return awaitDoc("gf-alerts-*", alertQuery(ruleId, gridId), ok, ruleId + " in " + gridId);
  }

  private JsonNode awaitOrder(String orderId, Predicate<JsonNode> ok) throws Exception {
    return awaitDoc(
        "gf-workorders-*",
        "{\"query\":{\"term\":{\"orderId\":\"" + orderId + "\"}}}",
        ok,
        "work order " + orderId);
  }

  private JsonNode awaitDoc(String index, String query, Predicate<JsonNode> ok, String what)
      throws Exception {
    var hits =
        Await.until(
            "one " + what + " as expected in " + index,
            () -> {
              ElasticsearchProbe.refresh(stack.elasticsearchUrl(), index);
              return ElasticsearchProbe.search(stack.elasticsearchUrl(), index, query);
            },
            h -> h.total() == 1 && ok.test(h.sources().get(0)),
            WITHIN);
    return hits.sources().get(0);
  }

  private static String alertQuery(String ruleId, String gridId) {
    return "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\""
        + ruleId
        + "\"}},{\"term\":{\"gridId\":\""
        + gridId
        + "\"}}]}}}";
  }
}
