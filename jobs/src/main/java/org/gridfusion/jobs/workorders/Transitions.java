package org.gridfusion.jobs.workorders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;

/**
 * The closed loop of contract §6 as a table: which command may move an order in which status, and
 * where it goes. Everything not in the table is an illegal transition. Pure, so the table is tested
 * on its own.
 *
 * <pre>
 *  REPORTED ──GRAB──► GRABBED ─┐
 *     └─DISPATCH / grab window─► DISPATCHED ─┤  handling: SPLIT → SPLIT, JOIN → JOINED, RETURN → RETURNED
 *                                           ├─ (RETURNED ─DISPATCH─► DISPATCHED)
 *                                           └─FEEDBACK─► HANDLED ──RATE─► RATED ──CLOSE─► CLOSED
 *                                                          └────────────CLOSE──────────────┘
 * </pre>
 */
public final class Transitions {
  public static final String DISTRICT = "district";

  private static final Set<WorkOrderStatus> HANDLING =
      EnumSet.of(
          WorkOrderStatus.GRABBED,
          WorkOrderStatus.DISPATCHED,
          WorkOrderStatus.SPLIT,
          WorkOrderStatus.JOINED,
          WorkOrderStatus.RETURNED);

  private static final Map<WorkOrderStatus, Set<WorkOrderAction>> ALLOWED =
      Map.of(
          WorkOrderStatus.REPORTED, EnumSet.of(WorkOrderAction.GRAB, WorkOrderAction.DISPATCH),
          WorkOrderStatus.GRABBED,
              EnumSet.of(
                  WorkOrderAction.SPLIT,
                  WorkOrderAction.JOIN,
                  WorkOrderAction.RETURN,
                  WorkOrderAction.FEEDBACK),
          WorkOrderStatus.DISPATCHED,
              EnumSet.of(
                  WorkOrderAction.SPLIT,
                  WorkOrderAction.JOIN,
                  WorkOrderAction.RETURN,
                  WorkOrderAction.FEEDBACK),
          WorkOrderStatus.SPLIT,
              EnumSet.of(
                  WorkOrderAction.SPLIT,
                  WorkOrderAction.JOIN,
                  WorkOrderAction.RETURN,
                  WorkOrderAction.FEEDBACK),
          WorkOrderStatus.JOINED,
              EnumSet.of(
                  WorkOrderAction.SPLIT,
                  WorkOrderAction.JOIN,
                  WorkOrderAction.RETURN,
                  WorkOrderAction.FEEDBACK),
          WorkOrderStatus.RETURNED,
              EnumSet.of(
                  WorkOrderAction.DISPATCH,
                  WorkOrderAction.SPLIT,
                  WorkOrderAction.JOIN,
                  WorkOrderAction.FEEDBACK),
          WorkOrderStatus.HANDLED, EnumSet.of(WorkOrderAction.RATE, WorkOrderAction.CLOSE),
          WorkOrderStatus.RATED, EnumSet.of(WorkOrderAction.CLOSE),
          WorkOrderStatus.CLOSED, EnumSet.noneOf(WorkOrderAction.class));

  private Transitions() {}

  /** The outcome of a command: the order moved, or the reason it may not move that way now. */
  public sealed interface Outcome {
    record Moved(WorkOrder order) implements Outcome {}

    record Refused(String detail) implements Outcome {}
  }

  public static boolean isHandled(WorkOrderStatus s) {
    return s == WorkOrderStatus.HANDLED
        || s == WorkOrderStatus.RATED
        || s == WorkOrderStatus.CLOSED;
  }

  public static Set<WorkOrderAction> allowed(WorkOrderStatus s) {
    return ALLOWED.get(s);
  }

  public static Outcome apply(WorkOrder order, WorkOrderCommand c) {
    WorkOrderStatus from = order.getStatus();
    if (!ALLOWED.get(from).contains(c.getAction())) {
      return new Outcome.Refused(
          c.getAction()
              + " is not allowed while order "
              + order.getOrderId()
              + " is "
              + from
              + (ALLOWED.get(from).isEmpty()
                  ? " (it is finished)"
                  : " (allowed: " + ALLOWED.get(from) + ")"));
    }
    WorkOrder.Builder b = WorkOrder.newBuilder(order);
    String assignee = order.getAssignee();
    switch (c.getAction()) {
      case GRAB -> {
        b.setStatus(WorkOrderStatus.GRABBED).setGrabDeadline(null);
        assignee = c.getActor();
      }
      case DISPATCH -> {
        b.setStatus(WorkOrderStatus.DISPATCHED).setGrabDeadline(null);
        assignee = c.getAssignee() != null ? c.getAssignee() : DISTRICT;
      }
      case SPLIT -> {
        b.setStatus(WorkOrderStatus.SPLIT);
        assignee = c.getAssignee();
      }
      case JOIN -> {
        Set<String> departments = new LinkedHashSet<>(order.getDepartments());
        departments.addAll(c.getDepartments());
        b.setStatus(WorkOrderStatus.JOINED).setDepartments(new ArrayList<>(departments));
      }
      case RETURN -> {
        b.setStatus(WorkOrderStatus.RETURNED);
        assignee = DISTRICT;
      }
      case FEEDBACK -> b.setStatus(WorkOrderStatus.HANDLED);
      case RATE -> b.setStatus(WorkOrderStatus.RATED).setRating(c.getRating());
      case CLOSE -> b.setStatus(WorkOrderStatus.CLOSED);
    }
    b.setAssignee(assignee);
    b.setHistory(
        append(
            order.getHistory(),
            c.getAction().name(),
            c.getActor(),
            assignee == null || assignee.equals(order.getAssignee()) ? null : assignee,
            c.getTs(),
            c.getComment()));
    return new Outcome.Moved(b.build());
  }

  static boolean inHandling(WorkOrderStatus s) {
    return HANDLING.contains(s);
  }

  static List<WorkOrderEvent> append(
      List<WorkOrderEvent> history,
      String action,
      String actor,
      String assignee,
      Instant ts,
      String comment) {
    List<WorkOrderEvent> out = new ArrayList<>(history);
    out.add(new WorkOrderEvent(action, actor, assignee, ts, comment));
    return out;
  }
}
