package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.launcher.Deliveries.Counts;
import org.gridfusion.launcher.Deliveries.ExpectedAlert;
import org.gridfusion.launcher.FaultTraffic.Phase;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.testkit.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault table of issue 13: {@code gridfusion up} run as an operator runs it (its own JVM and
 * process group, its embedded Kafka, Elasticsearch node, MQTT endpoint, HTTP ingest and Flink
 * MiniCluster), with a client sending camera events over HTTP and readings over MQTT QoS 1 the
 * whole time, each acknowledged input remembered. One fault at a time, on the same {@code up}:
 *
 * <ol>
 *   <li>SIGKILL of the Elasticsearch node (up's one child process; its supervisor restarts it);
 *   <li>the Elasticsearch node frozen (SIGSTOP) while some 900 inputs are taken in (about a
 *       minute), then let go;
 *   <li>SIGKILL of up's whole process group, then {@code up} again on the same data directory. The
 *       MQTT endpoint, the HTTP ingest, the Kafka broker and the Flink MiniCluster with the job run
 *       in up's JVM: they die here, all at once (a TaskManager killed in cluster mode is {@code
 *       ClusterModeITCase}'s);
 *   <li>{@code up} stopped as Ctrl-C stops it, then started again: the job stops with a savepoint
 *       (its transactions committed) and the next {@code up} resumes from it.
 * </ol>
 *
 * After each: every acknowledged input in gf.records (read_committed) and gf-records exactly once,
 * the alert of an input sent just before the fault and of one sent after it in gf.alerts and
 * gf-alerts exactly once, their work orders reported once, no alert update or work-order step
 * published twice. The figures go to {@code target/fault-table.md} (the README's fault table).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultTableITCase {
  private static final Logger LOG = LoggerFactory.getLogger(FaultTableITCase.class);
  private static final String TOKEN = "fault-table-token-0123456789";
  private static final String RUN = "ft" + Long.toString(System.currentTimeMillis(), 36);
  private static final Duration START_WITHIN = Duration.ofSeconds(240);
  private static final Duration WITHIN = Duration.ofSeconds(180);

  /** Acknowledged inputs a phase gathers before its fault and again after recovery. */
  private static final int INPUTS = 40;

  /**
   * How long Elasticsearch stays frozen, told in what the fault is about: inputs the ingress takes
   * in (acknowledged, so in Kafka) while nothing can be indexed. At the background traffic's pace
   * this is about a minute (the README's table: some 1,000 inputs that phase).
   */
  private static final int INPUTS_WHILE_ES_DOWN = 900;

  private final List<Phase> phases = new ArrayList<>();
  private final Map<Phase, Counts> table = new LinkedHashMap<>();
  private final List<ExpectedAlert> expected = new ArrayList<>();
  private Path dataDir;
  private Map<String, String> settings;
  private volatile UpProcess up;
  private volatile UpProcess.Endpoints endpoints;
  private District district;
  private List<Device> cameras;
  private List<Device> waterSensors;
  private FaultTraffic traffic;

  @BeforeAll
  void start() throws Exception {
    dataDir = Path.of("").toAbsolutePath().resolve("target").resolve("fault-table-" + RUN);
    settings = new LinkedHashMap<>();
    settings.put(GridFusionOptions.EMBEDDED_KAFKA_PORT.key(), "0");
    settings.put(GridFusionOptions.EMBEDDED_MQTT_PORT.key(), "0");
    settings.put(GridFusionOptions.EMBEDDED_ES_PORT.key(), "0");
    settings.put(GridFusionOptions.EMBEDDED_FLINK_UI_PORT.key(), "0");
    settings.put(GridFusionOptions.INGEST_HTTP_PORT.key(), "0");
    settings.put(GridFusionOptions.CONSOLE_PORT.key(), "0");
    settings.put(GridFusionOptions.INGEST_HTTP_TOKENS.key(), TOKEN);
    settings.put(GridFusionOptions.PRIVACY_HMAC_SECRET.key(), "fault-table-secret-0123456789");
    settings.put(GridFusionOptions.JOB_PARALLELISM.key(), "1");
    settings.put(GridFusionOptions.JOB_CHECKPOINT_INTERVAL.key(), "2s");
    settings.put(GridFusionOptions.JOB_IDLENESS.key(), "1s");
    settings.put(GridFusionOptions.JOB_RESTART_MAX_BACKOFF.key(), "2s");
    settings.put(GridFusionOptions.HEALTH_INTERVAL.key(), "1s");
    up = startUp("first");
    // the district up generates (no grid map configured): the same seed, as of today
    district =
        DistrictGenerator.generate(
            DistrictSpec.small(RunningStack.DEMO_SEED)
                .withAsOf(Instant.now().truncatedTo(ChronoUnit.DAYS)));
    Device background = district.cameras().get(0);
    // a grid of its own for every alert: two in one grid would be linked into one work order
    waterSensors =
        inDistinctGrids(district.sensors(SensorType.WATER_LEVEL), Set.of(background.gridId()));
    Set<String> taken = new HashSet<>(Set.of(background.gridId()));
    waterSensors.forEach(w -> taken.add(w.gridId()));
    cameras = inDistinctGrids(district.cameras(), taken);
    assertThat(cameras).as("cameras in grids of their own").hasSizeGreaterThanOrEqualTo(4);
    assertThat(waterSensors)
        .as("water sensors in grids of their own")
        .hasSizeGreaterThanOrEqualTo(4);
    traffic =
        new FaultTraffic(
            () -> endpoints,
            TOKEN,
            RUN,
            background,
            district.sensors(SensorType.TEMPERATURE).get(0),
            Duration.ofMillis(100),
            phase("before any fault"));
  }

  @AfterAll
  void stop() throws Exception {
    if (traffic != null) traffic.close();
    if (up != null) up.close();
    writeTable();
  }

  @Test
  @Order(1)
  void aKilledElasticsearchNodeIsRestartedAndLosesOrDoublesNothing() throws Exception {
    Phase p = next("Elasticsearch node: SIGKILL, restarted by up's supervisor");
    ProcessHandle node = up.elasticsearchNode().orElseThrow();
    fall(p, 0);
    UpProcess.signal(node, "KILL");
    node.onExit().join();
    awaitNewNode(node);
    traffic.awaitAcknowledged(INPUTS, WITHIN);
    waterlogging(p, 0);
    check(p);
  }

  @Test
  @Order(2)
  void elasticsearchDownForAMinuteDropsNothingAndCatchesUp() throws Exception {
    Phase p =
        next(
            "Elasticsearch node: frozen (SIGSTOP) while "
                + INPUTS_WHILE_ES_DOWN
                + " inputs are acknowledged");
    ProcessHandle node = up.elasticsearchNode().orElseThrow();
    UpProcess.signal(node, "STOP");
    try {
      fall(p, 1);
      // the fault itself: inputs keep coming, and the ingress keeps taking them, meanwhile
      traffic.awaitAcknowledged(INPUTS_WHILE_ES_DOWN, WITHIN);
    } finally {
      UpProcess.signal(node, "CONT");
    }
    assertThat(up.isAlive()).isTrue();
    traffic.awaitAcknowledged(INPUTS, WITHIN);
    waterlogging(p, 1);
    check(p);
  }

  @Test
  @Order(3)
  void upKilledWithItsProcessGroupAndStartedAgainLosesOrDoublesNothing() throws Exception {
    Phase p =
        next(
            "up's process group: SIGKILL (its JVM: MQTT endpoint, HTTP ingest, Kafka broker,"
                + " Flink job; and the Elasticsearch node), then up again");
    fall(p, 2);
    up.killGroup();
    up = startUp("after-kill");
    traffic.awaitAcknowledged(INPUTS, WITHIN);
    waterlogging(p, 2);
    check(p);
  }

  @Test
  @Order(4)
  void upStoppedAndStartedAgainResumesFromItsSavepointAndLosesOrDoublesNothing() throws Exception {
    Phase p =
        next(
            "up stopped (SIGTERM, as Ctrl-C: the job stops with a savepoint), then up again"
                + " from it");
    fall(p, 3);
    UpProcess stopped = up;
    assertThat(stopped.stop(Duration.ofSeconds(60))).as("up stopped within 60 s").isTrue();
    // not a cancel: a cancel can leave a completed checkpoint's transactions uncommitted
    Await.until(
        "the stop's savepoint on up's console",
        () -> stopped.console().contains("Fusion job stopped with savepoint"),
        Duration.ofSeconds(10),
        stopped::tail);
    up = startUp("after-stop");
    assertThat(up.console()).contains("Resuming the fusion job from retained savepoint");
    traffic.awaitAcknowledged(INPUTS, WITHIN);
    waterlogging(p, 3);
    check(p);
  }

  // ------------------------------------------------------------------ faults

  private UpProcess startUp(String name) throws Exception {
    long t0 = System.nanoTime();
    UpProcess started =
        UpProcess.start(dataDir, settings, "1536m", dataDir.resolve("up-" + name + ".console"));
    endpoints = started.awaitReady(START_WITHIN);
    LOG.info(
        "up ({}) ready in {} s: {}", name, (System.nanoTime() - t0) / 1_000_000_000, endpoints);
    return started;
  }

  private void awaitNewNode(ProcessHandle dead) {
    Await.until(
        "a new Elasticsearch node",
        () -> up.elasticsearchNode().filter(h -> h.pid() != dead.pid()).isPresent(),
        WITHIN);
  }

  /**
   * The phase's first inputs, then its fault: the table row counts what the client sent from here
   * until the next fault starts.
   */
  private Phase next(String fault) {
    Phase p = phase(fault);
    traffic.phase(p);
    traffic.awaitAcknowledged(INPUTS, WITHIN);
    return p;
  }

  private Phase phase(String fault) {
    Phase p = new Phase(fault);
    phases.add(p);
    return p;
  }

  /** A fall seen by a camera in a grid of its own: FALL_DETECTED, with a work order. */
  private void fall(Phase p, int n) {
    Device camera = cameras.get(n);
    assertThat(traffic.camera(p, RUN + "-fall-" + n, camera, "FALL_DETECTED", 0.95))
        .as("fall %d acknowledged", n)
        .isTrue();
    expected.add(new ExpectedAlert("FALL_DETECTED", camera.gridId()));
  }

  /** A water level of 33 in a grid of its own: WATERLOGGING, with a work order. */
  private void waterlogging(Phase p, int n) {
    Device gauge = waterSensors.get(n);
    // sent again until the endpoint acknowledges it (PUBACK): it may be restarting
    Await.until(
        "PUBACK for gauge " + gauge.deviceId(), () -> traffic.reading(p, gauge, 33), WITHIN);
    expected.add(new ExpectedAlert("WATERLOGGING", gauge.gridId()));
  }

  // ------------------------------------------------------------------ outputs

  /**
   * Starts the next phase (so that the fault's counts stop growing), then checks every phase so
   * far: nothing acknowledged lost, nothing doubled, the expected alerts exactly once.
   */
  private void check(Phase fault) throws Exception {
    assertThat(up.isAlive()).as("up alive after: %s", fault.fault).isTrue();
    traffic.phase(phase("between faults"));
    Deliveries out = new Deliveries(endpoints.kafka(), endpoints.elasticsearch(), WITHIN);
    Set<String> sent = new HashSet<>();
    Set<String> acknowledged = new HashSet<>();
    for (Phase p : phases) {
      if (p == phases.get(phases.size() - 1)) break;
      sent.addAll(p.sent);
      acknowledged.addAll(p.acknowledged);
    }
    Deliveries.Stored stored = out.records(sent, acknowledged);
    Counts all = stored.count(sent, acknowledged);
    Counts row = stored.count(Set.copyOf(fault.sent), Set.copyOf(fault.acknowledged));
    table.put(fault, row);
    LOG.info("{}: {} (all inputs so far: {})", fault.fault, row, all);
    assertThat(all.lost()).as("acknowledged inputs lost, all phases so far").isZero();
    assertThat(all.duplicates()).as("inputs stored twice, all phases so far").isZero();
    out.alertsExactlyOnce(expected);
  }

  private void writeTable() throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("| fault | sent | acknowledged | stored | lost | duplicates |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    table.forEach(
        (p, c) ->
            md.append(
                "| %s | %d | %d | %d | %d | %d |\n"
                    .formatted(
                        p.fault,
                        c.sent(),
                        c.acknowledged(),
                        c.stored(),
                        c.lost(),
                        c.duplicates())));
    Path file = Path.of("").toAbsolutePath().resolve("target").resolve("fault-table.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, md.toString());
    LOG.info("Fault table ({}):\n{}", file, md);
  }

  private static List<Device> inDistinctGrids(List<Device> devices, Set<String> taken) {
    Set<String> grids = new HashSet<>(taken);
    List<Device> out = new ArrayList<>();
    for (Device d : devices) if (grids.add(d.gridId())) out.add(d);
    return out;
  }
}
