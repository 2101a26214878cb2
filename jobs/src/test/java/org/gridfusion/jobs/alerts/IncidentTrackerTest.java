package org.gridfusion.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final long MINUTE = 60_000L;

  private KeyedOneInputStreamOperatorTestHarness<String, Firing, Alert> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new IncidentTracker(Duration.ofMinutes(30)), Firing::incidentKey, Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static Firing firing(long ts, Severity s, String recordId) {
    return new Firing(
        "WATERLOGGING",
        "default-1",
        "Waterlogging",
        s,
        "G-1",
        "BASIC",
        "S01",
        "S01-C01",
        43.6,
        122.2,
        null,
        ts,
        List.of(recordId));
  }

  private List<Alert> alerts() {
    return harness.extractOutputValues();
  }

  @Test
  void firingsWithinThirtyMinutesGrowOneAlert() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    harness.processElement(
        new StreamRecord<>(firing(T0 + 29 * MINUTE, Severity.URGENT, "r2"), T0 + 29 * MINUTE));
    harness.processElement(
        new StreamRecord<>(firing(T0 + 58 * MINUTE, Severity.IMPORTANT, "r3"), T0 + 58 * MINUTE));

    List<Alert> out = alerts();
    assertThat(out).hasSize(3);
    assertThat(out)
        .extracting(Alert::getAlertId)
        .containsOnly(IncidentTracker.alertId(firing(T0, Severity.IMPORTANT, "r1")));
    Alert last = out.get(2);
    assertThat(last.getCount()).isEqualTo(3);
    assertThat(last.getSeverity()).isEqualTo(Severity.URGENT); // never lowered within an incident
    assertThat(last.getLastSeen().toEpochMilli()).isEqualTo(T0 + 58 * MINUTE);
    assertThat(last.getEvidence()).containsExactly("r1", "r2", "r3");
  }

  @Test
  void afterThirtyQuietMinutesANewAlertStartsAndStateIsCleared() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(new Watermark(T0 + 30 * MINUTE));
    // the open incident is gone; what is left is its span, kept to recognise late firings, and the
    // timer that forgets it
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    Alert closed = alerts().get(1);
    assertThat(closed.getAlertId()).isEqualTo(alerts().get(0).getAlertId());
    assertThat(closed.getStatus()).isEqualTo(IncidentTracker.CLOSED);
    assertThat(closed.getClosedAt().toEpochMilli()).isEqualTo(T0 + 30 * MINUTE);
    assertThat(closed.getCount()).isEqualTo(1);

    harness.processElement(
        new StreamRecord<>(firing(T0 + 31 * MINUTE, Severity.IMPORTANT, "r2"), T0 + 31 * MINUTE));
    assertThat(alerts()).hasSize(3);
    assertThat(alerts().get(2).getStatus()).isEqualTo(IncidentTracker.OPEN);
    assertThat(alerts().get(2).getAlertId()).isNotEqualTo(closed.getAlertId());
  }

  @Test
  void aFiringAfterThirtyQuietMinutesClosesTheOldAlertEvenBeforeTheWatermarkDoes()
      throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    // the watermark is still at the first firing: only the new firing says the incident is over
    harness.processElement(
        new StreamRecord<>(firing(T0 + 31 * MINUTE, Severity.IMPORTANT, "r2"), T0 + 31 * MINUTE));

    List<Alert> out = alerts();
    assertThat(out).extracting(Alert::getStatus).containsExactly("OPEN", "CLOSED", "OPEN");
    assertThat(out.get(1).getAlertId()).isEqualTo(out.get(0).getAlertId());
    assertThat(out.get(1).getClosedAt().toEpochMilli()).isEqualTo(T0 + 30 * MINUTE);
    assertThat(out.get(2).getAlertId()).isNotEqualTo(out.get(0).getAlertId());
    // one incident open and the old one's span; the new one's closing timer and the old span's
    // forgetting timer: the old closing timer was deleted, not left to find nothing
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);

    // and the same outputs as when the watermark closes the old incident first
    harness.processWatermark(new Watermark(T0 + 61 * MINUTE));
    assertThat(alerts())
        .extracting(Alert::getStatus)
        .containsExactly("OPEN", "CLOSED", "OPEN", "CLOSED");
    // two closed spans remembered (one state entry), each with its forgetting timer
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);
  }

  @Test
  void aLateFiringOfAClosedIncidentOpensNoSecondAlert() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    harness.processElement(
        new StreamRecord<>(firing(T0 + 20 * MINUTE, Severity.URGENT, "r2"), T0 + 20 * MINUTE));
    harness.processWatermark(new Watermark(T0 + 2 * 60 * MINUTE));
    assertThat(alerts()).extracting(Alert::getStatus).containsExactly("OPEN", "OPEN", "CLOSED");

    // an hour and more late: inside the incident, in the quiet after it, in the quiet before it
    for (long at : new long[] {T0 + 10 * MINUTE, T0 + 45 * MINUTE, T0 - 25 * MINUTE}) {
      harness.processElement(new StreamRecord<>(firing(at, Severity.IMPORTANT, "late"), at));
    }
    assertThat(alerts()).hasSize(3);
    // the span took in the firing at +45 min: one at +70 min still belongs to the incident
    harness.processElement(
        new StreamRecord<>(firing(T0 + 70 * MINUTE, Severity.IMPORTANT, "r3"), T0 + 70 * MINUTE));
    assertThat(alerts()).hasSize(3);

    // a late firing of an incident never raised (two quiet hours later) is an alert of its own
    harness.processElement(
        new StreamRecord<>(firing(T0 + 101 * MINUTE, Severity.IMPORTANT, "r4"), T0 + 101 * MINUTE));
    assertThat(alerts()).hasSize(4);
    assertThat(alerts().get(3).getStatus()).isEqualTo("OPEN");
    assertThat(alerts().get(3).getAlertId()).isNotEqualTo(alerts().get(0).getAlertId());
  }

  @Test
  void aLateFiringJustBeforeTheOpenIncidentGrowsIt() throws Exception {
    harness.processElement(
        new StreamRecord<>(firing(T0 + 20 * MINUTE, Severity.IMPORTANT, "r1"), T0 + 20 * MINUTE));
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r0"), T0));
    assertThat(alerts()).extracting(Alert::getAlertId).containsOnly(alerts().get(0).getAlertId());
    assertThat(alerts().get(1).getCount()).isEqualTo(2);
  }

  @Test
  void aClosedIncidentIsForgottenAfterTheHorizon() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    harness.processWatermark(new Watermark(T0 + 30 * MINUTE + Duration.ofDays(30).toMillis()));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void exactlyThirtyMinutesLaterStillBelongsToTheSameIncident() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    harness.processElement(
        new StreamRecord<>(firing(T0 + 30 * MINUTE, Severity.IMPORTANT, "r2"), T0 + 30 * MINUTE));
    assertThat(alerts()).extracting(Alert::getAlertId).containsOnly(alerts().get(0).getAlertId());
    assertThat(harness.numEventTimeTimers())
        .isEqualTo(1); // the old timer was replaced, not added to
  }

  @Test
  void theSameInputReplayedGivesTheSameAlertId() throws Exception {
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    String first = alerts().get(0).getAlertId();
    tearDown();
    setUp();
    harness.processElement(new StreamRecord<>(firing(T0, Severity.IMPORTANT, "r1"), T0));
    assertThat(alerts().get(0).getAlertId()).isEqualTo(first);
  }
}
