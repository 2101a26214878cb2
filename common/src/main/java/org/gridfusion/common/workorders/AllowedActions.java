package org.gridfusion.common.workorders;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderStatus;

/**
 * Which command may move a work order in which status (the closed loop of contract §6). The one
 * table both sides read: the job's loop refuses everything else as {@code ILLEGAL_TRANSITION}, and
 * the console offers only these actions, so the two cannot drift apart.
 *
 * <pre>
 *  REPORTED ──GRAB──► GRABBED ─┐
 *     └─DISPATCH / grab window─► DISPATCHED ─┤  handling: SPLIT → SPLIT, JOIN → JOINED, RETURN → RETURNED
 *                                           ├─ (RETURNED ─DISPATCH─► DISPATCHED)
 *                                           └─FEEDBACK─► HANDLED ──RATE─► RATED ──CLOSE─► CLOSED
 *                                                          └────────────CLOSE──────────────┘
 * </pre>
 */
public final class AllowedActions {
  private static final Map<WorkOrderStatus, Set<WorkOrderAction>> ALLOWED = table();

  private AllowedActions() {}

  private static Map<WorkOrderStatus, Set<WorkOrderAction>> table() {
    Set<WorkOrderAction> handling =
        EnumSet.of(
            WorkOrderAction.SPLIT,
            WorkOrderAction.JOIN,
            WorkOrderAction.RETURN,
            WorkOrderAction.FEEDBACK);
    Map<WorkOrderStatus, Set<WorkOrderAction>> t = new EnumMap<>(WorkOrderStatus.class);
    t.put(WorkOrderStatus.REPORTED, EnumSet.of(WorkOrderAction.GRAB, WorkOrderAction.DISPATCH));
    t.put(WorkOrderStatus.GRABBED, handling);
    t.put(WorkOrderStatus.DISPATCHED, handling);
    t.put(WorkOrderStatus.SPLIT, handling);
    t.put(WorkOrderStatus.JOINED, handling);
    // returned to the district: it dispatches again, or handles it itself
    t.put(
        WorkOrderStatus.RETURNED,
        EnumSet.of(
            WorkOrderAction.DISPATCH,
            WorkOrderAction.SPLIT,
            WorkOrderAction.JOIN,
            WorkOrderAction.FEEDBACK));
    t.put(WorkOrderStatus.HANDLED, EnumSet.of(WorkOrderAction.RATE, WorkOrderAction.CLOSE));
    t.put(WorkOrderStatus.RATED, EnumSet.of(WorkOrderAction.CLOSE));
    t.put(WorkOrderStatus.CLOSED, EnumSet.noneOf(WorkOrderAction.class));
    t.replaceAll((s, actions) -> Collections.unmodifiableSet(actions));
    return Collections.unmodifiableMap(t);
  }

  /** The actions the loop accepts from {@code status}, in the loop's order; empty once closed. */
  public static Set<WorkOrderAction> allowed(WorkOrderStatus status) {
    return ALLOWED.get(status);
  }

  public static boolean isAllowed(WorkOrderStatus status, WorkOrderAction action) {
    return ALLOWED.get(status).contains(action);
  }
}
