package org.gridfusion.jobs.workorders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The closed loop of contract §6 on Flink's keyed two-input harness: commands, windows, deadlines,
 * refusals.
 */
class WorkOrderLoopTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final String ORDER = WorkOrderLoop.orderId("GAS_LEAK.G-1." + T0);

  private KeyedTwoInputStreamOperatorTestHarness<String, Alert, WorkOrderCommand, WorkOrder>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = WorkOrderHarness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static Alert alert(Severity severity, long firstSeen) {
    return Alert.newBuilder()
        .setAlertId("GAS_LEAK.G-1." + firstSeen)
        .setRuleId("GAS_LEAK")
        .setRuleVersion("1")
        .setTitle("Gas leak")
        .setSeverity(severity)
        .setGridId("G-1")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setLat(43.6)
        .setLon(122.2)
        .setFirstSeen(Instant.ofEpochMilli(firstSeen))
        .setLastSeen(Instant.ofEpochMilli(firstSeen))
        .setCount(1)
        .setEvidence(List.of("SENSOR:GAS-1:1"))
        .setStatus("OPEN")
        .setDetectedAt(Instant.now())
        .build();
  }

  private void open(Severity severity) throws Exception {
    harness.processElement1(new StreamRecord<>(alert(severity, T0), T0));
  }

  private void command(
      WorkOrderAction action, long ts, String assignee, Integer rating, String... departments)
      throws Exception {
    WorkOrderCommand c =
        WorkOrderCommand.newBuilder()
            .setOrderId(ORDER)
            .setAction(action)
            .setActor("street:S01")
            .setAssignee(assignee)
            .setDepartments(List.of(departments))
            .setTs(Instant.ofEpochMilli(ts))
            .setRating(rating)
            .build();
    harness.processElement2(new StreamRecord<>(c, ts));
  }

  private void watermark(long ts) throws Exception {
    harness.processWatermark1(new Watermark(ts));
    harness.processWatermark2(new Watermark(ts));
  }

  private WorkOrder latest() {
    List<WorkOrder> all = harness.extractOutputValues();
    return all.get(all.size() - 1);
  }

  private List<String> deadLetters() {
    return harness.getSideOutput(DeadLetters.TAG) == null
        ? List.of()
        : harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void anImportantAlertOpensOneReportedOrderWithItsWindowAndDeadline() throws Exception {
    open(Severity.IMPORTANT);
    harness.processElement1(
        new StreamRecord<>(alert(Severity.IMPORTANT, T0), T0 + MINUTE)); // the alert grew
    harness.processElement1(
        new StreamRecord<>(
            Alert.newBuilder(alert(Severity.GENERAL, T0 + 5)).setAlertId("NIGHT_NOISE.G-1").build(),
            T0)); // GENERAL opens none

    assertThat(harness.extractOutputValues()).hasSize(1);
    WorkOrder o = latest();
    assertThat(o.getOrderId()).isEqualTo(ORDER);
    assertThat(o.getStatus()).isEqualTo(WorkOrderStatus.REPORTED);
    assertThat(o.getCategory()).isEqualTo("IMPORTANT");
    assertThat(o.getGrabDeadline().toEpochMilli()).isEqualTo(T0 + 30 * MINUTE);
    assertThat(o.getDueAt().toEpochMilli()).isEqualTo(T0 + 24 * 60 * MINUTE);
    assertThat(o.getHistory()).extracting(WorkOrderEvent::getAction).containsExactly("REPORTED");
  }

  @Test
  void nobodyGrabsAnUrgentOrderWithinFiveMinutesSoTheDistrictGetsIt() throws Exception {
    open(Severity.URGENT);
    watermark(T0 + 5 * MINUTE - 1);
    assertThat(latest().getStatus()).isEqualTo(WorkOrderStatus.REPORTED);
    watermark(T0 + 5 * MINUTE);
    assertThat(latest().getStatus()).isEqualTo(WorkOrderStatus.DISPATCHED);
    assertThat(latest().getAssignee()).isEqualTo("district");
    assertThat(latest().getGrabDeadline()).isNull();
    assertThat(latest().getHistory())
        .extracting(WorkOrderEvent::getAction)
        .containsExactly("REPORTED", "AUTO_DISPATCH");
  }

  @Test
  void aGrabDatedAfterTheWindowFindsTheOrderAlreadyDispatched() throws Exception {
    open(Severity.URGENT);
    command(
        WorkOrderAction.GRAB,
        T0 + 6 * MINUTE,
        null,
        null); // the watermark has not reached the window yet
    assertThat(latest().getStatus()).isEqualTo(WorkOrderStatus.DISPATCHED);
    assertThat(deadLetters())
        .singleElement()
        .asString()
        .contains("\"reason\":\"ILLEGAL_TRANSITION\"")
        .contains("DISPATCHED");
  }

  @Test
  void theWholeLoopFromGrabToCloseThenTheOrderIsForgottenAfterAWeek() throws Exception {
    open(Severity.IMPORTANT);
    command(WorkOrderAction.GRAB, T0 + 2 * MINUTE, null, null);
    command(WorkOrderAction.SPLIT, T0 + 3 * MINUTE, "community:C03", null);
    command(WorkOrderAction.JOIN, T0 + 4 * MINUTE, null, null, "HOUSING", "EMERGENCY_MANAGEMENT");
    command(WorkOrderAction.FEEDBACK, T0 + 60 * MINUTE, null, null);
    command(WorkOrderAction.RATE, T0 + 61 * MINUTE, null, 4);
    command(WorkOrderAction.CLOSE, T0 + 62 * MINUTE, null, null);
    watermark(
        T0 + 25 * 60 * MINUTE); // past the grab window and the deadline: neither applies any more

    WorkOrder o = latest();
    assertThat(o.getStatus()).isEqualTo(WorkOrderStatus.CLOSED);
    assertThat(o.getAssignee()).isEqualTo("community:C03");
    assertThat(o.getDepartments()).containsExactly("HOUSING", "EMERGENCY_MANAGEMENT");
    assertThat(o.getRating()).isEqualTo(4);
    assertThat(o.getOverdue()).isFalse();
    assertThat(o.getHistory())
        .extracting(WorkOrderEvent::getAction)
        .containsExactly("REPORTED", "GRAB", "SPLIT", "JOIN", "FEEDBACK", "RATE", "CLOSE");
    assertThat(deadLetters()).isEmpty();
    assertThat(harness.getSideOutput(WorkOrderLoop.OVERDUE)).isNullOrEmpty();

    watermark(T0 + 62 * MINUTE + Duration.ofDays(7).toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    command(WorkOrderAction.RATE, T0 + Duration.ofDays(8).toMillis(), null, 5);
    assertThat(deadLetters()).singleElement().asString().contains("\"reason\":\"UNKNOWN_ORDER\"");
  }

  @Test
  void rateBeforeFeedbackIsAnIllegalTransitionAndTheOrderStaysAsItWas() throws Exception {
    open(Severity.IMPORTANT);
    command(WorkOrderAction.GRAB, T0 + MINUTE, null, null);
    int before = harness.extractOutputValues().size();
    command(WorkOrderAction.RATE, T0 + 2 * MINUTE, null, 5);

    assertThat(harness.extractOutputValues()).hasSize(before);
    assertThat(latest().getStatus()).isEqualTo(WorkOrderStatus.GRABBED);
    assertThat(latest().getRating()).isNull();
    assertThat(deadLetters())
        .singleElement()
        .asString()
        .contains(
            "\"source\":\"command\"",
            "\"reason\":\"ILLEGAL_TRANSITION\"",
            "RATE is not allowed while order " + ORDER + " is GRABBED");
  }

  @Test
  void anOrderNotHandledByItsDeadlineIsFlaggedOverdueAndRaisesAnAlert() throws Exception {
    open(Severity.URGENT);
    command(WorkOrderAction.GRAB, T0 + MINUTE, null, null);
    watermark(T0 + 2 * 60 * MINUTE);

    WorkOrder o = latest();
    assertThat(o.getOverdue()).isTrue();
    assertThat(o.getStatus()).isEqualTo(WorkOrderStatus.GRABBED); // overdue is a flag, not a status
    assertThat(o.getHistory()).extracting(WorkOrderEvent::getAction).endsWith("OVERDUE");
    Alert overdue = harness.getSideOutput(WorkOrderLoop.OVERDUE).poll().getValue();
    assertThat(overdue.getRuleId()).isEqualTo("WORKORDER_OVERDUE");
    assertThat(overdue.getSeverity()).isEqualTo(Severity.URGENT);
    assertThat(overdue.getGridId()).isEqualTo("G-1");
    assertThat(overdue.getFirstSeen().toEpochMilli()).isEqualTo(T0 + 2 * 60 * MINUTE);

    command(WorkOrderAction.FEEDBACK, T0 + 3 * 60 * MINUTE, null, null); // late, but still handled
    assertThat(latest().getStatus()).isEqualTo(WorkOrderStatus.HANDLED);
    assertThat(latest().getOverdue()).isTrue();
  }

  @Test
  void anOrderLeftUnfinishedIsForgottenThirtyDaysAfterItsDeadlineWithNothingLeft()
      throws Exception {
    open(Severity.URGENT);
    command(WorkOrderAction.GRAB, T0 + MINUTE, null, null);
    long due = T0 + 2 * 60 * MINUTE;
    watermark(due + Duration.ofDays(30).toMillis() - 1);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // the order and its alert
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    watermark(due + Duration.ofDays(30).toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    command(WorkOrderAction.FEEDBACK, due + Duration.ofDays(31).toMillis(), null, null);
    assertThat(deadLetters()).singleElement().asString().contains("\"reason\":\"UNKNOWN_ORDER\"");
  }
}
