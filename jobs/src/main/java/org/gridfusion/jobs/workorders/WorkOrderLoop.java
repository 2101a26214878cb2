package org.gridfusion.jobs.workorders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.workorders.CommandJson;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderCommand;
import org.gridfusion.schema.WorkOrderStatus;

/**
 * The district's closed loop (contract §6), keyed by orderId: an IMPORTANT or URGENT alert opens an
 * order (REPORTED); commands move it through {@link Transitions}; event-time timers dispatch it to
 * the district when nobody grabbed it within the grab window, and flag it overdue (with a {@code
 * WORKORDER_OVERDUE} alert) when it is not handled by its deadline. A command the order's status
 * does not allow is dead-lettered as {@code ILLEGAL_TRANSITION} and the order stays as it was.
 *
 * <p>Commands are applied in arrival order, but the deadlines are applied first when a command is
 * dated after them, so the outcome matches event time (a GRAB dated after the grab window finds the
 * order already dispatched). A finished order is kept for a week to answer late commands, then
 * dropped.
 */
public final class WorkOrderLoop
    extends KeyedCoProcessFunction<String, Alert, WorkOrderCommand, WorkOrder> {
  public static final OutputTag<Alert> OVERDUE = new OutputTag<>("workorder-overdue") {};
  public static final String OVERDUE_RULE = "WORKORDER_OVERDUE";
  static final Duration KEEP_FINISHED = Duration.ofDays(7);
  static final Duration KEEP_UNFINISHED = Duration.ofDays(30);

  private transient ValueState<WorkOrder> order;
  private transient ValueState<Alert> alert;
  private transient Counter opened;
  private transient Counter overdue;
  private transient Counter refused;

  /** Orders are named after the alert that opened them, so a replay opens the same order. */
  public static String orderId(String alertId) {
    return "WO." + alertId;
  }

  @Override
  public void open(OpenContext ctx) {
    order = getRuntimeContext().getState(new ValueStateDescriptor<>("order", WorkOrder.class));
    alert = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", Alert.class));
    var metrics = getRuntimeContext().getMetricGroup();
    opened = metrics.counter("workOrdersOpened");
    overdue = metrics.counter("workOrdersOverdue");
    refused = metrics.counter("workOrderCommandsRefused");
  }

  @Override
  public void processElement1(Alert a, Context ctx, Collector<WorkOrder> out) throws Exception {
    if (order.value() != null
        || a.getSeverity() == Severity.GENERAL
        || OVERDUE_RULE.equals(a.getRuleId())
        || IncidentTracker.CLOSED.equals(a.getStatus())) {
      return; // one order per alert, opened by its first IMPORTANT or URGENT appearance
    }
    Instant created = a.getFirstSeen();
    Severity level = a.getSeverity();
    Instant grabDeadline = created.plus(Deadlines.grabWindow(level));
    Instant due = created.plus(Deadlines.handling(level));
    WorkOrder o =
        WorkOrder.newBuilder()
            .setOrderId(ctx.getCurrentKey())
            .setAlertId(a.getAlertId())
            .setRuleId(a.getRuleId())
            .setLevel(level)
            .setCategory(level.name())
            .setStatus(WorkOrderStatus.REPORTED)
            .setGridId(a.getGridId())
            .setStreet(a.getStreet())
            .setCommunity(a.getCommunity())
            .setAssignee(null)
            .setDepartments(new ArrayList<>())
            .setHistory(
                Transitions.append(
                    new ArrayList<>(), "REPORTED", null, null, created, a.getTitle()))
            .setCreatedAt(created)
            .setDueAt(due)
            .setGrabDeadline(grabDeadline)
            .setOverdue(false)
            .setRating(null)
            .build();
    order.update(o);
    alert.update(a);
    ctx.timerService().registerEventTimeTimer(grabDeadline.toEpochMilli());
    ctx.timerService().registerEventTimeTimer(due.toEpochMilli());
    ctx.timerService().registerEventTimeTimer(due.plus(KEEP_UNFINISHED).toEpochMilli());
    opened.inc();
    out.collect(o);
  }

  @Override
  public void processElement2(WorkOrderCommand c, Context ctx, Collector<WorkOrder> out)
      throws Exception {
    WorkOrder o = order.value();
    if (o == null) {
      refuse(
          ctx,
          c,
          Reason.UNKNOWN_ORDER,
          "no open or recently finished work order " + c.getOrderId());
      return;
    }
    o = catchUp(o, c.getTs().toEpochMilli(), ctx, out);
    Transitions.Outcome outcome = Transitions.apply(o, c);
    if (outcome instanceof Transitions.Outcome.Refused r) {
      refuse(ctx, c, Reason.ILLEGAL_TRANSITION, r.detail());
    } else if (outcome instanceof Transitions.Outcome.Moved m) {
      order.update(m.order());
      if (m.order().getStatus() == WorkOrderStatus.CLOSED) {
        ctx.timerService()
            .registerEventTimeTimer(c.getTs().toEpochMilli() + KEEP_FINISHED.toMillis());
      }
      out.collect(m.order());
    }
  }

  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<WorkOrder> out) throws Exception {
    WorkOrder o = order.value();
    if (o == null) return;
    boolean finishedLongAgo =
        o.getStatus() == WorkOrderStatus.CLOSED && lastStep(o) + KEEP_FINISHED.toMillis() <= ts;
    long forgetUnfinished = o.getDueAt().toEpochMilli() + KEEP_UNFINISHED.toMillis();
    if (finishedLongAgo || forgetUnfinished <= ts) {
      order.clear();
      alert.clear();
      // the other timers (window, deadline: long past) have fired; this one would find nothing
      if (forgetUnfinished > ts) ctx.timerService().deleteEventTimeTimer(forgetUnfinished);
      return;
    }
    catchUp(o, ts, ctx, out);
  }

  /** Applies the grab window and the handling deadline that have passed by {@code ts}. */
  private WorkOrder catchUp(WorkOrder o, long ts, Context ctx, Collector<WorkOrder> out)
      throws Exception {
    WorkOrder next = o;
    if (next.getStatus() == WorkOrderStatus.REPORTED
        && next.getGrabDeadline() != null
        && next.getGrabDeadline().toEpochMilli() <= ts) {
      next =
          WorkOrder.newBuilder(next)
              .setStatus(WorkOrderStatus.DISPATCHED)
              .setAssignee(Transitions.DISTRICT)
              .setHistory(
                  Transitions.append(
                      next.getHistory(),
                      "AUTO_DISPATCH",
                      null,
                      Transitions.DISTRICT,
                      next.getGrabDeadline(),
                      "nobody grabbed it within "
                          + Deadlines.grabWindow(next.getLevel()).toMinutes()
                          + " min"))
              .setGrabDeadline(null)
              .build();
      out.collect(next);
    }
    if (!next.getOverdue()
        && !Transitions.isHandled(next.getStatus())
        && next.getDueAt().toEpochMilli() <= ts) {
      next =
          WorkOrder.newBuilder(next)
              .setOverdue(true)
              .setHistory(
                  Transitions.append(
                      next.getHistory(),
                      "OVERDUE",
                      null,
                      null,
                      next.getDueAt(),
                      "not handled within " + Deadlines.handling(next.getLevel()).toHours() + " h"))
              .build();
      out.collect(next);
      ctx.output(OVERDUE, overdueAlert(next, alert.value()));
      overdue.inc();
    }
    if (next != o) order.update(next);
    return next;
  }

  private static Alert overdueAlert(WorkOrder o, Alert cause) {
    return Alert.newBuilder(cause)
        .setAlertId(OVERDUE_RULE + "." + o.getOrderId())
        .setRuleId(OVERDUE_RULE)
        .setRuleVersion("contract-6")
        .setTitle("Work order overdue: " + cause.getTitle())
        .setSeverity(o.getLevel())
        .setFirstSeen(o.getDueAt())
        .setLastSeen(o.getDueAt())
        .setCount(1)
        .setStatus(IncidentTracker.OPEN)
        .setClosedAt(null)
        .setDetectedAt(Instant.now())
        .build();
  }

  private static long lastStep(WorkOrder o) {
    return o.getHistory().get(o.getHistory().size() - 1).getTs().toEpochMilli();
  }

  private void refuse(Context ctx, WorkOrderCommand c, Reason reason, String detail) {
    refused.inc();
    ctx.output(
        DeadLetters.TAG,
        new DeadLetter(
                InputSource.COMMAND,
                reason,
                detail,
                commandJson(c),
                System.currentTimeMillis(),
                "gf.workorder-commands")
            .toJson());
  }

  /** The command as the contract's JSON, for the dead letter's payload. */
  static String commandJson(WorkOrderCommand c) {
    return CommandJson.of(c);
  }
}
