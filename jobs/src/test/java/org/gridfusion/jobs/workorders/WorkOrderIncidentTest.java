package org.gridfusion.jobs.workorders;

import static org.assertj.core.api.Assertions.assertThat;

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

/** One work order per incident (issue 16): attaching alerts, raising the level, follow-ups. */
class WorkOrderIncidentTest {
  private static final long T0 = 1_764_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final String INCIDENT = "CROWD_GATHERING.G-1." + T0;
  private static final String ORDER = WorkOrderLoop.orderId(INCIDENT);

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

  /** An alert of the incident started by the crowd at T0. */
  private static Alert alert(String ruleId, Severity severity, long firstSeen) {
    return Alert.newBuilder()
        .setAlertId(ruleId + ".G-1." + firstSeen)
        .setIncidentId(INCIDENT)
        .setRuleId(ruleId)
        .setRuleVersion("1")
        .setTitle(ruleId)
        .setSeverity(severity)
        .setGridId("G-1")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setLat(43.6)
        .setLon(122.2)
        .setFirstSeen(Instant.ofEpochMilli(firstSeen))
        .setLastSeen(Instant.ofEpochMilli(firstSeen))
        .setCount(1)
        .setEvidence(List.of())
        .setStatus("OPEN")
        .setDetectedAt(Instant.now())
        .build();
  }

  private void in(Alert a) throws Exception {
    harness.processElement1(new StreamRecord<>(a, a.getLastSeen().toEpochMilli()));
  }

  private void command(String orderId, WorkOrderAction action, long ts, Integer rating)
      throws Exception {
    harness.processElement2(
        new StreamRecord<>(
            WorkOrderCommand.newBuilder()
                .setOrderId(orderId)
                .setAction(action)
                .setActor("street:S01")
                .setTs(Instant.ofEpochMilli(ts))
                .setRating(rating)
                .build(),
            ts));
  }

  private void watermark(long ts) throws Exception {
    harness.processWatermark1(new Watermark(ts));
    harness.processWatermark2(new Watermark(ts));
  }

  private WorkOrder latest(String orderId) {
    List<WorkOrder> all =
        harness.extractOutputValues().stream().filter(o -> o.getOrderId().equals(orderId)).toList();
    return all.get(all.size() - 1);
  }

  @Test
  void aLinkedAlertIsAttachedToTheIncidentsOrderAndRaisesItsLevelWhereStricter() throws Exception {
    Alert crowd = alert("CROWD_GATHERING", Severity.IMPORTANT, T0);
    Alert fire = alert("FIRE_CONFIRMED", Severity.URGENT, T0 + 3 * MINUTE);
    in(crowd);
    in(fire);
    in(Alert.newBuilder(fire).setCount(2).build()); // an update of an attached alert

    assertThat(harness.extractOutputValues()).hasSize(2); // opened, then the fire attached
    WorkOrder o = latest(ORDER);
    assertThat(o.getAlertId()).isEqualTo(crowd.getAlertId());
    assertThat(o.getIncidentId()).isEqualTo(INCIDENT);
    assertThat(o.getAlertIds()).containsExactly(crowd.getAlertId(), fire.getAlertId());
    assertThat(o.getRuleIds()).containsExactly("CROWD_GATHERING", "FIRE_CONFIRMED");
    assertThat(o.getLevel()).isEqualTo(Severity.URGENT);
    assertThat(o.getCategory()).isEqualTo("URGENT");
    // URGENT limits from the order's opening: 5 min to grab, 2 h to handle
    assertThat(o.getGrabDeadline()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * MINUTE));
    assertThat(o.getDueAt()).isEqualTo(Instant.ofEpochMilli(T0 + 120 * MINUTE));
    assertThat(o.getHistory().stream().map(WorkOrderEvent::getAction))
        .containsExactly("REPORTED", WorkOrderLoop.ATTACHED);

    watermark(T0 + 5 * MINUTE); // the URGENT grab window, not the IMPORTANT one
    assertThat(latest(ORDER).getStatus()).isEqualTo(WorkOrderStatus.DISPATCHED);
  }

  @Test
  void aLessSevereAlertIsAttachedWithoutLooseningTheLimits() throws Exception {
    in(alert("FIRE_CONFIRMED", Severity.URGENT, T0));
    in(alert("CROWD_GATHERING", Severity.IMPORTANT, T0 + MINUTE));
    in(alert("STREET_VENDING", Severity.GENERAL, T0 + 2 * MINUTE));

    WorkOrder o = latest(ORDER);
    assertThat(o.getAlertIds()).hasSize(3);
    assertThat(o.getLevel()).isEqualTo(Severity.URGENT);
    assertThat(o.getDueAt()).isEqualTo(Instant.ofEpochMilli(T0 + 120 * MINUTE));
  }

  @Test
  void aGeneralAlertOpensNothingButIsAttachedOnceTheIncidentHasAnOrder() throws Exception {
    in(alert("STREET_VENDING", Severity.GENERAL, T0));
    assertThat(harness.extractOutputValues()).isEmpty();
    in(alert("CROWD_GATHERING", Severity.IMPORTANT, T0 + MINUTE));
    in(alert("NIGHT_NOISE", Severity.GENERAL, T0 + 2 * MINUTE));

    WorkOrder o = latest(ORDER);
    assertThat(o.getAlertId()).isEqualTo("CROWD_GATHERING.G-1." + (T0 + MINUTE));
    assertThat(o.getRuleIds()).containsExactly("CROWD_GATHERING", "NIGHT_NOISE");
    assertThat(o.getLevel()).isEqualTo(Severity.IMPORTANT);
  }

  @Test
  void anAlertLinkedToAHandledOrderOpensAFollowUpThatTakesItsOwnCommands() throws Exception {
    in(alert("CROWD_GATHERING", Severity.IMPORTANT, T0));
    command(ORDER, WorkOrderAction.GRAB, T0 + MINUTE, null);
    command(ORDER, WorkOrderAction.FEEDBACK, T0 + 4 * MINUTE, null);
    Alert fire = alert("FIRE_CONFIRMED", Severity.URGENT, T0 + 6 * MINUTE);
    in(fire);
    in(Alert.newBuilder(fire).setCount(2).build());

    String followUp = ORDER + "#2";
    WorkOrder second = latest(followUp);
    assertThat(second.getAlertIds()).containsExactly(fire.getAlertId());
    assertThat(second.getIncidentId()).isEqualTo(INCIDENT);
    assertThat(second.getStatus()).isEqualTo(WorkOrderStatus.REPORTED);
    assertThat(second.getLevel()).isEqualTo(Severity.URGENT);
    assertThat(latest(ORDER).getAlertIds()).hasSize(1); // the handled order is left as it was

    // both take commands: the first is rated and closed, the second grabbed
    command(ORDER, WorkOrderAction.RATE, T0 + 7 * MINUTE, 5);
    command(ORDER, WorkOrderAction.CLOSE, T0 + 8 * MINUTE, null);
    command(followUp, WorkOrderAction.GRAB, T0 + 8 * MINUTE, null);
    assertThat(latest(ORDER).getStatus()).isEqualTo(WorkOrderStatus.CLOSED);
    assertThat(latest(followUp).getStatus()).isEqualTo(WorkOrderStatus.GRABBED);
    command(ORDER + "#3", WorkOrderAction.GRAB, T0 + 8 * MINUTE, null);
    assertThat(harness.getSideOutput(DeadLetters.TAG))
        .singleElement()
        .satisfies(d -> assertThat(d.getValue()).contains("UNKNOWN_ORDER"));

    // both are forgotten in time: the closed one a week after closing, the other 30 days past
    // its deadline
    watermark(T0 + WorkOrderLoop.KEEP_FINISHED.toMillis() + 8 * MINUTE);
    assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
    watermark(T0 + 126 * MINUTE + WorkOrderLoop.KEEP_UNFINISHED.toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void commandsReachAFollowUpByTheIncidentsKey() {
    assertThat(WorkOrderLoop.orderKey(ORDER + "#2")).isEqualTo(ORDER);
    assertThat(WorkOrderLoop.orderKey(ORDER)).isEqualTo(ORDER);
  }
}
