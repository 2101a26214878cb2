package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.department;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.GENERAL;
import static org.gridfusion.schema.Severity.IMPORTANT;
import static org.gridfusion.schema.Severity.URGENT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.privacy.Pseudonymiser;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.jobs.testing.SharedRun;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every default rule of contract §5 on the real fusion job: its scenario raises exactly the alert
 * the contract names (rule, severity, first firing, evidence, one alert per incident, closed after
 * 30 quiet minutes), its near miss (a value just below the threshold, a partner just outside the
 * window, noise by day, ...) raises nothing, and each escalation raises the severity it should.
 *
 * <p>All scenarios play in one job run, each in its own grid: rules are evaluated per grid, so they
 * cannot interfere. Event time runs from the earliest scenario (an elderly person registered the
 * day before) to {@link #END}, ninety minutes after {@link #T0}: every window, silence and incident
 * close of the scenarios has passed by then, and no work order's handling deadline (two hours at
 * the least) has.
 */
class DefaultRulesITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  /** 16:00 in Shanghai: daytime. */
  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  /** 23:00 in Shanghai the night before. */
  static final Instant NIGHT = Instant.parse("2026-11-23T15:00:00Z");

  /** An elderly person registered 26 hours before T0. */
  static final Instant REGISTERED = T0.minus(Duration.ofHours(26));

  static final Instant END = t(90);

  static final String ELDER_ID = "110101194001011234";

  static final District DISTRICT =
      District.builder()
          .grid("G-FIRE", "BASIC", 2000)
          .sensor("SMOKE-FIRE", "SMOKE")
          .camera("CAM-FIRE")
          .grid("G-FIRE-APART", "BASIC", 2000)
          .sensor("SMOKE-APART", "SMOKE")
          .camera("CAM-APART")
          .grid("G-FIRE-LOW", "BASIC", 2000)
          .sensor("SMOKE-LOW", "SMOKE")
          .camera("CAM-LOW")
          .grid("G-CAMERA-ALONE", "BASIC", 2000)
          .camera("CAM-ALONE")
          .grid("G-GAS", "BASIC", 1000)
          .sensor("GAS-1", "GAS")
          .grid("G-GAS-BROKEN", "BASIC", 1000)
          .sensor("GAS-2", "GAS")
          .grid("G-SCHOOL", "SCHOOL", 1500)
          .sensor("GAS-SCHOOL", "GAS")
          .grid("G-HAZARD", "BASIC", 1000)
          .sensor("GAS-HAZARD", "GAS")
          .address("ADDR-HAZARD")
          .grid("G-WATER", "BASIC", 1000)
          .sensor("WL-1", "WATER_LEVEL")
          .grid("G-WATER-LOW", "BASIC", 1000)
          .sensor("WL-2", "WATER_LEVEL")
          .grid("G-FLOOD", "BASIC", 1000)
          .sensor("WL-3", "WATER_LEVEL")
          .grid("G-MANHOLE", "BASIC", 1000)
          .sensor("TILT-1", "MANHOLE_TILT")
          .grid("G-MANHOLE-LOW", "BASIC", 1000)
          .sensor("TILT-2", "MANHOLE_TILT")
          .grid("G-CROWD", "MARKET", 3000)
          .camera("CAM-CROWD")
          .grid("G-CROWD-APART", "MARKET", 3000)
          .camera("CAM-CROWD-APART")
          .grid("G-CROWD-FEW", "MARKET", 3000)
          .camera("CAM-CROWD-FEW")
          .grid("G-CROWD-POLICE", "MARKET", 3000)
          .camera("CAM-CROWD-POLICE")
          .address("ADDR-POLICE")
          .grid("G-CROWD-STALE", "MARKET", 3000)
          .camera("CAM-CROWD-STALE")
          .address("ADDR-STALE")
          .grid("G-ELDER", "BASIC", 1000)
          .sensor("DOOR-1", "DOOR")
          .address("ADDR-ELDER")
          .grid("G-ELDER-OK", "BASIC", 1000)
          .sensor("DOOR-2", "DOOR")
          .address("ADDR-ELDER-OK")
          .grid("G-NOISE", "BASIC", 1000)
          .sensor("NOISE-1", "NOISE")
          .grid("G-NOISE-SHORT", "BASIC", 1000)
          .sensor("NOISE-2", "NOISE")
          .grid("G-NOISE-DAY", "BASIC", 1000)
          .sensor("NOISE-3", "NOISE")
          .grid("G-NOISE-DISPUTE", "BASIC", 1000)
          .sensor("NOISE-4", "NOISE")
          .address("ADDR-DISPUTE")
          .grid("G-VEND", "MARKET", 3000)
          .camera("CAM-VEND")
          .grid("G-VEND-APART", "MARKET", 3000)
          .camera("CAM-VEND-APART")
          .grid("G-FALL", "BASIC", 1000)
          .camera("CAM-FALL")
          .grid("G-FALL-LOW", "BASIC", 1000)
          .camera("CAM-FALL-LOW")
          .build();

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();
  static int inputs;

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /** The partition waits until the job has taken {@code recordId} in (it is on gf.records). */
  static Script.Condition recorded(String recordId) {
    return o -> o.hasRecord(recordId);
  }

  /**
   * Plays the class's one job run before its first test (the extension makes its cluster the
   * context of tests only, not of {@code @BeforeAll}).
   */
  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();

    // FIRE_CONFIRMED and FIRE_SUSPECTED
    in.sensors("fire").emit(sensor("SMOKE-FIRE", "SMOKE", 14.5, t(0)));
    in.cameras("fire").emit(camera("fire-1", "CAM-FIRE", "FIRE_SMOKE", t(1), 0.91));
    in.sensors("fire-apart").emit(sensor("SMOKE-APART", "SMOKE", 14.5, t(0)));
    in.cameras("fire-apart")
        .emit(camera("apart-1", "CAM-APART", "FIRE_SMOKE", t(5).plusSeconds(1), 0.91));
    in.sensors("fire-low").emit(sensor("SMOKE-LOW", "SMOKE", 9.9, t(0)));
    in.cameras("fire-low").emit(camera("low-1", "CAM-LOW", "FIRE_SMOKE", t(1), 0.79));
    in.cameras("camera-alone").emit(camera("alone-1", "CAM-ALONE", "FIRE_SMOKE", t(0), 0.85));

    // GAS_LEAK, escalated in a school and beside a hazardous enterprise
    in.sensors("gas").emit(sensor("GAS-1", "GAS", 25, t(0)), sensor("GAS-1", "GAS", 26, t(1)));
    in.sensors("gas-broken")
        .emit(
            sensor("GAS-2", "GAS", 25, t(0)),
            sensor("GAS-2", "GAS", 19.9, t(1)),
            sensor("GAS-2", "GAS", 25, t(2)));
    in.sensors("gas-school")
        .emit(sensor("GAS-SCHOOL", "GAS", 25, t(0)), sensor("GAS-SCHOOL", "GAS", 25, t(1)));
    in.departments("hazard")
        .emit(
            department(
                "haz-1",
                "EMERGENCY_MANAGEMENT",
                "HAZARDOUS_ENTERPRISE",
                t(-24 * 60),
                "ADDR-HAZARD",
                null,
                Map.of("enterprise", "Chemical works")));
    in.sensors("gas-hazard")
        .await("the hazardous enterprise is known", recorded("DEPARTMENT:haz-1"))
        .emit(sensor("GAS-HAZARD", "GAS", 25, t(0)), sensor("GAS-HAZARD", "GAS", 25, t(1)));

    // WATERLOGGING and MANHOLE_DISPLACED
    in.sensors("water").emit(sensor("WL-1", "WATER_LEVEL", 35, t(0)));
    in.sensors("water-low").emit(sensor("WL-2", "WATER_LEVEL", 29.9, t(0)));
    in.sensors("flood").emit(sensor("WL-3", "WATER_LEVEL", 50, t(0)));
    in.sensors("manhole").emit(sensor("TILT-1", "MANHOLE_TILT", 15, t(0)));
    in.sensors("manhole-low").emit(sensor("TILT-2", "MANHOLE_TILT", 14.9, t(0)));

    // CROWD_GATHERING, escalated after a police call within 24 h
    in.cameras("crowd").emit(crowds("crowd", "CAM-CROWD", 60, 60, 60, t(0), t(4), t(9)));
    in.cameras("crowd-apart")
        .emit(
            crowds("crowd-apart", "CAM-CROWD-APART", 60, 60, 60, t(0), t(5), t(10).plusSeconds(1)));
    in.cameras("crowd-few").emit(crowds("few", "CAM-CROWD-FEW", 60, 49, 60, t(0), t(4), t(9)));
    in.departments("police")
        .emit(
            department(
                "pol-1", "POLICE", "INCIDENT_REPORT", t(-120), "ADDR-POLICE", null, Map.of()));
    in.cameras("crowd-police")
        .await("the police call is known", recorded("DEPARTMENT:pol-1"))
        .emit(crowds("police", "CAM-CROWD-POLICE", 60, 60, 60, t(0), t(4), t(9)));
    in.departments("stale")
        .emit(
            department(
                "pol-2",
                "POLICE",
                "INCIDENT_REPORT",
                t(9).minus(Duration.ofHours(24)).minusSeconds(1),
                "ADDR-STALE",
                null,
                Map.of()));
    in.cameras("crowd-stale")
        .await("the old police call is known", recorded("DEPARTMENT:pol-2"))
        .emit(crowds("stale", "CAM-CROWD-STALE", 60, 60, 60, t(0), t(4), t(9)));

    // ELDERLY_INACTIVE: the door reports an hour after registration, then nothing for a day
    in.departments("elder").emit(elderly("ca-1", "ADDR-ELDER", ELDER_ID, "DOOR-1"));
    in.sensors("elder-door")
        .await("the person is registered", recorded("DEPARTMENT:ca-1"))
        .emit(sensor("DOOR-1", "DOOR", 1, REGISTERED.plus(Duration.ofHours(1))));
    in.departments("elder-ok")
        .emit(elderly("ca-2", "ADDR-ELDER-OK", "110101194202023456", "DOOR-2"));
    in.sensors("elder-ok-door")
        .await("the person is registered", recorded("DEPARTMENT:ca-2"))
        .emit(
            sensor("DOOR-2", "DOOR", 1, REGISTERED.plus(Duration.ofHours(1))),
            sensor("DOOR-2", "DOOR", 0, REGISTERED.plus(Duration.ofHours(13))),
            sensor("DOOR-2", "DOOR", 1, REGISTERED.plus(Duration.ofHours(25))));

    // NIGHT_NOISE, escalated after a dispute within 7 days
    in.sensors("noise").emit(loud("NOISE-1", NIGHT, 30));
    in.sensors("noise-short").emit(loud("NOISE-2", NIGHT, 25));
    in.sensors("noise-day").emit(loud("NOISE-3", T0, 30));
    in.departments("dispute")
        .emit(
            department(
                "dis-1",
                "JUSTICE",
                "DISPUTE_REPORTED",
                NIGHT.minus(Duration.ofDays(3)),
                "ADDR-DISPUTE",
                null,
                Map.of("category", "FAMILY")));
    in.sensors("noise-dispute")
        .await("the dispute is known", recorded("DEPARTMENT:dis-1"))
        .emit(loud("NOISE-4", NIGHT, 30));

    // STREET_VENDING
    in.cameras("vending").emit(vending("vend", "CAM-VEND", t(0), t(10), t(20), t(30), t(40)));
    in.cameras("vending-apart")
        .emit(
            vending(
                "vend-apart", "CAM-VEND-APART", t(0), t(15), t(30), t(45), t(60).plusSeconds(1)));

    // FALL_DETECTED
    in.cameras("fall").emit(camera("fall-1", "CAM-FALL", "FALL_DETECTED", t(0), 0.7));
    in.cameras("fall-low").emit(camera("fall-2", "CAM-FALL-LOW", "FALL_DETECTED", t(0), 0.69));

    inputs = in.records();
    out =
        FusionJobRun.run(
            CLUSTER, "default-rules", FusionJobRun.settings(DISTRICT.write(dir)), in, END);
  }

  // ------------------------------------------------------------------ fire

  @Test
  void smokeAndAFireCameraWithinFiveMinutesAreOneConfirmedFire() {
    String smoke = sensorId("SMOKE-FIRE", "SMOKE", t(0));
    // dated by the earlier of the two: the fire was first seen by the smoke detector
    AlertUpdate fire =
        open("FIRE_CONFIRMED", "G-FIRE", URGENT, t(0), t(0), 1, smoke, "CAMERA:fire-1");
    assertThat(out.alertsIn("G-FIRE")).containsExactly(fire, fire.closed(t(30)));
  }

  @Test
  void smokeAndACameraFiveMinutesAndASecondApartAreTwoSuspicionsOfOneIncident() {
    String smoke = sensorId("SMOKE-APART", "SMOKE", t(0));
    // each is raised once its five minutes have passed without a partner; the second grows the
    // incident the first opened
    AlertUpdate first = open("FIRE_SUSPECTED", "G-FIRE-APART", IMPORTANT, t(0), t(0), 1, smoke);
    AlertUpdate second = first.grown(IMPORTANT, t(5).plusSeconds(1), "CAMERA:apart-1");
    assertThat(out.alertsIn("G-FIRE-APART"))
        .containsExactly(first, second, second.closed(t(35).plusSeconds(1)));
  }

  @Test
  void aFireCameraAloneIsASuspectedFire() {
    AlertUpdate suspected =
        open("FIRE_SUSPECTED", "G-CAMERA-ALONE", IMPORTANT, t(0), t(0), 1, "CAMERA:alone-1");
    assertThat(out.alertsIn("G-CAMERA-ALONE")).containsExactly(suspected, suspected.closed(t(30)));
  }

  @Test
  void smokeJustBelowTenAndACameraJustBelowPointEightRaiseNothing() {
    assertThat(out.alertsIn("G-FIRE-LOW")).isEmpty();
  }

  // ------------------------------------------------------------------ gas

  @Test
  void twoConsecutiveGasReadingsOfTwentyOrMoreAreALeak() {
    AlertUpdate leak =
        open(
            "GAS_LEAK",
            "G-GAS",
            IMPORTANT,
            t(1),
            t(1),
            1,
            sensorId("GAS-1", "GAS", t(0)),
            sensorId("GAS-1", "GAS", t(1)));
    assertThat(out.alertsIn("G-GAS")).containsExactly(leak, leak.closed(t(31)));
  }

  @Test
  void gasReadingsBrokenByOneBelowTwentyRaiseNothing() {
    assertThat(out.alertsIn("G-GAS-BROKEN")).isEmpty();
  }

  @Test
  void aGasLeakInASchoolGridIsUrgent() {
    AlertUpdate leak =
        open(
            "GAS_LEAK",
            "G-SCHOOL",
            URGENT,
            t(1),
            t(1),
            1,
            sensorId("GAS-SCHOOL", "GAS", t(0)),
            sensorId("GAS-SCHOOL", "GAS", t(1)));
    assertThat(out.alertsIn("G-SCHOOL")).containsExactly(leak, leak.closed(t(31)));
  }

  @Test
  void aGasLeakInAGridWithAHazardousEnterpriseIsUrgent() {
    AlertUpdate leak =
        open(
            "GAS_LEAK",
            "G-HAZARD",
            URGENT,
            t(1),
            t(1),
            1,
            sensorId("GAS-HAZARD", "GAS", t(0)),
            sensorId("GAS-HAZARD", "GAS", t(1)));
    assertThat(out.alertsIn("G-HAZARD")).containsExactly(leak, leak.closed(t(31)));
  }

  // ------------------------------------------------------------------ water, manhole

  @Test
  void waterAtThirtyFiveCentimetresIsImportantWaterlogging() {
    AlertUpdate water =
        open(
            "WATERLOGGING",
            "G-WATER",
            IMPORTANT,
            t(0),
            t(0),
            1,
            sensorId("WL-1", "WATER_LEVEL", t(0)));
    assertThat(out.alertsIn("G-WATER")).containsExactly(water, water.closed(t(30)));
  }

  @Test
  void waterAtFiftyCentimetresIsUrgent() {
    AlertUpdate flood =
        open(
            "WATERLOGGING",
            "G-FLOOD",
            URGENT,
            t(0),
            t(0),
            1,
            sensorId("WL-3", "WATER_LEVEL", t(0)));
    assertThat(out.alertsIn("G-FLOOD")).containsExactly(flood, flood.closed(t(30)));
  }

  @Test
  void waterJustBelowThirtyRaisesNothing() {
    assertThat(out.alertsIn("G-WATER-LOW")).isEmpty();
  }

  @Test
  void aManholeTiltedFifteenDegreesIsDisplaced() {
    AlertUpdate manhole =
        open(
            "MANHOLE_DISPLACED",
            "G-MANHOLE",
            IMPORTANT,
            t(0),
            t(0),
            1,
            sensorId("TILT-1", "MANHOLE_TILT", t(0)));
    assertThat(out.alertsIn("G-MANHOLE")).containsExactly(manhole, manhole.closed(t(30)));
    assertThat(out.alertsIn("G-MANHOLE-LOW")).isEmpty();
  }

  // ------------------------------------------------------------------ crowds

  @Test
  void threeCrowdsOfFiftyOrMoreWithinTenMinutesAreAGathering() {
    AlertUpdate crowd =
        open(
            "CROWD_GATHERING",
            "G-CROWD",
            IMPORTANT,
            t(9),
            t(9),
            1,
            "CAMERA:crowd-1",
            "CAMERA:crowd-2",
            "CAMERA:crowd-3");
    assertThat(out.alertsIn("G-CROWD")).containsExactly(crowd, crowd.closed(t(39)));
  }

  @Test
  void aThirdCrowdOneSecondOutsideTheWindowOrOneOfFortyNineRaiseNothing() {
    assertThat(out.alertsIn("G-CROWD-APART")).isEmpty();
    assertThat(out.alertsIn("G-CROWD-FEW")).isEmpty();
  }

  @Test
  void aGatheringWithinADayOfAPoliceCallIsUrgentOneSecondLaterItIsNot() {
    AlertUpdate police =
        open(
            "CROWD_GATHERING",
            "G-CROWD-POLICE",
            URGENT,
            t(9),
            t(9),
            1,
            "CAMERA:police-1",
            "CAMERA:police-2",
            "CAMERA:police-3");
    assertThat(out.alertsIn("G-CROWD-POLICE")).containsExactly(police, police.closed(t(39)));
    AlertUpdate stale =
        open(
            "CROWD_GATHERING",
            "G-CROWD-STALE",
            IMPORTANT,
            t(9),
            t(9),
            1,
            "CAMERA:stale-1",
            "CAMERA:stale-2",
            "CAMERA:stale-3");
    assertThat(out.alertsIn("G-CROWD-STALE")).containsExactly(stale, stale.closed(t(39)));
  }

  // ------------------------------------------------------------------ elderly

  @Test
  void anElderlyPersonsDoorSilentForADayIsAnAlertAboutThemNotNamingThem() {
    String ref = new Pseudonymiser("job-test-secret-0123456789").subjectRef(ELDER_ID);
    Instant silentSince = REGISTERED.plus(Duration.ofHours(1));
    Instant dayLater = silentSince.plus(Duration.ofHours(24));
    AlertUpdate inactive =
        open("ELDERLY_INACTIVE", "G-ELDER", IMPORTANT, dayLater, dayLater, 1, "DEPARTMENT:ca-1")
            .subject(ref);
    assertThat(out.alertsIn("G-ELDER"))
        .containsExactly(inactive, inactive.closed(dayLater.plus(Duration.ofMinutes(30))));
    assertThat(ref).startsWith("sr-");
    Record registration =
        out.records().stream()
            .filter(r -> r.getRecordId().equals("DEPARTMENT:ca-1"))
            .findFirst()
            .orElseThrow();
    assertThat(registration.getSubjectRef()).isEqualTo(ref);
    assertThat(registration.toString()).doesNotContain(ELDER_ID).doesNotContain("王秀英");
  }

  @Test
  void aDoorThatReportsEveryTwelveHoursRaisesNothing() {
    assertThat(out.alertsIn("G-ELDER-OK")).isEmpty();
  }

  // ------------------------------------------------------------------ noise

  @Test
  void noiseOfSeventyForThirtyMinutesAtNightIsGeneral() {
    AlertUpdate noise =
        open(
            "NIGHT_NOISE",
            "G-NOISE",
            GENERAL,
            NIGHT.plus(Duration.ofMinutes(30)),
            NIGHT.plus(Duration.ofMinutes(30)),
            1,
            loudIds("NOISE-1", NIGHT, 30));
    assertThat(out.alertsIn("G-NOISE"))
        .containsExactly(noise, noise.closed(NIGHT.plus(Duration.ofMinutes(60))));
  }

  @Test
  void twentyFiveMinutesAtNightOrThirtyByDayRaiseNothing() {
    assertThat(out.alertsIn("G-NOISE-SHORT")).isEmpty();
    assertThat(out.alertsIn("G-NOISE-DAY")).isEmpty();
  }

  @Test
  void nightNoiseWithinAWeekOfADisputeIsImportant() {
    AlertUpdate noise =
        open(
            "NIGHT_NOISE",
            "G-NOISE-DISPUTE",
            IMPORTANT,
            NIGHT.plus(Duration.ofMinutes(30)),
            NIGHT.plus(Duration.ofMinutes(30)),
            1,
            loudIds("NOISE-4", NIGHT, 30));
    assertThat(out.alertsIn("G-NOISE-DISPUTE"))
        .containsExactly(noise, noise.closed(NIGHT.plus(Duration.ofMinutes(60))));
  }

  // ------------------------------------------------------------------ vending, falls

  @Test
  void fiveStreetVendorsWithinAnHourAreGeneral() {
    AlertUpdate vending =
        open(
            "STREET_VENDING",
            "G-VEND",
            GENERAL,
            t(40),
            t(40),
            1,
            "CAMERA:vend-1",
            "CAMERA:vend-2",
            "CAMERA:vend-3",
            "CAMERA:vend-4",
            "CAMERA:vend-5");
    assertThat(out.alertsIn("G-VEND")).containsExactly(vending, vending.closed(t(70)));
  }

  @Test
  void theFifthVendorOneSecondPastTheHourRaisesNothing() {
    assertThat(out.alertsIn("G-VEND-APART")).isEmpty();
  }

  @Test
  void aFallWithConfidencePointSevenIsImportantJustBelowItIsNothing() {
    AlertUpdate fall = open("FALL_DETECTED", "G-FALL", IMPORTANT, t(0), t(0), 1, "CAMERA:fall-1");
    assertThat(out.alertsIn("G-FALL")).containsExactly(fall, fall.closed(t(30)));
    assertThat(out.alertsIn("G-FALL-LOW")).isEmpty();
  }

  // ------------------------------------------------------------------ the run as a whole

  @Test
  void noGridOutsideTheScenariosAlertsAndEveryInputIsOneRecord() {
    Set<String> alerting = new TreeSet<>();
    out.alerts().stream().map(Alert::getGridId).forEach(alerting::add);
    assertThat(alerting)
        .containsExactly(
            "G-CAMERA-ALONE",
            "G-CROWD",
            "G-CROWD-POLICE",
            "G-CROWD-STALE",
            "G-ELDER",
            "G-FALL",
            "G-FIRE",
            "G-FIRE-APART",
            "G-FLOOD",
            "G-GAS",
            "G-HAZARD",
            "G-MANHOLE",
            "G-NOISE",
            "G-NOISE-DISPUTE",
            "G-SCHOOL",
            "G-VEND",
            "G-WATER");
    // no WORKORDER_OVERDUE: no handling deadline has passed
    assertThat(out.alerts()).extracting(Alert::getRuleId).doesNotContain("WORKORDER_OVERDUE");
    assertThat(out.deadLetters()).isEmpty();
    List<String> ids =
        out.records().stream()
            .map(Record::getRecordId)
            .filter(id -> !id.contains(District.CLOCK_DEVICE))
            .toList();
    assertThat(ids).doesNotHaveDuplicates().hasSize(inputs);
    assertThat(out.unmirrored()).isEmpty();
  }

  // ------------------------------------------------------------------ inputs

  static List<CameraEvent> crowds(
      String id, String camera, int a, int b, int c, Instant ta, Instant tb, Instant tc) {
    return List.of(
        camera(id + "-1", camera, "CROWD", ta, 0.9, a),
        camera(id + "-2", camera, "CROWD", tb, 0.9, b),
        camera(id + "-3", camera, "CROWD", tc, 0.9, c));
  }

  static List<CameraEvent> vending(String id, String camera, Instant... at) {
    List<CameraEvent> events = new ArrayList<>();
    for (int i = 0; i < at.length; i++)
      events.add(camera(id + "-" + (i + 1), camera, "STREET_VENDING", at[i], 0.9));
    return events;
  }

  /** A reading of 75 dBA every five minutes from {@code from}, for {@code minutes}. */
  static List<SensorReading> loud(String device, Instant from, int minutes) {
    List<SensorReading> readings = new ArrayList<>();
    for (int m = 0; m <= minutes; m += 5)
      readings.add(sensor(device, "NOISE", 75, from.plus(Duration.ofMinutes(m))));
    return readings;
  }

  static String[] loudIds(String device, Instant from, int minutes) {
    return loud(device, from, minutes).stream()
        .map(r -> sensorId(device, "NOISE", r.getTs()))
        .toArray(String[]::new);
  }

  static DepartmentRecord elderly(String id, String address, String subjectId, String door) {
    return department(
        id,
        "CIVIL_AFFAIRS",
        "ELDERLY_LIVING_ALONE",
        REGISTERED,
        address,
        subjectId,
        Map.of("doorSensorId", door, "name", "王秀英"));
  }
}
