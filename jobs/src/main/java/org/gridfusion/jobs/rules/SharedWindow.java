package org.gridfusion.jobs.rules;

import java.time.LocalTime;
import java.util.Comparator;
import java.util.List;
import org.gridfusion.schema.Record;

/**
 * The recent records of one kind that the count, consecutive or lasting rules of a grid keep, held
 * once for all of them (issue 16): a city tunes a rule in a hundred parameter sets, and a window
 * per rule meant a hundred state reads, copies and writes for every reading of that kind. Each rule
 * judges its own threshold, count and span over the shared window instead.
 *
 * <p>Rules share a window when they look at the same source, type and field and remember records
 * for the same time (so the window is pruned for all of them alike): count rules per grid, keeping
 * the records the loosest threshold among them admits (a rule sees those at or above its own);
 * consecutive rules per device, keeping every reading (a rule sees the newest {@code 2 × count},
 * what its own window held); lasting rules per device, keeping every reading from the first one
 * loud for any of them (a rule sees readings loud for another rule as quiet, which breaks its runs
 * as the missing ones did).
 *
 * <p>State key: {@link #id()}, or {@code id|deviceId} for a per-device window. Ids contain a {@code
 * /}, which rule ids never do, so they cannot meet a co-occurrence rule's own windows.
 */
record SharedWindow(
    Shape shape, String id, Match loosest, long memoryMs, int capacity, List<Rule> rules) {

  /** How the window is kept and judged. */
  enum Shape {
    COUNT,
    CONSECUTIVE,
    LASTING
  }

  /** Records kept per device for lasting rules (30 min of one reading a minute, with room). */
  static final int MAX_LASTING_READINGS = 256;

  /** The window of {@code rule}, which must be a count, consecutive or lasting rule. */
  static String idOf(Rule rule) {
    Match m = match(rule);
    return shape(rule).name().toLowerCase()
        + "/"
        + m.source()
        + "/"
        + m.type()
        + "/"
        + m.field()
        + "/"
        + rule.memory().toMillis();
  }

  /** Whether {@code rule} keeps a window (and so shares one). */
  static boolean windowed(Rule rule) {
    return rule instanceof Rule.Count
        || rule instanceof Rule.Consecutive
        || rule instanceof Rule.Lasting;
  }

  /** The shared window of {@code rules}, all with the same {@link #idOf}. */
  static SharedWindow of(List<Rule> rules) {
    Rule first = rules.get(0);
    Shape shape = shape(first);
    Match m = match(first);
    Double loosest = null;
    boolean unbounded = false;
    int capacity = 0;
    for (Rule r : rules) {
      Double at = match(r).atLeast();
      if (at == null) unbounded = true;
      else loosest = loosest == null ? at : Math.min(loosest, at);
      if (r instanceof Rule.Consecutive c) capacity = Math.max(capacity, 2 * c.count());
    }
    if (shape == Shape.LASTING) capacity = MAX_LASTING_READINGS;
    List<Rule> byThreshold =
        rules.stream().sorted(Comparator.comparingDouble(SharedWindow::threshold)).toList();
    return new SharedWindow(
        shape,
        idOf(first),
        new Match(m.source(), m.type(), m.field(), unbounded ? null : loosest),
        first.memory().toMillis(),
        capacity,
        byThreshold);
  }

  boolean perDevice() {
    return shape != Shape.COUNT;
  }

  /** The state key of the window {@code r} goes into. */
  String key(Record r) {
    return perDevice() ? id + "|" + r.getDeviceId() : id;
  }

  /** Whether a count window keeps {@code r}: the loosest of its rules' thresholds admits it. */
  boolean admits(Record r) {
    return loosest.test(r);
  }

  /** Whether {@code r}, at local time {@code t}, is loud for any of the window's lasting rules. */
  boolean loudForAny(Record r, LocalTime t) {
    Double v = loosest.value(r);
    for (Rule rule : rules) { // by threshold, loosest first
      Rule.Lasting l = (Rule.Lasting) rule;
      Double at = l.match().atLeast();
      if (at != null && (v == null || v < at)) return false; // and so for every stricter one
      if (l.inHours(t)) return true;
    }
    return false;
  }

  /** Whether a kept record (its field's value) is at or above {@code m}'s threshold. */
  static boolean reaches(RuleEngine.Seen s, Match m) {
    return m.atLeast() == null || (s.value() != null && s.value() >= m.atLeast());
  }

  static double threshold(Rule rule) {
    Double at = match(rule).atLeast();
    return at == null ? Double.NEGATIVE_INFINITY : at;
  }

  private static Shape shape(Rule rule) {
    if (rule instanceof Rule.Count) return Shape.COUNT;
    if (rule instanceof Rule.Consecutive) return Shape.CONSECUTIVE;
    if (rule instanceof Rule.Lasting) return Shape.LASTING;
    throw new IllegalArgumentException("no window for rule kind " + rule.getClass());
  }

  private static Match match(Rule rule) {
    if (rule instanceof Rule.Count c) return c.match();
    if (rule instanceof Rule.Consecutive c) return c.match();
    if (rule instanceof Rule.Lasting l) return l.match();
    throw new IllegalArgumentException("no window for rule kind " + rule.getClass());
  }
}
