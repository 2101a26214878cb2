package org.gridfusion.jobs.rules;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.gridfusion.schema.Severity;

/**
 * Raises a firing's severity when all of its conditions hold (contract §5): the triggering value
 * reaches a level, the grid is of a given kind, the grid has a standing context record (e.g. a
 * hazardous enterprise), or a department record of a given type arrived in the grid shortly before.
 * Unset conditions are ignored; an escalation with no condition never applies.
 */
public record Escalation(
    Severity severity,
    Double atLeast,
    List<String> gridKinds,
    String context,
    List<String> recentTypes,
    Duration recentWithin)
    implements Serializable {

  public boolean applies(Double value, String gridKind, GridContext context, long ts) {
    boolean any = false;
    if (atLeast != null) {
      if (value == null || value < atLeast) return false;
      any = true;
    }
    if (gridKinds != null && !gridKinds.isEmpty()) {
      if (!gridKinds.contains(gridKind)) return false;
      any = true;
    }
    if (this.context != null) {
      if (!context.hasStanding(this.context)) return false;
      any = true;
    }
    if (recentTypes != null && !recentTypes.isEmpty()) {
      if (!context.hasRecent(recentTypes, ts - recentWithin.toMillis(), ts)) return false;
      any = true;
    }
    return any;
  }

  /** The highest severity among the base and every escalation that applies. */
  static Severity resolve(
      Severity base,
      List<Escalation> escalations,
      Double value,
      String gridKind,
      GridContext ctx,
      long ts) {
    Severity s = base;
    for (Escalation e : escalations) {
      if (e.severity().ordinal() > s.ordinal() && e.applies(value, gridKind, ctx, ts))
        s = e.severity();
    }
    return s;
  }
}
