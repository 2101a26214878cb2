package org.gridfusion.jobs.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule sets in force in this JVM, each parsed and indexed once: every parallel instance of the
 * rule stage in a TaskManager, and every restart of one after a failure, uses the same parsed
 * {@link RuleSet} and the same per-grid {@link RuleIndex}es ({@link Indexes}) instead of parsing a
 * city's 1,000 rules and indexing its grids again (~25 ms and ~30 ms; issue 16).
 *
 * <p>It holds no Flink state and nothing that changes after it is built (rule sets, rules and
 * indexes are immutable), so sharing them between tasks is safe; it keeps the few sets used last (a
 * set replaced by a push is dropped once others follow). A set that fails to parse is never kept:
 * every attempt fails again with its reason.
 */
final class RuleSetCache {
  /**
   * Sets kept: the one in force, the one it replaced, and a few jobs' worth in a session cluster.
   */
  private static final int KEPT = 4;

  private static final Map<String, Indexes> BY_TEXT =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Indexes> eldest) {
          return size() > KEPT;
        }
      };

  private RuleSetCache() {}

  /** The set {@code text} describes, parsed once per JVM ({@link RuleSet#parse} otherwise). */
  static RuleSet parse(String text, String origin) {
    synchronized (BY_TEXT) {
      Indexes kept = BY_TEXT.get(text);
      if (kept != null) return kept.set;
    }
    RuleSet set = RuleSet.parse(text, origin); // outside the lock: a bad set throws here
    synchronized (BY_TEXT) {
      return BY_TEXT.computeIfAbsent(text, t -> new Indexes(set)).set;
    }
  }

  /** The indexes of {@code set}: shared when it came from {@link #parse}, else its own. */
  static Indexes indexesOf(RuleSet set) {
    synchronized (BY_TEXT) {
      Indexes kept = BY_TEXT.get(set.source());
      if (kept != null && kept.set == set) return kept;
    }
    return new Indexes(set);
  }

  /**
   * The indexes of one set's rules as they apply in the grids met so far, by what decides them (see
   * {@link GridRules}); safe to use from several tasks at once.
   */
  static final class Indexes {
    final RuleSet set;

    /** The grids' rules by what decides them, and the distinct ones by the rules they index. */
    final Map<GridRules.OverrideChoice, RuleIndex> byChoice = new ConcurrentHashMap<>();

    final Map<GridRules.SameRules, RuleIndex> distinct = new ConcurrentHashMap<>();

    /** The rules in force in every grid of a set without overrides. */
    private volatile RuleIndex everywhere;

    private Indexes(RuleSet set) {
      this.set = set;
    }

    RuleIndex everywhere() {
      RuleIndex index = everywhere;
      if (index == null) everywhere = index = new RuleIndex(set.rules());
      return index;
    }
  }
}
