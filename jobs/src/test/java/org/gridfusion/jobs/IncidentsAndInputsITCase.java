package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.department;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.IMPORTANT;
import static org.gridfusion.schema.Severity.URGENT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.CollectedOutputs.DeadLetterView;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.SharedRun;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the fusion job treats its inputs and incidents beyond what a single rule decides: one alert
 * per incident (firings grow it, 30 quiet minutes close it and the next firing opens another), one
 * record for an input delivered twice on different source partitions, inputs out of order within
 * the bound, records too late for windowed rules, and the normaliser's dead letters beside valid
 * records. One job run, one grid per scenario; event time runs to {@link #END}.
 */
class IncidentsAndInputsITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(90);

  static final District DISTRICT =
      District.builder()
          .grid("G-INCIDENT", "BASIC", 1000)
          .sensor("WL-INC", "WATER_LEVEL")
          .grid("G-DEDUP", "BASIC", 1000)
          .camera("CAM-DEDUP")
          .grid("G-ORDER", "BASIC", 1000)
          .sensor("SMOKE-ORDER", "SMOKE")
          .sensor("TEMP-ORDER", "TEMPERATURE")
          .sensor("GAS-ORDER", "GAS")
          .camera("CAM-ORDER")
          .grid("G-LATE", "MARKET", 3000)
          .sensor("WL-LATE", "WATER_LEVEL")
          .sensor("SMOKE-LATE", "SMOKE")
          .camera("CAM-LATE")
          .grid("G-BAD", "BASIC", 1000)
          .sensor("WL-BAD", "WATER_LEVEL")
          .address("ADDR-BAD")
          .sensorAt("FAR-1", "WATER_LEVEL", District.OUTSIDE_LAT, District.OUTSIDE_LON)
          .build();

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();
  static boolean twoSubtasks;

  static boolean suspectedFireRaised(CollectedOutputs o) {
    // in the late records' own grid: the watermark that raised it is the one that judges them
    return o.hasAlert(
        a -> a.getGridId().equals("G-LATE") && a.getRuleId().equals("FIRE_SUSPECTED"));
  }

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  // the normaliser's rejects, kept to compare their payloads
  static final SensorReading GHOST = sensor("GHOST-1", "GAS", 30, t(0));
  static final SensorReading FAR = sensor("FAR-1", "WATER_LEVEL", 45, t(0));
  static final CameraEvent UNPLACED = camera("bad-cam-1", "CAM-GHOST", "FIGHT", t(0), 0.9);
  static final CameraEvent OUTSIDE =
      CameraEvent.newBuilder(camera("bad-cam-2", "CAM-GHOST", "FIGHT", t(0), 0.9))
          .setLat(District.OUTSIDE_LAT)
          .setLon(District.OUTSIDE_LON)
          .build();
  static final DepartmentRecord NOWHERE =
      department("bad-dep-1", "POLICE", "INCIDENT_REPORT", t(0), "NO-SUCH-ADDR", null, Map.of());

  /**
   * Plays the class's one job run before its first test (the extension makes its cluster the
   * context of tests only, not of {@code @BeforeAll}).
   */
  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();

    // one incident: firings within 30 minutes of the last grow it (and raise it to URGENT at 55
    // cm); one 30 minutes and a second after the last starts another
    in.sensors("incident")
        .emit(
            sensor("WL-INC", "WATER_LEVEL", 35, t(0)),
            sensor("WL-INC", "WATER_LEVEL", 40, t(10)),
            sensor("WL-INC", "WATER_LEVEL", 55, t(25)),
            sensor("WL-INC", "WATER_LEVEL", 36, t(55).plusSeconds(1)));

    // one camera event delivered on two partitions read by different subtasks (an HTTP client's
    // retry through another ingest instance), and once more on the first
    CameraEvent fall = camera("dup-1", "CAM-DEDUP", "FALL_DETECTED", t(0), 0.9);
    in.cameras("dedup-a").emit(fall, fall);
    in.cameras("dedup-b").emit(fall);

    // out of order within the 5 s bound: the smoke that partners the camera arrives after a
    // reading 4 s later, the watermark has not passed it and the camera's window is still open;
    // two gas readings of one device arrive in reverse order and are judged in event-time order
    in.cameras("order").emit(camera("order-1", "CAM-ORDER", "FIRE_SMOKE", t(0), 0.9));
    in.sensors("order")
        .emit(
            sensor("TEMP-ORDER", "TEMPERATURE", 21, t(5).plusSeconds(4)),
            sensor("SMOKE-ORDER", "SMOKE", 12, t(5)),
            sensor("GAS-ORDER", "GAS", 25, t(6).plusSeconds(4)),
            sensor("GAS-ORDER", "GAS", 25, t(6)));

    // too late: once event time has passed 08:56 in the grid (proved by its suspected fire, raised
    // only when the watermark there passes the end of the smoke's five minutes), readings from
    // 07:50 are more than the allowed hour behind: a threshold rule still judges them, a count rule
    // does not. (Each late partition first moves its own event time on, or it would hold the job's
    // back.)
    in.sensors("late")
        .emit(sensor("SMOKE-LATE", "SMOKE", 12, t(51)), sensor("WL-LATE", "WATER_LEVEL", 0, t(60)))
        .await("event time past 08:56", IncidentsAndInputsITCase::suspectedFireRaised)
        .emit(sensor("WL-LATE", "WATER_LEVEL", 35, t(-10)));
    in.cameras("late")
        .emit(camera("late-0", "CAM-LATE", "ILLEGAL_PARKING", t(60), 0.9))
        .await("event time past 08:56", IncidentsAndInputsITCase::suspectedFireRaised)
        .emit(
            camera("late-1", "CAM-LATE", "CROWD", t(-10), 0.9, 80),
            camera("late-2", "CAM-LATE", "CROWD", t(-9), 0.9, 80),
            camera("late-3", "CAM-LATE", "CROWD", t(-8), 0.9, 80));

    // bad records between good ones: each goes to the dead letters, the good ones go on
    in.sensors("bad")
        .emit(
            GHOST,
            sensor("WL-BAD", "WATER_LEVEL", 10, t(1)),
            FAR,
            sensor("WL-BAD", "WATER_LEVEL", 11, t(2)));
    in.cameras("bad").emit(UNPLACED, OUTSIDE);
    in.departments("bad")
        .emit(
            NOWHERE,
            department(
                "good-dep-1", "POLICE", "INCIDENT_REPORT", t(1), "ADDR-BAD", null, Map.of()));

    twoSubtasks = in.cameraSubtask("dedup-a") != in.cameraSubtask("dedup-b");
    out =
        FusionJobRun.run(
            CLUSTER, "incidents-and-inputs", FusionJobRun.settings(DISTRICT.write(dir)), in, END);
  }

  @Test
  void firingsWithinThirtyMinutesGrowOneAlertAndAFiringAfterThatOpensTheNext() {
    String r0 = sensorId("WL-INC", "WATER_LEVEL", t(0));
    String r10 = sensorId("WL-INC", "WATER_LEVEL", t(10));
    String r25 = sensorId("WL-INC", "WATER_LEVEL", t(25));
    String r55 = sensorId("WL-INC", "WATER_LEVEL", t(55).plusSeconds(1));
    AlertUpdate first = open("WATERLOGGING", "G-INCIDENT", IMPORTANT, t(0), t(0), 1, r0);
    AlertUpdate grown = first.grown(IMPORTANT, t(10), r10);
    AlertUpdate urgent = grown.grown(URGENT, t(25), r25);
    AlertUpdate next =
        open(
            "WATERLOGGING",
            "G-INCIDENT",
            IMPORTANT,
            t(55).plusSeconds(1),
            t(55).plusSeconds(1),
            1,
            r55);
    assertThat(out.alertsIn("G-INCIDENT"))
        .containsExactly(
            first,
            grown,
            urgent,
            // closed at the end of its quiet half hour, whether the next firing or the watermark
            // got there first
            urgent.closed(t(55)),
            next,
            next.closed(t(85).plusSeconds(1)));
  }

  @Test
  void anEventDeliveredThreeTimesOnTwoSubtasksIsOneRecordAndOneAlert() {
    assertThat(twoSubtasks).isTrue();
    assertThat(out.recordIdsIn("G-DEDUP")).containsExactly("CAMERA:dup-1");
    AlertUpdate fall = open("FALL_DETECTED", "G-DEDUP", IMPORTANT, t(0), t(0), 1, "CAMERA:dup-1");
    assertThat(out.alertsIn("G-DEDUP")).containsExactly(fall, fall.closed(t(30)));
  }

  @Test
  void inputsOutOfOrderWithinTheBoundAreJudgedInEventTime() {
    AlertUpdate fire =
        open(
            "FIRE_CONFIRMED",
            "G-ORDER",
            URGENT,
            t(0),
            t(0),
            1,
            "CAMERA:order-1",
            sensorId("SMOKE-ORDER", "SMOKE", t(5)));
    // the gas run is complete when its earlier reading arrives, and dated by it
    AlertUpdate leak =
        open(
            "GAS_LEAK",
            "G-ORDER",
            IMPORTANT,
            t(6),
            t(6),
            1,
            sensorId("GAS-ORDER", "GAS", t(6)),
            sensorId("GAS-ORDER", "GAS", t(6).plusSeconds(4)));
    assertThat(out.alertsIn("G-ORDER"))
        .containsExactly(fire, fire.closed(t(30)), leak, leak.closed(t(36)));
  }

  @Test
  void recordsMoreThanTheAllowedHourLateAreJudgedByThresholdsButNotByWindows() {
    String late = sensorId("WL-LATE", "WATER_LEVEL", t(-10));
    AlertUpdate water = open("WATERLOGGING", "G-LATE", IMPORTANT, t(-10), t(-10), 1, late);
    String smoke = sensorId("SMOKE-LATE", "SMOKE", t(51));
    AlertUpdate fire = open("FIRE_SUSPECTED", "G-LATE", IMPORTANT, t(51), t(51), 1, smoke);
    // the late alert's quiet half hour is long over: closed at the next watermark, dated when it
    // ended; no CROWD_GATHERING from the three late crowds
    assertThat(out.alertsIn("G-LATE"))
        .containsExactly(water, water.closed(t(20)), fire, fire.closed(t(81)));
    // and every late record is still stored
    assertThat(out.recordIdsIn("G-LATE"))
        .containsExactly(
            "CAMERA:late-1",
            late,
            "CAMERA:late-2",
            "CAMERA:late-3",
            smoke,
            "CAMERA:late-0",
            sensorId("WL-LATE", "WATER_LEVEL", t(60)));
  }

  @Test
  void recordsThatCannotBePlacedAreDeadLetteredAndTheGoodOnesBesideThemGoOn() {
    // Payloads are as the client sent them (contract §2): a reading's device is in its MQTT topic,
    // which the dead letter's origin keeps.
    assertThat(out.deadLetters()).hasSize(5);
    assertThat(out.deadLettersAbout("GHOST-1"))
        .containsExactly(
            new DeadLetterView(
                "sensor",
                "UNKNOWN_DEVICE",
                "sensor GHOST-1 is not in the device registry",
                "{\"ts\":\"2026-11-24T08:00:00Z\",\"value\":30.0}"));
    assertThat(out.deadLettersAbout("FAR-1"))
        .containsExactly(
            new DeadLetterView(
                "sensor",
                "OUT_OF_AREA",
                "lat 10.0, lon 10.0 is outside every grid",
                "{\"ts\":\"2026-11-24T08:00:00Z\",\"value\":45.0}"));
    assertThat(out.deadLettersAbout("CAM-GHOST"))
        .containsExactly(
            new DeadLetterView(
                "camera",
                "OUT_OF_AREA",
                "lat 10.0, lon 10.0 is outside every grid",
                "{\"eventId\":\"bad-cam-2\",\"cameraId\":\"CAM-GHOST\",\"type\":\"FIGHT\","
                    + "\"ts\":\"2026-11-24T08:00:00Z\",\"confidence\":0.9,\"objectCount\":0,"
                    + "\"lat\":10.0,\"lon\":10.0}"),
            new DeadLetterView(
                "camera",
                "UNKNOWN_DEVICE",
                "camera CAM-GHOST is not in the device registry and the event has no lat/lon",
                "{\"eventId\":\"bad-cam-1\",\"cameraId\":\"CAM-GHOST\",\"type\":\"FIGHT\","
                    + "\"ts\":\"2026-11-24T08:00:00Z\",\"confidence\":0.9,\"objectCount\":0}"));
    assertThat(out.deadLettersAbout("NO-SUCH-ADDR"))
        .containsExactly(
            new DeadLetterView(
                "department",
                "UNKNOWN_ADDRESS",
                "address NO-SUCH-ADDR is not in the address registry and the record has no lat/lon",
                "{\"recordId\":\"bad-dep-1\",\"department\":\"POLICE\","
                    + "\"recordType\":\"INCIDENT_REPORT\",\"ts\":\"2026-11-24T08:00:00Z\","
                    + "\"addressCode\":\"NO-SUCH-ADDR\"}"));
    assertThat(out.deadLetters())
        .allSatisfy(d -> assertThat(d.path("receivedAt").asText()).isEqualTo(t(0).toString()));
    assertThat(out.recordIdsIn("G-BAD"))
        .containsExactly(
            "DEPARTMENT:good-dep-1",
            sensorId("WL-BAD", "WATER_LEVEL", t(1)),
            sensorId("WL-BAD", "WATER_LEVEL", t(2)));
  }
}
