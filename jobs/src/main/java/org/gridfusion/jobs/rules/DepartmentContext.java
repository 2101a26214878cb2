package org.gridfusion.jobs.rules;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.gridfusion.schema.Severity;

/**
 * What the current grid's department records say, for escalation (contract §5): the types ever
 * received (standing facts, such as a hazardous enterprise) and the newest event times of each.
 *
 * <p>It exists so that the rule kinds resolve a firing's severity against the grid's context
 * without reaching into the operator. It touches the keyed {@code context} map state (record type →
 * recent event times, sorted), owned and registered by {@link RuleEngine}; being keyed state, one
 * instance serves every grid, as the operator's current key selects.
 */
final class DepartmentContext implements GridContext {
  /** Recent event times kept per department record type: enough for any sane "within" window. */
  static final int CONTEXT_DEPTH = 32;

  private final MapState<String, List<Long>> context;

  DepartmentContext(MapState<String, List<Long>> context) {
    this.context = context;
  }

  /**
   * Adds {@code ts} to the type's recent times, sorted, keeping the newest {@link #CONTEXT_DEPTH}
   * (in place and put back: the state hands out a list a snapshot does not hold).
   */
  void remember(String type, long ts) throws Exception {
    List<Long> times = context.get(type);
    if (times == null) times = new ArrayList<>();
    int at = times.size();
    while (at > 0 && times.get(at - 1) > ts) at--; // nearly always at the end
    times.add(at, ts);
    if (times.size() > CONTEXT_DEPTH) times.subList(0, times.size() - CONTEXT_DEPTH).clear();
    context.put(type, times);
  }

  /** {@code rule}'s severity for a firing dated {@code ts}, escalated by the grid's context. */
  Severity severity(Rule rule, Double value, String gridKind, long ts) {
    return Escalation.resolve(rule.severity(), rule.escalate(), value, gridKind, this, ts);
  }

  @Override
  public boolean hasStanding(String recordType) {
    try {
      return context.contains(recordType);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean hasRecent(List<String> types, long from, long to) {
    try {
      for (String type : types) {
        List<Long> times = context.get(type);
        if (times != null && times.stream().anyMatch(t -> t >= from && t <= to)) return true;
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
