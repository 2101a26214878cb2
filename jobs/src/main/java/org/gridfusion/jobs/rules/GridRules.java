package org.gridfusion.jobs.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gridfusion.jobs.rules.RuleEngine.GridInfo;
import org.gridfusion.schema.Record;

/**
 * The rules in force per grid — the set's per-grid and per-kind overrides applied — each indexed by
 * the kind of record its rules look at ({@link RuleIndex}), built when a grid is first met.
 *
 * <p>It exists because most grids end up with the same rules (overrides name a few grids, or a
 * kind), and a city's index of 1,000 rules is worth building once, not once per grid: grids that
 * get the very same rule objects share one index. It touches no Flink state: it is a cache on the
 * task, rebuilt from the rule set in force after a restore, and {@link #clear cleared} when a new
 * set arrives. The indexes themselves are kept per set in {@link RuleSetCache}, so the tasks of one
 * TaskManager, and a task restarted after a failure, build them once.
 */
final class GridRules {
  /** What the task knows of each grid it has met, its rules in force among it. */
  private final Map<String, Known> perGrid = new HashMap<>();

  /** The indexes of the set in force, as grids met them (shared with the TaskManager's tasks). */
  private RuleSetCache.Indexes indexes;

  /** What the task knows of a grid: a cache, never state. */
  static final class Known {
    /** The grid's rules in force, null until chosen (again, after a new set). */
    private RuleIndex index;

    /** The grid's description as last read from or written to its {@code grid} state. */
    GridInfo described;

    /** The grid's start of observation as last read or written, null if not known or none yet. */
    Long observedSince;

    /** Whether {@code r} describes the grid as {@link #described} does. */
    boolean describedAs(Record r) {
      return described != null
          && Objects.equals(described.gridKind(), r.getGridKind())
          && Objects.equals(described.street(), r.getStreet())
          && Objects.equals(described.community(), r.getCommunity());
    }
  }

  /** What the task knows of {@code gridId}, empty when first met. */
  Known known(String gridId) {
    Known k = perGrid.get(gridId);
    if (k == null) {
      k = new Known();
      perGrid.put(gridId, k);
    }
    return k;
  }

  /** The set's rules as they apply in {@code gridId} (overrides by grid id, then by kind). */
  RuleIndex indexFor(RuleSet set, String gridId, String gridKind) {
    return indexFor(set, known(gridId), gridId, gridKind);
  }

  /** The same, for a grid already looked up ({@code known} is {@code gridId}'s). */
  RuleIndex indexFor(RuleSet set, Known known, String gridId, String gridKind) {
    if (indexes == null || indexes.set != set) {
      clear();
      indexes = RuleSetCache.indexesOf(set);
    }
    if (set.overrides().isEmpty()) return indexes.everywhere();
    if (known.index == null) {
      known.index =
          indexes.byChoice.computeIfAbsent(
              new OverrideChoice(gridKind, naming(set, gridId)),
              c ->
                  indexes.distinct.computeIfAbsent(
                      new SameRules(set.rulesFor(gridId, gridKind)), SameRules::index));
    }
    return known.index;
  }

  /** Forgets every grid's rules: a new set is in force. */
  void clear() {
    for (Known k : perGrid.values()) k.index = null;
    indexes = null;
  }

  /**
   * What decides a grid's rules: its kind and the overrides that name it by id (positions in the
   * set's list). Grids that agree on both get the same rules without choosing them again among a
   * city's hundreds of overrides (7 % of a short city run).
   */
  record OverrideChoice(String gridKind, List<Integer> naming) {}

  private static List<Integer> naming(RuleSet set, String gridId) {
    List<Integer> naming = new ArrayList<>();
    List<RuleSet.GridOverride> overrides = set.overrides();
    for (int i = 0; i < overrides.size(); i++)
      if (overrides.get(i).gridIds().contains(gridId)) naming.add(i);
    return naming;
  }

  /** A grid's rules, equal to another grid's when they are the very same rule objects. */
  static final class SameRules {
    private final List<Rule> rules;
    private final int hash;

    SameRules(List<Rule> rules) {
      this.rules = rules;
      int h = 1;
      for (Rule r : rules) h = 31 * h + System.identityHashCode(r);
      this.hash = h;
    }

    RuleIndex index() {
      return new RuleIndex(rules);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof SameRules other) || other.rules.size() != rules.size()) return false;
      for (int i = 0; i < rules.size(); i++) if (rules.get(i) != other.rules.get(i)) return false;
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
