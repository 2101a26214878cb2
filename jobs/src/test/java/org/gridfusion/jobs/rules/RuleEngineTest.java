package org.gridfusion.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.Records.BEGINNING;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.assertj.core.groups.Tuple;
import org.gridfusion.jobs.Records;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ten default rules of contract §5 at their edges, on the operator harness. */
class RuleEngineTest {
  private static final String G = "G-1";

  /** 08:00 UTC = 16:00 in Shanghai: daytime. */
  private static final Instant DAY = BEGINNING;

  /** 15:00 UTC = 23:00 in Shanghai: night. */
  private static final Instant NIGHT = Instant.parse("2026-11-24T15:00:00Z");

  private KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> h;

  @BeforeEach
  void setUp() throws Exception {
    h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            engine(), Record::getGridId, Types.STRING, RuleEngine.RULES);
  }

  private static RuleEngine engine() {
    return new RuleEngine(
        RuleSet.defaults(), "Asia/Shanghai", Duration.ofHours(1), Duration.ofMinutes(10));
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  private void in(Record r) throws Exception {
    h.processElement(new StreamRecord<>(r, r.getTs().toEpochMilli()));
  }

  private void watermark(Instant t) throws Exception {
    // as in the job: the rule-set input is idle and does not hold event time back
    h.getOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
    h.processWatermark(new Watermark(t.toEpochMilli()));
  }

  /** Processing time moves past the duplicate filter's memory (10 min, and up to a minute more). */
  private void forgetSeenIds() throws Exception {
    h.setProcessingTime(h.getProcessingTime() + Duration.ofMinutes(13).toMillis());
  }

  /** Keyed state entries across all grids (the broadcast harness does not count them itself). */
  private int stateEntries() {
    return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  /** The grid's absence subjects, as kept in the operator's {@code subjects} state. */
  private List<RuleEngine.Subject> subjects(String gridId) throws Exception {
    KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(gridId);
    MapState<String, RuleEngine.Subject> subjects =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new MapStateDescriptor<>(
                "subjects", Types.STRING, TypeInformation.of(RuleEngine.Subject.class)));
    List<RuleEngine.Subject> out = new ArrayList<>();
    subjects.values().forEach(out::add);
    return out;
  }

  private List<Firing> fired(String ruleId) {
    return h.extractOutputValues().stream().filter(f -> f.ruleId().equals(ruleId)).toList();
  }

  private static Instant plus(Instant t, Duration d) {
    return t.plus(d);
  }

  // ---------------------------------------------------------------- duplicates

  @Test
  void aRedeliveredRecordIsDroppedBeforeTheRulesAndForgottenAfterTheTtl() throws Exception {
    Record reading = Records.sensor("WL", "WATER_LEVEL", 35, DAY, G);
    Record next = Records.sensor("WL", "WATER_LEVEL", 36, DAY.plusSeconds(60), G);
    h.setProcessingTime(0);
    in(reading);
    in(reading); // an MQTT redelivery
    in(next);
    assertThat(h.getSideOutput(RuleEngine.RECORDS))
        .extracting(r -> r.getValue().getRecordId())
        .containsExactly(reading.getRecordId(), next.getRecordId());
    assertThat(fired("WATERLOGGING")).hasSize(2);

    h.setProcessingTime(Duration.ofMinutes(9).toMillis());
    in(reading); // a late redelivery, within the TTL
    assertThat(h.getSideOutput(RuleEngine.RECORDS)).hasSize(2);

    h.setProcessingTime(Duration.ofMinutes(12).toMillis());
    assertThat(h.numProcessingTimeTimers())
        .as("swept: nothing remembered past the TTL and a minute")
        .isZero();
    in(reading); // long after: remembered no more
    assertThat(h.getSideOutput(RuleEngine.RECORDS)).hasSize(3);
  }

  // ---------------------------------------------------------------- thresholds

  @Test
  void waterloggingAtThirtyIsImportantAtFiftyUrgentBelowNothing() throws Exception {
    in(Records.sensor("WL", "WATER_LEVEL", 29.9, DAY, G));
    in(Records.sensor("WL", "WATER_LEVEL", 30, DAY.plusSeconds(1), G));
    in(Records.sensor("WL", "WATER_LEVEL", 49.9, DAY.plusSeconds(2), G));
    in(Records.sensor("WL", "WATER_LEVEL", 50, DAY.plusSeconds(3), G));
    assertThat(fired("WATERLOGGING"))
        .extracting(Firing::severity)
        .containsExactly(Severity.IMPORTANT, Severity.IMPORTANT, Severity.URGENT);
    assertThat(fired("WATERLOGGING").get(0).ruleVersion()).isEqualTo("default-1");
  }

  @Test
  void manholeAndFall() throws Exception {
    in(Records.sensor("MH", "MANHOLE_TILT", 14.99, DAY, G));
    in(Records.sensor("MH", "MANHOLE_TILT", 15, DAY.plusSeconds(1), G));
    in(Records.camera("FALL_DETECTED", 0.69, DAY.plusSeconds(2), G));
    in(Records.camera("FALL_DETECTED", 0.7, DAY.plusSeconds(3), G));
    assertThat(fired("MANHOLE_DISPLACED")).hasSize(1);
    assertThat(fired("FALL_DETECTED"))
        .singleElement()
        .extracting(Firing::severity)
        .isEqualTo(Severity.IMPORTANT);
  }

  // ---------------------------------------------------------------- consecutive

  @Test
  void gasLeakNeedsTwoConsecutiveReadingsOfOneDevice() throws Exception {
    in(Records.sensor("GAS-A", "GAS", 25, DAY, G));
    in(Records.sensor("GAS-B", "GAS", 25, DAY.plusSeconds(10), G)); // another device: no pair
    in(Records.sensor("GAS-A", "GAS", 19.9, DAY.plusSeconds(20), G)); // breaks the run
    in(Records.sensor("GAS-A", "GAS", 20, DAY.plusSeconds(30), G));
    assertThat(fired("GAS_LEAK")).isEmpty();
    in(Records.sensor("GAS-A", "GAS", 20, DAY.plusSeconds(40), G));
    assertThat(fired("GAS_LEAK"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.IMPORTANT);
              assertThat(f.evidence()).hasSize(2);
            });
  }

  @Test
  void gasLeakPairArrivingOutOfOrderStillFires() throws Exception {
    in(Records.sensor("GAS-A", "GAS", 30, DAY.plusSeconds(20), G));
    in(Records.sensor("GAS-A", "GAS", 31, DAY.plusSeconds(10), G));
    assertThat(fired("GAS_LEAK")).hasSize(1);
  }

  @Test
  void gasLeakIsUrgentInASchoolOrNextToAHazardousEnterprise() throws Exception {
    Record school =
        Record.newBuilder(Records.sensor("GAS-S", "GAS", 25, DAY, "SCH-1"))
            .setGridKind("SCHOOL")
            .build();
    in(school);
    in(
        Record.newBuilder(Records.sensor("GAS-S", "GAS", 25, DAY.plusSeconds(5), "SCH-1"))
            .setGridKind("SCHOOL")
            .build());
    in(
        Records.department(
            "em-1", "HAZARDOUS_ENTERPRISE", DAY.minus(Duration.ofDays(20)), "G-2", Map.of()));
    in(Records.sensor("GAS-H", "GAS", 25, DAY, "G-2"));
    in(Records.sensor("GAS-H", "GAS", 25, DAY.plusSeconds(5), "G-2"));
    in(Records.sensor("GAS-P", "GAS", 25, DAY, G));
    in(Records.sensor("GAS-P", "GAS", 25, DAY.plusSeconds(5), G));
    assertThat(fired("GAS_LEAK"))
        .extracting(Firing::gridId, Firing::severity)
        .containsExactly(
            Tuple.tuple("SCH-1", Severity.URGENT),
            Tuple.tuple("G-2", Severity.URGENT),
            Tuple.tuple(G, Severity.IMPORTANT));
  }

  // ---------------------------------------------------------------- counts

  @Test
  void crowdGatheringNeedsThreeBigCrowdsWithinTenMinutes() throws Exception {
    in(Records.crowd(50, DAY, G));
    in(Records.crowd(49, DAY.plusSeconds(60), G)); // too small to count
    in(Records.crowd(80, DAY.plusSeconds(120), G));
    in(
        Records.crowd(
            60,
            DAY.plus(Duration.ofMinutes(10)).plusMillis(1),
            G)); // just outside the first one's window
    assertThat(fired("CROWD_GATHERING")).isEmpty();
    in(Records.crowd(70, DAY.plus(Duration.ofMinutes(10)), G)); // exactly 10 min after the first
    assertThat(fired("CROWD_GATHERING"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.IMPORTANT);
              assertThat(f.evidence()).hasSize(3);
            });
  }

  @Test
  void crowdGatheringIsUrgentAfterAPoliceCallInTheLast24Hours() throws Exception {
    in(
        Records.department(
            "pol-old", "INCIDENT_REPORT", DAY.minus(Duration.ofHours(25)), G, Map.of()));
    for (int i = 0; i < 3; i++) in(Records.crowd(60, DAY.plusSeconds(i), G));
    assertThat(fired("CROWD_GATHERING"))
        .last()
        .extracting(Firing::severity)
        .isEqualTo(Severity.IMPORTANT);
    in(
        Records.department(
            "pol-1", "INCIDENT_REPORT", DAY.minus(Duration.ofHours(23)), G, Map.of()));
    in(Records.crowd(60, DAY.plusSeconds(3), G));
    assertThat(fired("CROWD_GATHERING"))
        .last()
        .extracting(Firing::severity)
        .isEqualTo(Severity.URGENT);
  }

  @Test
  void streetVendingNeedsFiveWithinAnHour() throws Exception {
    for (int i = 0; i < 4; i++)
      in(Records.camera("STREET_VENDING", 0.9, DAY.plus(Duration.ofMinutes(15L * i)), G));
    in(Records.camera("STREET_VENDING", 0.9, DAY.plus(Duration.ofMinutes(61)), G));
    assertThat(fired("STREET_VENDING")).isEmpty();
    in(Records.camera("STREET_VENDING", 0.9, DAY.plus(Duration.ofMinutes(59)), G));
    assertThat(fired("STREET_VENDING"))
        .singleElement()
        .extracting(Firing::severity)
        .isEqualTo(Severity.GENERAL);
  }

  // ---------------------------------------------------------------- co-occurrence

  @Test
  void smokeAndCameraWithinFiveMinutesConfirmAFire() throws Exception {
    in(Records.sensor("SM", "SMOKE", 10, DAY, G));
    in(Records.camera("FIRE_SMOKE", 0.8, DAY.plus(Duration.ofMinutes(5)), G));
    assertThat(fired("FIRE_CONFIRMED"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.URGENT);
              assertThat(f.evidence()).hasSize(2);
              assertThat(f.ts()).as("dated by the smoke").isEqualTo(DAY.toEpochMilli());
            });
    watermark(DAY.plus(Duration.ofHours(2)));
    forgetSeenIds();
    assertThat(fired("FIRE_SUSPECTED")).isEmpty();
    assertThat(stateEntries()).isLessThanOrEqualTo(2); // grid info and context only
  }

  @Test
  void aConfirmedFireIsDatedByItsEarlierInputWhicheverReachesTheRulesFirst() throws Exception {
    Record camera = Records.camera("FIRE_SMOKE", 0.9, DAY.plus(Duration.ofMinutes(1)), G);
    Record smoke = Records.sensor("SM", "SMOKE", 12, DAY, G);
    in(camera);
    in(smoke);
    assertThat(fired("FIRE_CONFIRMED"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.ts()).isEqualTo(DAY.toEpochMilli());
              assertThat(f.evidence()).containsExactly(smoke.getRecordId(), camera.getRecordId());
            });
  }

  @Test
  void aLoneSmokeReadingIsSuspectedOnlyOnceTheFiveMinutesHavePassed() throws Exception {
    in(Records.sensor("SM", "SMOKE", 12, DAY, G));
    in(
        Records.camera(
            "FIRE_SMOKE", 0.79, DAY.plusSeconds(30), G)); // not confident enough to be a partner
    in(
        Records.camera(
            "FIRE_SMOKE",
            0.9,
            DAY.plus(Duration.ofMinutes(5)).plusMillis(1),
            G)); // too late to partner
    watermark(DAY.plus(Duration.ofMinutes(5)).minusMillis(1));
    assertThat(fired("FIRE_SUSPECTED")).isEmpty();
    watermark(DAY.plus(Duration.ofMinutes(5)));
    assertThat(fired("FIRE_SUSPECTED"))
        .singleElement()
        .extracting(Firing::severity)
        .isEqualTo(Severity.IMPORTANT);
    watermark(DAY.plus(Duration.ofMinutes(11)));
    assertThat(fired("FIRE_SUSPECTED")).hasSize(2); // the lone camera event too
    assertThat(fired("FIRE_CONFIRMED")).isEmpty();
  }

  /** A record as the connector received it at {@code receivedAt}. */
  private static Record received(Record r, Instant receivedAt) {
    return Record.newBuilder(r).setReceivedAt(receivedAt).build();
  }

  @Test
  void aFireDeliveredLateWaitsForItsPartnerFromWhenItCameNotFromItsClock() throws Exception {
    // a camera and a smoke sensor whose inputs come 9 minutes behind their ts (a clock behind, or
    // a link that delivers late: within the allowed lateness, so on time), the camera read first:
    // the camera source is at 00:22 while the slower sensor source holds event time at 00:14
    in(Records.sensor("T", "TEMPERATURE", 20, DAY.plus(Duration.ofMinutes(22)), G));
    watermark(DAY.plus(Duration.ofMinutes(14)));
    Instant cameraTs = DAY.plus(Duration.ofMinutes(13));
    in(received(Records.camera("FIRE_SMOKE", 0.9, cameraTs, G), DAY.plus(Duration.ofMinutes(22))));
    watermark(DAY.plus(Duration.ofMinutes(21)));
    assertThat(fired("FIRE_SUSPECTED"))
        .as("the smoke received before it can still come: its window counts from 00:22")
        .isEmpty();
    Instant smokeTs = DAY.plus(Duration.ofMinutes(12));
    in(received(Records.sensor("SM", "SMOKE", 12, smokeTs, G), DAY.plus(Duration.ofMinutes(21))));
    watermark(DAY.plus(Duration.ofHours(3)));
    assertThat(fired("FIRE_CONFIRMED"))
        .singleElement()
        .extracting(Firing::ts)
        .isEqualTo(smokeTs.toEpochMilli());
    assertThat(fired("FIRE_SUSPECTED")).isEmpty();
  }

  @Test
  void aLateLoneCameraIsSuspectedOnceTheWindowHasPassedSinceItCame() throws Exception {
    in(Records.sensor("T", "TEMPERATURE", 20, DAY.plus(Duration.ofMinutes(21)), G));
    Instant cameraTs = DAY.plus(Duration.ofMinutes(13));
    in(received(Records.camera("FIRE_SMOKE", 0.9, cameraTs, G), DAY.plus(Duration.ofMinutes(22))));
    watermark(DAY.plus(Duration.ofMinutes(26)).minusMillis(1));
    assertThat(fired("FIRE_SUSPECTED")).isEmpty();
    watermark(DAY.plus(Duration.ofMinutes(26)));
    assertThat(fired("FIRE_SUSPECTED"))
        .singleElement()
        .as("dated by the camera's own ts")
        .extracting(Firing::ts)
        .isEqualTo(cameraTs.toEpochMilli());
    watermark(DAY.plus(Duration.ofHours(3)));
    forgetSeenIds();
    assertThat(fired("FIRE_SUSPECTED")).hasSize(1);
    assertThat(stateEntries()).isLessThanOrEqualTo(2); // grid info and context only
  }

  @Test
  void aReplayOfOldRecordsJudgesEachAtTheEndOfItsWindow() throws Exception {
    // every record received days after its ts: the replay's event time is the frontier
    Instant now = DAY.plus(Duration.ofDays(5));
    in(received(Records.sensor("T", "TEMPERATURE", 20, DAY, G), now));
    in(received(Records.camera("FIRE_SMOKE", 0.9, DAY.plusSeconds(60), G), now));
    watermark(DAY.plus(Duration.ofMinutes(6)));
    assertThat(fired("FIRE_SUSPECTED")).hasSize(1);
  }

  // ---------------------------------------------------------------- lasting, local hours

  @Test
  void nightNoiseNeedsThirtyLoudMinutesAtNight() throws Exception {
    for (int m = 0; m <= 30; m += 5)
      in(Records.sensor("N", "NOISE", 70, DAY.plus(Duration.ofMinutes(m)), G));
    assertThat(fired("NIGHT_NOISE")).as("daytime").isEmpty();
    for (int m = 0; m < 30; m += 5)
      in(Records.sensor("N", "NOISE", 75, NIGHT.plus(Duration.ofMinutes(m)), G));
    assertThat(fired("NIGHT_NOISE")).as("29 minutes").isEmpty();
    in(Records.sensor("N", "NOISE", 72, NIGHT.plus(Duration.ofMinutes(30)), G));
    assertThat(fired("NIGHT_NOISE"))
        .singleElement()
        .extracting(Firing::severity)
        .isEqualTo(Severity.GENERAL);
  }

  @Test
  void nightNoiseReadingsArrivingOutOfOrderStillAddUp() throws Exception {
    for (int m : new int[] {10, 0, 20, 5, 30, 15, 25})
      in(Records.sensor("N", "NOISE", 75, NIGHT.plus(Duration.ofMinutes(m)), G));
    assertThat(fired("NIGHT_NOISE")).isNotEmpty();
    assertThat(fired("NIGHT_NOISE").get(fired("NIGHT_NOISE").size() - 1).evidence()).hasSize(7);
  }

  @Test
  void aQuietReadingRestartsTheNightNoiseClockAndADisputeEscalates() throws Exception {
    in(
        Records.department(
            "dis-1",
            "DISPUTE_REPORTED",
            NIGHT.minus(Duration.ofDays(6)),
            G,
            Map.of("category", "FAMILY")));
    in(Records.sensor("N", "NOISE", 75, NIGHT, G));
    in(Records.sensor("N", "NOISE", 69, NIGHT.plus(Duration.ofMinutes(10)), G));
    in(Records.sensor("N", "NOISE", 75, NIGHT.plus(Duration.ofMinutes(20)), G));
    in(Records.sensor("N", "NOISE", 75, NIGHT.plus(Duration.ofMinutes(40)), G));
    assertThat(fired("NIGHT_NOISE")).isEmpty();
    in(Records.sensor("N", "NOISE", 75, NIGHT.plus(Duration.ofMinutes(50)), G));
    assertThat(fired("NIGHT_NOISE"))
        .singleElement()
        .extracting(Firing::severity)
        .isEqualTo(Severity.IMPORTANT);
  }

  // ---------------------------------------------------------------- absence

  @Test
  void elderlyInactiveAfter24SilentHoursAndNotBefore() throws Exception {
    in(
        Records.department(
            "ca-1", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-1")));
    in(Records.sensor("DOOR-1", "DOOR", 1, DAY.plus(Duration.ofHours(2)), G));
    watermark(DAY.plus(Duration.ofHours(26)).minusMillis(1));
    assertThat(fired("ELDERLY_INACTIVE")).isEmpty();
    watermark(DAY.plus(Duration.ofHours(26)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subjectRef()).isEqualTo("sr-ca-1");
              assertThat(f.severity()).isEqualTo(Severity.IMPORTANT);
              assertThat(f.evidence()).containsExactly("DEPARTMENT:ca-1");
            });
    watermark(DAY.plus(Duration.ofHours(80)));
    assertThat(fired("ELDERLY_INACTIVE")).as("fires once per silence").hasSize(1);
  }

  @Test
  void aReportThatArrivesBeforeEventTimeReachedTheDeadlineStillShowsTheSilenceBeforeIt()
      throws Exception {
    // Another partition holds the watermark back: the door's next report, 25 h after its last,
    // is here before event time reached the 24 h deadline. The day of silence happened; the
    // check, when it comes, would see only the new report.
    in(
        Records.department(
            "ca-1", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-1")));
    in(Records.sensor("DOOR-1", "DOOR", 1, DAY.plus(Duration.ofHours(2)), G));
    watermark(DAY.plus(Duration.ofHours(3)));
    in(Records.sensor("DOOR-1", "DOOR", 1, DAY.plus(Duration.ofHours(27)), G));
    assertThat(fired("ELDERLY_INACTIVE"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.subjectRef()).isEqualTo("sr-ca-1");
              assertThat(f.ts()).isEqualTo(DAY.plus(Duration.ofHours(26)).toEpochMilli());
            });
    watermark(DAY.plus(Duration.ofHours(50)).minusMillis(1));
    assertThat(fired("ELDERLY_INACTIVE")).as("watched anew from the report").hasSize(1);
    watermark(DAY.plus(Duration.ofHours(51)));
    assertThat(fired("ELDERLY_INACTIVE")).as("the next day of silence").hasSize(2);
  }

  @Test
  void silenceCountsOnlyFromTheGridsFirstRecordNotFromAnOlderRegistration() throws Exception {
    in(
        Records.department(
            "ca-7",
            "ELDERLY_LIVING_ALONE",
            DAY.minus(Duration.ofDays(2)),
            G,
            Map.of("doorSensorId", "DOOR-7")));
    watermark(DAY.minusSeconds(1));
    assertThat(fired("ELDERLY_INACTIVE")).as("nothing observed yet").isEmpty();
    assertThat(h.numEventTimeTimers()).as("no silence check while unobserved").isZero();
    in(Records.sensor("TEMP-7", "TEMPERATURE", 21, DAY, G)); // the grid's first record
    watermark(DAY.plus(Duration.ofHours(24)).minusMillis(1));
    assertThat(fired("ELDERLY_INACTIVE")).isEmpty();
    watermark(DAY.plus(Duration.ofHours(24)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::ts)
        .containsExactly(DAY.plus(Duration.ofHours(24)).toEpochMilli());
  }

  @Test
  void aDoorHeardBeforeItsSubjectWasRegisteredCountsFromItsLastRecord() throws Exception {
    in(Records.sensor("DOOR-8", "DOOR", 1, DAY, G));
    in(
        Records.department(
            "ca-8",
            "ELDERLY_LIVING_ALONE",
            DAY.plus(Duration.ofHours(5)),
            G,
            Map.of("doorSensorId", "DOOR-8")));
    watermark(DAY.plus(Duration.ofHours(24)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::ts)
        .containsExactly(DAY.plus(Duration.ofHours(24)).toEpochMilli());
  }

  @Test
  void aRegistrationArrivingLongAfterItsDateIsStillWatchedFromObservedTime() throws Exception {
    in(Records.sensor("TEMP-9", "TEMPERATURE", 21, DAY, G));
    watermark(DAY.plus(Duration.ofHours(10)));
    // a context file dropped in ten hours into the run, its record dated a week before
    in(
        Records.department(
            "ca-9",
            "ELDERLY_LIVING_ALONE",
            DAY.minus(Duration.ofDays(7)),
            G,
            Map.of("doorSensorId", "DOOR-9")));
    watermark(DAY.plus(Duration.ofHours(24)).minusMillis(1));
    assertThat(fired("ELDERLY_INACTIVE")).isEmpty();
    watermark(DAY.plus(Duration.ofHours(24)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::ts)
        .containsExactly(DAY.plus(Duration.ofHours(24)).toEpochMilli());
  }

  @Test
  void eachSubjectFallsDueAtItsOwnSilenceAndAgainAfterItsDoorReportsOnceMore() throws Exception {
    in(
        Records.department(
            "ca-1", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-1")));
    in(
        Records.department(
            "ca-3",
            "ELDERLY_LIVING_ALONE",
            DAY.plus(Duration.ofHours(3)),
            G,
            Map.of("doorSensorId", "DOOR-3")));
    in(
        Records.sensor(
            "DOOR-1",
            "DOOR",
            1,
            DAY.plus(Duration.ofHours(2)),
            G)); // moves ca-1's deadline past ca-3's first check
    watermark(DAY.plus(Duration.ofHours(26)));
    assertThat(fired("ELDERLY_INACTIVE")).extracting(Firing::subjectRef).containsExactly("sr-ca-1");
    watermark(DAY.plus(Duration.ofHours(27)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::subjectRef)
        .containsExactly("sr-ca-1", "sr-ca-3");
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::ts)
        .containsExactly(
            DAY.plus(Duration.ofHours(26)).toEpochMilli(),
            DAY.plus(Duration.ofHours(27)).toEpochMilli());

    in(
        Records.sensor(
            "DOOR-1",
            "DOOR",
            0,
            DAY.plus(Duration.ofHours(30)),
            G)); // the door again: watched anew
    watermark(DAY.plus(Duration.ofHours(54)));
    assertThat(fired("ELDERLY_INACTIVE"))
        .extracting(Firing::subjectRef)
        .containsExactly("sr-ca-1", "sr-ca-3", "sr-ca-1");
    assertThat(fired("ELDERLY_INACTIVE").get(2).ts())
        .isEqualTo(DAY.plus(Duration.ofHours(54)).toEpochMilli());
  }

  @Test
  void aSilenceCheckAndTheWindowsSurviveARestoreFromACheckpoint() throws Exception {
    in(
        Records.department(
            "ca-5", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-5")));
    in(Records.sensor("GAS-R", "GAS", 25, DAY, G));
    watermark(DAY.plusSeconds(10));
    var snapshot = h.snapshot(1L, 1L);
    h.close();

    h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(engine(), List.of(RuleEngine.RULES)),
            Record::getGridId,
            Types.STRING,
            1,
            1,
            0);
    h.setup();
    h.initializeState(snapshot);
    h.open();
    in(
        Records.sensor(
            "GAS-R", "GAS", 26, DAY.plusSeconds(60), G)); // the reading before the restore counts
    assertThat(fired("GAS_LEAK")).hasSize(1);
    watermark(DAY.plus(Duration.ofHours(24)));
    assertThat(fired("ELDERLY_INACTIVE")).extracting(Firing::subjectRef).containsExactly("sr-ca-5");
    watermark(DAY.plus(Duration.ofHours(30)));
    forgetSeenIds();
    assertThat(stateEntries())
        .as("windows cleaned up after the restore; context, grid, observation and subject left")
        .isEqualTo(5);
  }

  @Test
  void aBusyGridHoldsOneCleanUpTimerAndOneSilenceCheckNotOnePerRecord() throws Exception {
    in(
        Records.department(
            "ca-4", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-4")));
    for (int minute = 0; minute < 180; minute++) {
      Instant t = DAY.plus(Duration.ofMinutes(minute));
      in(Records.sensor("GAS-B", "GAS", 5, t, G));
      in(Records.sensor("NOISE-B", "NOISE", 40, t, G));
      in(Records.camera("STREET_VENDING", 0.9, t, G));
      if (minute % 10 == 0) in(Records.sensor("DOOR-4", "DOOR", minute % 20 == 0 ? 1 : 0, t, G));
      watermark(t.minusSeconds(5));
    }
    // before: a clean-up timer per record's minute (hours ahead) and a silence timer per door
    // report
    assertThat(h.numEventTimeTimers()).isLessThanOrEqualTo(4);
    assertThat(fired("STREET_VENDING")).isNotEmpty();
    watermark(DAY.plus(Duration.ofHours(6)));
    assertThat(fired("ELDERLY_INACTIVE")).isEmpty();
    assertThat(h.numEventTimeTimers()).as("only the silence check is left").isEqualTo(1);
  }

  @Test
  void aDoorThatKeepsReportingNeverRaisesInactivity() throws Exception {
    in(
        Records.department(
            "ca-2", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-2")));
    for (int hours = 4; hours <= 72; hours += 4) {
      in(
          Records.sensor(
              "DOOR-2", "DOOR", hours % 8 == 0 ? 1 : 0, DAY.plus(Duration.ofHours(hours)), G));
      watermark(DAY.plus(Duration.ofHours(hours)));
    }
    assertThat(fired("ELDERLY_INACTIVE")).isEmpty();
  }

  // ---------------------------------------------------------------- lateness, state, rule changes

  @Test
  void recordsLateBeyondTheAllowedLatenessAreIgnoredByWindowedRules() throws Exception {
    watermark(DAY.plus(Duration.ofHours(3)));
    in(Records.sensor("GAS-L", "GAS", 30, DAY, G));
    in(Records.sensor("GAS-L", "GAS", 30, DAY.plusSeconds(5), G));
    in(Records.sensor("WL", "WATER_LEVEL", 35, DAY, G)); // judged alone: still raised
    assertThat(fired("GAS_LEAK")).isEmpty();
    assertThat(fired("WATERLOGGING")).hasSize(1);
  }

  @Test
  void aRecordLateButWithinTheAllowedLatenessStillMeetsItsWindow() throws Exception {
    in(Records.camera("STREET_VENDING", 0.9, DAY, G));
    watermark(
        DAY.plus(
            Duration.ofMinutes(
                65))); // past the first one's 1 h window, within window + 1 h lateness
    for (int i = 1; i < 5; i++)
      in(Records.camera("STREET_VENDING", 0.9, DAY.plus(Duration.ofMinutes(10L * i)), G));
    assertThat(fired("STREET_VENDING"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).hasSize(5));
  }

  @Test
  void windowStateIsDroppedOnceEventTimeMovesOn() throws Exception {
    in(Records.crowd(60, DAY, G));
    in(Records.sensor("GAS-X", "GAS", 25, DAY, G));
    in(Records.camera("STREET_VENDING", 0.9, DAY, G));
    assertThat(stateEntries()).isGreaterThan(1);
    watermark(DAY.plus(Duration.ofHours(3)));
    forgetSeenIds();
    // only the grid's description and since when it is observed remain
    assertThat(stateEntries()).isEqualTo(2);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
  }

  @Test
  void aNewRuleSetTakesEffectAndABadOneIsRefused() throws Exception {
    in(Records.sensor("WL", "WATER_LEVEL", 35, DAY, G));
    String lower =
        RuleSet.defaults()
            .source()
            .replace("version: default-1", "version: v2")
            .replace(
                "match: {source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 30}",
                "match: {source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 20}");
    h.processBroadcastElement(new StreamRecord<>(lower, 0));
    in(Records.sensor("WL", "WATER_LEVEL", 25, DAY.plusSeconds(1), G));
    h.processBroadcastElement(
        new StreamRecord<>("version: v3\nrules:\n  - id: WATERLOGGING\n    kind: threshold\n", 0));
    in(Records.sensor("WL", "WATER_LEVEL", 21, DAY.plusSeconds(2), G));
    assertThat(fired("WATERLOGGING"))
        .extracting(Firing::ruleVersion)
        .containsExactly("default-1", "v2", "v2");
    assertThat(h.getSideOutput(DeadLetters.TAG))
        .singleElement()
        .satisfies(
            dl ->
                assertThat(dl.getValue())
                    .contains("INVALID_RULE_SET")
                    .contains("rule #1 (WATERLOGGING)"));
  }

  @Test
  void aMarketsCrowdThresholdIsNotAnotherGrids() throws Exception {
    h.processBroadcastElement(new StreamRecord<>(RuleSetTest.WITH_OVERRIDES, 0));
    for (int i = 0; i < 3; i++) {
      Instant t = DAY.plus(Duration.ofMinutes(i));
      in(Records.crowd(60, t, G)); // a basic grid: three of 50 or more
      in(market(Records.crowd(60, t, "G-MKT"))); // a market: 60 is not a crowd there
    }
    assertThat(fired("CROWD_GATHERING")).extracting(Firing::gridId).containsExactly(G);
    for (int i = 3; i < 7; i++)
      in(market(Records.crowd(130, DAY.plus(Duration.ofMinutes(i)), "G-MKT")));
    assertThat(fired("CROWD_GATHERING"))
        .extracting(Firing::gridId)
        .as("four of 120 or more in the market")
        .containsExactly(G, "G-MKT");
  }

  private static Record market(Record r) {
    return Record.newBuilder(r)
        .setGridKind("MARKET")
        .setRecordId(r.getRecordId() + "-" + r.getGridId() + "-" + r.getObjectCount())
        .build();
  }

  // ---------------------------------------------------------------- many rules of a kind (issue
  // 16)

  private static final String TUNED =
      """
      version: tuned
      rules:
        - {id: GAS_20, title: g, kind: consecutive, count: 2, severity: GENERAL,
           match: {source: SENSOR, type: GAS, field: value, atLeast: 20}}
        - {id: GAS_30, title: g, kind: consecutive, count: 3, severity: GENERAL,
           match: {source: SENSOR, type: GAS, field: value, atLeast: 30}}
        - {id: CROWD_80, title: c, kind: count, count: 2, within: 10m, severity: GENERAL,
           match: {source: CAMERA, type: CROWD, field: objectCount, atLeast: 80}}
        - {id: CROWD_50, title: c, kind: count, count: 3, within: 10m, severity: GENERAL,
           match: {source: CAMERA, type: CROWD, field: objectCount, atLeast: 50}}
        - {id: ALONE_24, title: a, kind: absence, silence: 24h, severity: IMPORTANT,
           subject: {recordType: ELDERLY_LIVING_ALONE, deviceAttribute: doorSensorId},
           match: {source: SENSOR, type: DOOR}}
        - {id: ALONE_26, title: a, kind: absence, silence: 26h, severity: IMPORTANT,
           subject: {recordType: ELDERLY_LIVING_ALONE, deviceAttribute: doorSensorId},
           match: {source: SENSOR, type: DOOR}}
      """;

  @Test
  void rulesSharingAWindowEachJudgeTheirOwnThresholdAndRun() throws Exception {
    h.processBroadcastElement(new StreamRecord<>(TUNED, 0));
    double[] gas = {25, 31, 31, 19, 31, 31, 31};
    for (int i = 0; i < gas.length; i++)
      in(Records.sensor("GAS-T", "GAS", gas[i], DAY.plusSeconds(60L * i), G));
    // GAS_20 at readings 2, 3, 6 and 7 (runs of 20+ broken by the 19); GAS_30 at 7 only (three 30+)
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId, f -> (f.ts() - DAY.toEpochMilli()) / 60_000)
        .containsExactly(
            Tuple.tuple("GAS_20", 1L),
            Tuple.tuple("GAS_20", 2L),
            Tuple.tuple("GAS_20", 5L),
            Tuple.tuple("GAS_20", 6L),
            Tuple.tuple("GAS_30", 6L));
    assertThat(fired("GAS_30").get(0).evidence()).hasSize(3);

    h.getOutput().clear();
    Instant t = DAY.plus(Duration.ofHours(1));
    in(Records.crowd(60, t, G));
    in(Records.crowd(90, t.plusSeconds(60), G));
    in(Records.crowd(45, t.plusSeconds(90), G)); // no crowd for either
    in(Records.crowd(85, t.plusSeconds(120), G));
    // the third: three of 50+ and two of 80+, in the set's order
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId, Firing::evidence)
        .containsExactly(
            Tuple.tuple(
                "CROWD_80",
                List.of(
                    Records.crowd(90, t.plusSeconds(60), G).getRecordId(),
                    Records.crowd(85, t.plusSeconds(120), G).getRecordId())),
            Tuple.tuple(
                "CROWD_50",
                List.of(
                    Records.crowd(60, t, G).getRecordId(),
                    Records.crowd(90, t.plusSeconds(60), G).getRecordId(),
                    Records.crowd(85, t.plusSeconds(120), G).getRecordId())));
  }

  @Test
  void everyAbsenceRuleOnADoorWatchesItsSubjectAnewWhenTheDoorReports() throws Exception {
    h.processBroadcastElement(new StreamRecord<>(TUNED, 0));
    in(
        Records.department(
            "ca-7", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-7")));
    in(Records.sensor("DOOR-7", "DOOR", 1, DAY, G));
    watermark(DAY.plus(Duration.ofHours(27)));
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId)
        .containsExactly("ALONE_24", "ALONE_26");
    in(Records.sensor("DOOR-7", "DOOR", 0, DAY.plus(Duration.ofHours(28)), G));
    watermark(DAY.plus(Duration.ofHours(28 + 27)));
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId)
        .as("both watched anew by the one report")
        .containsExactly("ALONE_24", "ALONE_26", "ALONE_24", "ALONE_26");
  }

  @Test
  void absenceRulesReadingOneRegistrationKeepOneSubjectEntryPerDevice() throws Exception {
    h.processBroadcastElement(new StreamRecord<>(TUNED, 0));
    in(
        Records.department(
            "ca-7", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-7")));
    in(
        Records.department(
            "ca-8", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-8")));
    assertThat(subjects(G))
        .as("one entry per device for ALONE_24 and ALONE_26 together")
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.rules()).containsExactly("ALONE_24", "ALONE_26"));
  }

  @Test
  void aDoorReportAfterAGapBetweenTwoSilencesRaisesOnlyTheShorter() throws Exception {
    h.processBroadcastElement(new StreamRecord<>(TUNED, 0));
    in(
        Records.department(
            "ca-7", "ELDERLY_LIVING_ALONE", DAY, G, Map.of("doorSensorId", "DOOR-7")));
    in(Records.sensor("DOOR-7", "DOOR", 1, DAY.plus(Duration.ofHours(2)), G));
    in(Records.sensor("DOOR-7", "DOOR", 0, DAY.plus(Duration.ofHours(3)), G)); // a short gap
    watermark(DAY.plus(Duration.ofHours(4)));
    assertThat(h.extractOutputValues()).isEmpty();
    // the watermark is held back: the report after 25 h shows ALONE_24's silence, not ALONE_26's
    in(Records.sensor("DOOR-7", "DOOR", 1, DAY.plus(Duration.ofHours(28)), G));
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId, f -> (f.ts() - DAY.toEpochMilli()) / 3_600_000)
        .containsExactly(Tuple.tuple("ALONE_24", 27L));
    watermark(DAY.plus(Duration.ofHours(60)));
    assertThat(h.extractOutputValues())
        .extracting(Firing::ruleId, f -> (f.ts() - DAY.toEpochMilli()) / 3_600_000)
        .as("both watched from the report on")
        .containsExactly(
            Tuple.tuple("ALONE_24", 27L),
            Tuple.tuple("ALONE_24", 52L),
            Tuple.tuple("ALONE_26", 54L));
  }

  @Test
  void windowsStaySortedByEventTimeAndARedeliveryIsKeptOnce() {
    List<RuleEngine.Seen> window = new ArrayList<>();
    assertThat(WindowedRules.insert(window, seenAt(10, "a"))).isZero();
    assertThat(WindowedRules.insert(window, seenAt(5, "b"))).isZero();
    assertThat(WindowedRules.insert(window, seenAt(10, "c")))
        .as("after the records of the same time")
        .isEqualTo(2);
    assertThat(WindowedRules.insert(window, seenAt(12, "d"))).isEqualTo(3);
    assertThat(WindowedRules.insert(window, seenAt(10, "a")))
        .as("a redelivery is found, not added")
        .isEqualTo(1);
    assertThat(window).extracting(RuleEngine.Seen::recordId).containsExactly("b", "a", "c", "d");
  }

  private static RuleEngine.Seen seenAt(long ts, String id) {
    return new RuleEngine.Seen(ts, id, "D-1", 43.6, 122.2, 1.0, ts);
  }
}
