package org.gridfusion.jobs.workorders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.workorders.AllowedActions;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;

/**
 * The closed loop of contract §6: where a command moves an order. Which command may move an order
 * in which status is the table {@link AllowedActions} in common (the console offers the same
 * actions); everything not in it is an illegal transition. Pure, so it is tested on its own.
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
    return AllowedActions.allowed(s);
  }

  public static Outcome apply(WorkOrder order, WorkOrderCommand c) {
    WorkOrderStatus from = order.getStatus();
    Set<WorkOrderAction> allowed = AllowedActions.allowed(from);
    if (!allowed.contains(c.getAction())) {
      return new Outcome.Refused(
          c.getAction()
              + " is not allowed while order "
              + order.getOrderId()
              + " is "
              + from
              + (allowed.isEmpty() ? " (it is finished)" : " (allowed: " + allowed + ")"));
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
