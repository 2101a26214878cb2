package org.gridfusion.jobs.workorders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
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
 *
 * <p><b>One order per incident</b> (issue 16): alerts are keyed by their {@code incidentId} ({@link
 * org.gridfusion.jobs.alerts.IncidentLinker}), so a lone alert's order is {@code WO.} + its alertId
 * as before, and the alerts linked to it reach the same order. The first IMPORTANT or URGENT alert
 * opens it; a later alert of the incident (GENERAL too) is attached: {@code alertIds} grows, a
 * history step {@code ALERT_ATTACHED} names it, and a more severe alert raises the order's level,
 * its grab window and its handling deadline counted from the order's opening, but only where that
 * is stricter (a deadline never moves later, so nobody's clock is reset by a new alert). An
 * IMPORTANT or URGENT alert linked to an order already handled (FEEDBACK given) opens a follow-up
 * order, {@code WO.<incidentId>#2} ({@code #3}...): the street said the first job was done, and
 * this is new work. Commands reach every order of the incident, by {@link #orderKey}.
 */
public final class WorkOrderLoop
    extends KeyedCoProcessFunction<String, Alert, WorkOrderCommand, WorkOrder> {
  public static final OutputTag<Alert> OVERDUE = new OutputTag<>("workorder-overdue") {};
  public static final String OVERDUE_RULE = "WORKORDER_OVERDUE";
  static final Duration KEEP_FINISHED = Duration.ofDays(7);
  static final Duration KEEP_UNFINISHED = Duration.ofDays(30);

  public static final String ATTACHED = "ALERT_ATTACHED";

  /** The suffix of an incident's follow-up orders: {@code #2}, {@code #3}... */
  private static final Pattern FOLLOW_UP = Pattern.compile("#[0-9]+$");

  /** The incident's current order: the one its alerts attach to. */
  private transient ValueState<WorkOrder> order;

  /** The alert that opened the current order (the overdue alert is about it). */
  private transient ValueState<Alert> alert;

  /**
   * The incident's earlier orders, handled before a follow-up was opened: they still take RATE and
   * CLOSE.
   */
  private transient MapState<String, WorkOrder> earlier;

  private transient Counter opened;
  private transient Counter overdue;
  private transient Counter refused;

  /**
   * Orders are named after the incident (the alert that started it), so a replay opens the same
   * order, and a lone alert's order is {@code WO.} + its alertId.
   */
  public static String orderId(String incidentId) {
    return "WO." + incidentId;
  }

  /** The key of an alert: its incident's order. */
  public static String orderKey(Alert a) {
    return orderId(a.getIncidentId() != null ? a.getIncidentId() : a.getAlertId());
  }

  /**
   * The key of a command: the incident's first order id. Alert ids end in the event time of their
   * first firing ({@code .<digits>}), so a {@code #<digits>} suffix is always a follow-up's.
   */
  public static String orderKey(String orderId) {
    return FOLLOW_UP.matcher(orderId).replaceFirst("");
  }

  @Override
  public void open(OpenContext ctx) {
    order = getRuntimeContext().getState(new ValueStateDescriptor<>("order", WorkOrder.class));
    alert = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", Alert.class));
    earlier =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "earlier-orders", Types.STRING, new AvroTypeInfo<>(WorkOrder.class)));
    var metrics = getRuntimeContext().getMetricGroup();
    opened = metrics.counter("workOrdersOpened");
    overdue = metrics.counter("workOrdersOverdue");
    refused = metrics.counter("workOrderCommandsRefused");
  }

  @Override
  public void processElement1(Alert a, Context ctx, Collector<WorkOrder> out) throws Exception {
    if (OVERDUE_RULE.equals(a.getRuleId()) || IncidentTracker.CLOSED.equals(a.getStatus())) return;
    WorkOrder current = order.value();
    if (current != null && isAttached(current, a.getAlertId())) {
      return; // one order per alert: its updates change nothing (its level is its first severity)
    }
    if (current != null && !Transitions.isHandled(current.getStatus())) {
      attach(catchUp(current, a.getFirstSeen().toEpochMilli(), ctx, out), a, ctx, out);
      return;
    }
    if (a.getSeverity() == Severity.GENERAL) return; // GENERAL alerts open no order
    String orderId = ctx.getCurrentKey();
    if (current != null) {
      // handled already: this alert is new work, in an order of its own
      earlier.put(current.getOrderId(), current);
      int orders = 1;
      for (String ignored : earlier.keys()) orders++;
      orderId = orderId + "#" + orders;
    }
    open(orderId, a, ctx, out);
  }

  private boolean isAttached(WorkOrder current, String alertId) throws Exception {
    if (current.getAlertIds().contains(alertId) || current.getAlertId().equals(alertId)) {
      return true;
    }
    for (WorkOrder o : earlier.values()) {
      if (o.getAlertIds().contains(alertId) || o.getAlertId().equals(alertId)) return true;
    }
    return false;
  }

  private void open(String orderId, Alert a, Context ctx, Collector<WorkOrder> out)
      throws Exception {
    Instant created = a.getFirstSeen();
    Severity level = a.getSeverity();
    Instant grabDeadline = created.plus(Deadlines.grabWindow(level));
    Instant due = created.plus(Deadlines.handling(level));
    WorkOrder o =
        WorkOrder.newBuilder()
            .setOrderId(orderId)
            .setAlertId(a.getAlertId())
            .setIncidentId(a.getIncidentId())
            .setAlertIds(new ArrayList<>(List.of(a.getAlertId())))
            .setRuleIds(new ArrayList<>(List.of(a.getRuleId())))
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

  /**
   * Adds an alert of the incident to its open order; a more severe one raises the level and
   * shortens the grab window and the deadline, counted from the order's opening, where stricter.
   */
  private void attach(WorkOrder o, Alert a, Context ctx, Collector<WorkOrder> out)
      throws Exception {
    List<String> alertIds = new ArrayList<>(o.getAlertIds());
    List<String> ruleIds = new ArrayList<>(o.getRuleIds());
    if (alertIds.isEmpty()) { // an order opened before orders had alertIds (a restored savepoint)
      alertIds.add(o.getAlertId());
      ruleIds.add(o.getRuleId());
    }
    alertIds.add(a.getAlertId());
    ruleIds.add(a.getRuleId());
    WorkOrder.Builder next =
        WorkOrder.newBuilder(o)
            .setAlertIds(alertIds)
            .setRuleIds(ruleIds)
            .setHistory(
                Transitions.append(
                    o.getHistory(),
                    ATTACHED,
                    null,
                    null,
                    a.getFirstSeen(),
                    a.getAlertId() + " " + a.getSeverity() + ": " + a.getTitle()));
    if (a.getSeverity().ordinal() > o.getLevel().ordinal()) {
      Severity level = a.getSeverity();
      next.setLevel(level).setCategory(level.name());
      if (o.getGrabDeadline() != null) {
        Instant grab =
            earliest(o.getGrabDeadline(), o.getCreatedAt().plus(Deadlines.grabWindow(level)));
        next.setGrabDeadline(grab);
        ctx.timerService().registerEventTimeTimer(grab.toEpochMilli());
      }
      if (!o.getOverdue() && !Transitions.isHandled(o.getStatus())) {
        Instant due = earliest(o.getDueAt(), o.getCreatedAt().plus(Deadlines.handling(level)));
        next.setDueAt(due);
        ctx.timerService().registerEventTimeTimer(due.toEpochMilli());
        ctx.timerService().registerEventTimeTimer(due.plus(KEEP_UNFINISHED).toEpochMilli());
      }
    }
    WorkOrder attached = next.build();
    order.update(attached);
    out.collect(attached);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  @Override
  public void processElement2(WorkOrderCommand c, Context ctx, Collector<WorkOrder> out)
      throws Exception {
    WorkOrder o = order.value();
    boolean isCurrent = o != null && o.getOrderId().equals(c.getOrderId());
    if (!isCurrent) o = earlier.get(c.getOrderId());
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
      store(m.order());
      if (m.order().getStatus() == WorkOrderStatus.CLOSED) {
        ctx.timerService()
            .registerEventTimeTimer(c.getTs().toEpochMilli() + KEEP_FINISHED.toMillis());
      }
      out.collect(m.order());
    }
  }

  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<WorkOrder> out) throws Exception {
    Iterator<Map.Entry<String, WorkOrder>> it = earlier.iterator();
    while (it.hasNext()) {
      WorkOrder e = it.next().getValue();
      if (forgettable(e, ts)) {
        it.remove();
        deleteForgetTimers(e, ts, ctx);
      }
    }
    if (earlier.isEmpty()) earlier.clear(); // an empty map would still be a state entry
    WorkOrder o = order.value();
    if (o == null) return;
    if (forgettable(o, ts)) {
      order.clear();
      alert.clear();
      deleteForgetTimers(o, ts, ctx);
      return;
    }
    catchUp(o, ts, ctx, out);
  }

  /**
   * The other timers of a forgotten order (window, deadline: long past) have fired; the one that
   * would forget it unfinished (for each level it had, as a raised level moves it) would find
   * nothing.
   */
  private static void deleteForgetTimers(WorkOrder o, long ts, OnTimerContext ctx) {
    for (Severity level : Severity.values()) {
      long forget =
          o.getCreatedAt().plus(Deadlines.handling(level)).plus(KEEP_UNFINISHED).toEpochMilli();
      if (forget > ts) ctx.timerService().deleteEventTimeTimer(forget);
    }
  }

  private static boolean forgettable(WorkOrder o, long ts) {
    boolean finishedLongAgo =
        o.getStatus() == WorkOrderStatus.CLOSED && lastStep(o) + KEEP_FINISHED.toMillis() <= ts;
    return finishedLongAgo || o.getDueAt().toEpochMilli() + KEEP_UNFINISHED.toMillis() <= ts;
  }

  /** Keeps an order's new state, in the current slot or among the earlier ones. */
  private void store(WorkOrder o) throws Exception {
    WorkOrder current = order.value();
    if (current != null && current.getOrderId().equals(o.getOrderId())) {
      order.update(o);
    } else {
      earlier.put(o.getOrderId(), o);
    }
  }

  /**
   * Applies the grab window and the handling deadline that have passed by {@code ts}, and keeps the
   * result.
   */
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
    if (next != o) store(next);
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
