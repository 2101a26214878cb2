package org.gridfusion.jobs.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.schema.Record;

/**
 * The rules in force in a grid, by the kind of record (source and type) each one looks at, so that
 * a record is shown only to the rules it can concern: with a city's 1,000 rules a reading of one
 * type concerns about a tenth of them. Every rule kind ignores records of other kinds, except an
 * absence rule, which also watches its subjects' registrations (a department record type) and
 * learns from any device record when the grid's observation began: a record that moves the
 * observation is shown to {@link #all()} rules. Within a kind, rules keep the set's order.
 */
final class RuleIndex {
  private final List<Rule> all;
  private final Map<String, List<Rule>> byKind;

  /** The count, consecutive and lasting rules (those with windows to prune) by id. */
  private final Map<String, Rule> windowedById;

  RuleIndex(List<Rule> rules) {
    this.all = List.copyOf(rules);
    Map<String, List<Rule>> index = new HashMap<>();
    for (Rule rule : rules) {
      for (String kind : kinds(rule)) index.computeIfAbsent(kind, k -> new ArrayList<>()).add(rule);
    }
    index.replaceAll((k, v) -> List.copyOf(v));
    this.byKind = Map.copyOf(index);
    Map<String, Rule> windowed = new HashMap<>();
    for (Rule rule : rules) {
      if (rule instanceof Rule.Count
          || rule instanceof Rule.Consecutive
          || rule instanceof Rule.Lasting) windowed.put(rule.id(), rule);
    }
    this.windowedById = Map.copyOf(windowed);
  }

  /**
   * The count, consecutive or lasting rule a window key ({@code ruleId} or {@code ruleId|deviceId})
   * belongs to, or null (a rule id has no {@code |}). A lookup, not a scan: the windows are pruned
   * one by one, and a city's grid holds windows of hundreds of rules.
   */
  Rule windowed(String key) {
    int bar = key.indexOf('|');
    return windowedById.get(bar < 0 ? key : key.substring(0, bar));
  }

  List<Rule> all() {
    return all;
  }

  /** The rules a record of this source and type can concern, in the set's order. */
  List<Rule> of(Record r) {
    return byKind.getOrDefault(key(r.getSource().name(), r.getType()), List.of());
  }

  private static Set<String> kinds(Rule rule) {
    Set<String> kinds = new LinkedHashSet<>();
    if (rule instanceof Rule.Threshold t) kinds.add(key(t.match()));
    else if (rule instanceof Rule.Consecutive c) kinds.add(key(c.match()));
    else if (rule instanceof Rule.Count c) kinds.add(key(c.match()));
    else if (rule instanceof Rule.Lasting l) kinds.add(key(l.match()));
    else if (rule instanceof Rule.CoOccurrence c) {
      kinds.add(key(c.first()));
      kinds.add(key(c.second()));
    } else if (rule instanceof Rule.Absence a) {
      kinds.add(key(a.match()));
      kinds.add(key("DEPARTMENT", a.subjectType()));
    } else {
      throw new IllegalArgumentException("no index for rule kind " + rule.getClass());
    }
    return kinds;
  }

  private static String key(Match m) {
    return key(m.source(), m.type());
  }

  private static String key(String source, String type) {
    return source + "|" + type;
  }
}
