package org.gridfusion.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.jobs.TestDistrict;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskFactor;
import org.gridfusion.schema.RiskLevel;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The risk operator's emissions, timers and state, on Flink's keyed two-input harness. */
class RiskScorerTest {
  private static final long T0 = 1_764_000_000_000L - 1_764_000_000_000L % 60_000L;
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;

  @TempDir Path dir;
  private KeyedTwoInputStreamOperatorTestHarness<String, RiskEvidence, Alert, RiskScore> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            new RiskScorer(RiskWeights.defaults(), TestDistrict.write(dir)),
            (RiskEvidence e) -> e.gridId,
            Alert::getGridId,
            Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static Record record(
      String id, Source source, String type, String gridId, long ts, Double value) {
    return Record.newBuilder()
        .setRecordId(id)
        .setSource(source)
        .setType(type)
        .setTs(Instant.ofEpochMilli(ts))
        .setLat(43.605)
        .setLon(122.185)
        .setGridId(gridId)
        .setGridKind("BASIC")
        .setValue(value)
        .setAttributes(Map.of())
        .setReceivedAt(Instant.ofEpochMilli(ts))
        .build();
  }

  private static Alert alert(
      String id, Severity severity, String gridId, long firstSeen, String status, Long closedAt) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId("FIRE_CONFIRMED")
        .setRuleVersion("1")
        .setTitle("Fire")
        .setSeverity(severity)
        .setGridId(gridId)
        .setLat(43.605)
        .setLon(122.185)
        .setFirstSeen(Instant.ofEpochMilli(firstSeen))
        .setLastSeen(Instant.ofEpochMilli(firstSeen))
        .setCount(1)
        .setEvidence(List.of("r1"))
        .setStatus(status)
        .setClosedAt(closedAt == null ? null : Instant.ofEpochMilli(closedAt))
        .setDetectedAt(Instant.now())
        .build();
  }

  /** A record as the job hands it over: as its evidence, if it has any. */
  private void send(Record r, long ts) throws Exception {
    RiskEvidence e = RiskEvidence.of(r, RiskWeights.defaults());
    if (e != null) harness.processElement1(new StreamRecord<>(e, ts));
  }

  private List<RiskScore> scores() {
    return harness.extractOutputValues();
  }

  @Test
  void anOpenUrgentAlertRaisesTheGridToHighAtOnceWithItsReason() throws Exception {
    harness.processElement2(
        new StreamRecord<>(
            alert("a1", Severity.URGENT, "B-WEST", T0 + 5_000, "OPEN", null), T0 + 5_000));

    assertThat(scores()).hasSize(1);
    RiskScore s = scores().get(0);
    assertThat(s.getLevel()).isEqualTo(RiskLevel.HIGH);
    assertThat(s.getScore()).isGreaterThanOrEqualTo(50.0);
    assertThat(s.getTs().toEpochMilli()).isEqualTo(T0 + 5_000);
    assertThat(s.getOpenAlerts()).isEqualTo(1);
    assertThat(s.getFactors().get(0).getName()).isEqualTo("alert:FIRE_CONFIRMED");
    // the grid map's centroid and names, for the map view
    assertThat(s.getLat()).isBetween(43.60, 43.62);
    assertThat(s.getLon()).isBetween(122.18, 122.20);
    assertThat(s.getGridName()).isEqualTo("West");
    assertThat(s.getStreet()).isEqualTo("S01");
  }

  @Test
  void twoEmissionsNeverShareAnInstant() throws Exception {
    long m = T0 + MINUTE;
    send(
        record("c0", Source.CAMERA, "FIRE_SMOKE", "B-WEST", m - 30_000, null),
        m - 30_000); // sets the minute timer at m
    harness.processElement2(
        new StreamRecord<>(
            alert("a2", Severity.URGENT, "B-WEST", m, "OPEN", null), m)); // HIGH at once, at m
    send(
        record("c1", Source.CAMERA, "FIRE_SMOKE", "B-WEST", m, null),
        m); // more at m: no level change, shown by the timer
    harness.processWatermark2(new Watermark(Long.MAX_VALUE)); // the alert input is done
    harness.processWatermark1(new Watermark(m));
    harness.processElement2(
        new StreamRecord<>(
            alert("a3", Severity.URGENT, "B-WEST", m - HOUR, "OPEN", null),
            m - HOUR)); // late: counted now

    List<Long> instants = scores().stream().map(s -> s.getTs().toEpochMilli()).toList();
    assertThat(instants)
        .as("emitted at")
        .doesNotHaveDuplicates()
        .isSorted()
        .startsWith(m - 30_000, m, m + 1);
    assertThat(scores().get(2).getScore()).isGreaterThan(scores().get(1).getScore());
    assertThat(scores()).extracting(RiskScore::getLevel).contains(RiskLevel.CRITICAL);
  }

  @Test
  void onceTheAlertClosesTheScoreDecaysMinuteByMinuteAndTheGridForgetsIt() throws Exception {
    harness.processElement2(
        new StreamRecord<>(alert("a1", Severity.URGENT, "B-WEST", T0, "OPEN", null), T0));
    harness.processWatermark1(new Watermark(T0 + 29 * MINUTE));
    harness.processWatermark2(new Watermark(T0 + 29 * MINUTE));
    assertThat(scores()).hasSize(1); // an open alert does not move: nothing new to say each minute
    assertThat(harness.numEventTimeTimers())
        .isEqualTo(1); // but the clock runs: it ends on its own after 30 quiet minutes

    long closed = T0 + 30 * MINUTE;
    harness.processElement2(
        new StreamRecord<>(
            alert("a1", Severity.URGENT, "B-WEST", T0, IncidentTracker.CLOSED, closed), closed));
    harness.processWatermark1(new Watermark(closed + 10 * MINUTE));
    harness.processWatermark2(new Watermark(closed + 10 * MINUTE));

    List<RiskScore> s = scores();
    assertThat(s.get(s.size() - 1).getOpenAlerts()).isZero();
    assertThat(s)
        .extracting(RiskScore::getScore)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(s.subList(1, s.size()))
        .extracting(r -> r.getTs().toEpochMilli() % MINUTE)
        .containsOnly(0L);
    assertThat(s.size()).isBetween(10, 12); // one per minute while it moves

    harness.processWatermark1(new Watermark(closed + 30 * HOUR));
    harness.processWatermark2(new Watermark(closed + 30 * HOUR));
    RiskScore last = scores().get(scores().size() - 1);
    assertThat(last.getLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(last.getScore())
        .isLessThan(2.0); // a basic grid of 1,100 people: 1.1 standing points
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void anAlertEndsThirtyQuietMinutesAfterItsLastFiringEvenBeforeItsClosedUpdateArrives()
      throws Exception {
    harness.processElement2(
        new StreamRecord<>(alert("a1", Severity.URGENT, "B-WEST", T0, "OPEN", null), T0));
    // the records input runs ahead (the alerts input was idle): the score must not stay HIGH
    // forever
    harness.processWatermark1(new Watermark(T0 + 3 * HOUR));
    harness.processWatermark2(new Watermark(T0 + 3 * HOUR));
    RiskScore last = scores().get(scores().size() - 1);
    assertThat(last.getOpenAlerts()).isZero();
    assertThat(last.getLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(scores()).extracting(RiskScore::getLevel).contains(RiskLevel.MEDIUM);

    int before = scores().size();
    long closed = T0 + 30 * MINUTE;
    harness.processElement2(
        new StreamRecord<>(
            alert("a1", Severity.URGENT, "B-WEST", T0, IncidentTracker.CLOSED, closed), closed));
    assertThat(scores()).hasSize(before); // the late CLOSED update changes nothing
  }

  @Test
  void ordinaryReadingsAddNothingAndTouchNoState() throws Exception {
    for (int i = 0; i < 50; i++) {
      send(
          record("r" + i, Source.SENSOR, "WATER_LEVEL", "B-WEST", T0 + i * 1000, 12.0),
          T0 + i * 1000);
    }
    assertThat(scores()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void elevatedReadingsAndCameraEventsRaiseTheScoreAndOnlyChangesAreEmitted() throws Exception {
    send(record("w1", Source.SENSOR, "WATER_LEVEL", "B-EAST", T0 + 1000, 42.0), T0 + 1000);
    send(record("c1", Source.CAMERA, "FIRE_SMOKE", "B-EAST", T0 + 2000, null), T0 + 2000);
    assertThat(scores())
        .hasSize(
            1); // the first score of a grid is emitted at once; the second record moved no level

    harness.processWatermark1(new Watermark(T0 + MINUTE));
    harness.processWatermark2(new Watermark(T0 + MINUTE));
    RiskScore atMinute = scores().get(scores().size() - 1);
    assertThat(atMinute.getTs().toEpochMilli()).isEqualTo(T0 + MINUTE);
    assertThat(atMinute.getFactors())
        .extracting(RiskFactor::getName)
        .contains("record:FIRE_SMOKE", "record:WATER_LEVEL");
    assertThat(atMinute.getScore()).isGreaterThan(scores().get(0).getScore());
  }

  @Test
  void contextRecordsCountOnceAndTheSchoolGridCarriesItsKind() throws Exception {
    Record hazard =
        Record.newBuilder(
                record("d1", Source.DEPARTMENT, "HAZARDOUS_ENTERPRISE", "SCH-1", T0, null))
            .setDepartment("EMERGENCY_MANAGEMENT")
            .build();
    send(hazard, T0);
    send(hazard, T0); // re-sent register: no double count
    harness.processWatermark1(new Watermark(T0 + 5 * MINUTE));
    harness.processWatermark2(new Watermark(T0 + 5 * MINUTE));

    assertThat(scores()).hasSize(1);
    RiskScore s = scores().get(0);
    assertThat(s.getFactors())
        .extracting(RiskFactor::getName)
        .containsExactly("context:HAZARDOUS_ENTERPRISE", "grid:SCHOOL", "grid:population");
    assertThat(s.getScore()).isEqualTo(8.0 + 6.0 + 1.5);
    assertThat(s.getLevel()).isEqualTo(RiskLevel.LOW); // standing facts alone never leave LOW
    assertThat(s.getGridKind()).isEqualTo("SCHOOL");
    assertThat(harness.numEventTimeTimers())
        .isEqualTo(1); // the context's expiry, not a minute timer
  }
}
