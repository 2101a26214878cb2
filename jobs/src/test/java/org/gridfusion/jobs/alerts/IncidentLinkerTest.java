package org.gridfusion.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The links between alerts of one event (issue 16), on Flink's keyed harness. */
class IncidentLinkerTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = linker(WINDOW);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> linker(
      Duration window) throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new IncidentLinker(window), Alert::getGridId, Types.STRING);
  }

  private static Alert alert(String ruleId, String gridId, long firstSeen) {
    return Alert.newBuilder()
        .setAlertId(ruleId + "." + gridId + "." + firstSeen)
        .setRuleId(ruleId)
        .setRuleVersion("1")
        .setTitle(ruleId)
        .setSeverity(Severity.URGENT)
        .setGridId(gridId)
        .setLat(43.6)
        .setLon(122.2)
        .setFirstSeen(Instant.ofEpochMilli(firstSeen))
        .setLastSeen(Instant.ofEpochMilli(firstSeen))
        .setCount(1)
        .setEvidence(List.of())
        .setStatus(IncidentTracker.OPEN)
        .setDetectedAt(Instant.now())
        .build();
  }

  private static Alert grown(Alert a, long lastSeen) {
    return Alert.newBuilder(a)
        .setLastSeen(Instant.ofEpochMilli(lastSeen))
        .setCount(a.getCount() + 1)
        .build();
  }

  private static Alert closed(Alert a) {
    long end = a.getLastSeen().toEpochMilli() + IncidentTracker.DEFAULT_QUIET.toMillis();
    return Alert.newBuilder(a)
        .setStatus(IncidentTracker.CLOSED)
        .setClosedAt(Instant.ofEpochMilli(end))
        .build();
  }

  /** The incident id the linker gave this alert (its latest output). */
  private String incidentOf(Alert a) {
    List<Alert> out = harness.extractOutputValues();
    for (int i = out.size() - 1; i >= 0; i--) {
      if (out.get(i).getAlertId().equals(a.getAlertId())) return out.get(i).getIncidentId();
    }
    throw new AssertionError("no output for " + a.getAlertId());
  }

  private void in(Alert a) throws Exception {
    harness.processElement(new StreamRecord<>(a, a.getLastSeen().toEpochMilli()));
  }

  @Test
  void aCrowdMinutesAfterAFireInTheSameGridJoinsTheFiresIncident() throws Exception {
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    Alert crowd = alert("CROWD_GATHERING", "G-1", T0 + 7 * MINUTE);
    in(fire);
    in(crowd);
    in(grown(crowd, T0 + 9 * MINUTE)); // an update keeps the incident

    assertThat(incidentOf(fire)).isEqualTo(fire.getAlertId());
    assertThat(harness.extractOutputValues())
        .filteredOn(a -> a.getAlertId().equals(crowd.getAlertId()))
        .hasSize(2)
        .allSatisfy(a -> assertThat(a.getIncidentId()).isEqualTo(fire.getAlertId()));
  }

  @Test
  void theWindowCountsFromTheIncidentsLatestFiringAndEitherOrderOfArrivalLinks() throws Exception {
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    in(fire);
    in(grown(fire, T0 + 20 * MINUTE)); // the fire went on
    Alert crowd = alert("CROWD_GATHERING", "G-1", T0 + 29 * MINUTE);
    in(crowd);
    // a crowd that started just before the fire, reaching the linker after it
    Alert before = alert("FALL_DETECTED", "G-1", T0 - 3 * MINUTE);
    in(before);

    assertThat(incidentOf(crowd)).isEqualTo(fire.getAlertId());
    assertThat(incidentOf(before)).isEqualTo(fire.getAlertId());
  }

  @Test
  void alertsFurtherApartThanTheWindowOrInOtherGridsAreIncidentsOfTheirOwn() throws Exception {
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    Alert lateCrowd = alert("CROWD_GATHERING", "G-1", T0 + 11 * MINUTE);
    Alert elsewhere = alert("WATERLOGGING", "G-2", T0 + MINUTE);
    in(fire);
    in(lateCrowd);
    in(elsewhere);

    assertThat(incidentOf(lateCrowd)).isEqualTo(lateCrowd.getAlertId());
    assertThat(incidentOf(elsewhere)).isEqualTo(elsewhere.getAlertId());
  }

  @Test
  void anIncidentTakesOneAlertPerRule() throws Exception {
    Alert oldManA = alert("ELDERLY_INACTIVE", "G-1", T0);
    Alert oldManB =
        Alert.newBuilder(alert("ELDERLY_INACTIVE", "G-1", T0 + MINUTE))
            .setAlertId("ELDERLY_INACTIVE.G-1.subjectB." + (T0 + MINUTE))
            .build();
    in(oldManA);
    in(oldManB);
    // a third rule joins the incident with the latest firing of those it may join
    Alert fall = alert("FALL_DETECTED", "G-1", T0 + 2 * MINUTE);
    in(fall);

    assertThat(incidentOf(oldManB)).isEqualTo(oldManB.getAlertId());
    assertThat(incidentOf(fall)).isEqualTo(oldManB.getAlertId());
  }

  @Test
  void anIncidentIsForgottenOnceItsAlertsClosedAndTheWindowPassed() throws Exception {
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    Alert crowd = alert("CROWD_GATHERING", "G-1", T0 + 5 * MINUTE);
    in(fire);
    in(crowd);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // one map of the grid

    in(closed(fire));
    harness.processWatermark(new Watermark(T0 + 40 * MINUTE));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // the crowd is still open
    in(closed(crowd));
    // closed at +35 min, kept a window after that for alerts that come late
    harness.processWatermark(new Watermark(T0 + 44 * MINUTE));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    harness.processWatermark(new Watermark(T0 + 45 * MINUTE));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    // both closed updates still carried the incident
    assertThat(incidentOf(crowd)).isEqualTo(fire.getAlertId());
  }

  @Test
  void theLinksSurviveARestoreFromACheckpoint() throws Exception {
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    Alert crowd = alert("CROWD_GATHERING", "G-1", T0 + 5 * MINUTE);
    in(fire);
    in(crowd);
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new IncidentLinker(WINDOW)), Alert::getGridId, Types.STRING);
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    in(grown(crowd, T0 + 8 * MINUTE));
    Alert fall = alert("FALL_DETECTED", "G-1", T0 + 15 * MINUTE);
    in(fall);

    assertThat(incidentOf(crowd)).isEqualTo(fire.getAlertId());
    assertThat(incidentOf(fall)).isEqualTo(fire.getAlertId());
  }

  @Test
  void anAlertAlreadyGrownWhenFirstMetStaysItsOwnIncident() throws Exception {
    // e.g. open before an upgrade that added the linker: it has its own order already
    in(alert("FIRE_CONFIRMED", "G-1", T0));
    Alert crowd = grown(alert("CROWD_GATHERING", "G-1", T0 + MINUTE), T0 + 2 * MINUTE);
    in(crowd);

    assertThat(incidentOf(crowd)).isEqualTo(crowd.getAlertId());
  }

  @Test
  void aWindowOfZeroLinksNothingAndKeepsNoState() throws Exception {
    harness.close();
    harness = linker(Duration.ZERO);
    Alert fire = alert("FIRE_CONFIRMED", "G-1", T0);
    Alert crowd = alert("CROWD_GATHERING", "G-1", T0 + MINUTE);
    in(fire);
    in(crowd);

    assertThat(incidentOf(crowd)).isEqualTo(crowd.getAlertId());
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
