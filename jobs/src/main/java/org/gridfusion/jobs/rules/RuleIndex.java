package org.gridfusion.jobs.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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
 * observation is also shown to the absence rules of other kinds ({@link Kind#otherAbsences()}).
 *
 * <p>Within a kind, rules keep the set's order, and two more indexes serve a city's set (issue 16):
 * a threshold index (the rules sorted by the {@code atLeast} they require of a field, so that a
 * record is judged by the rules it can satisfy, found by binary search, and an everyday reading
 * below every threshold by none) and the {@link SharedWindow}s its count, consecutive and lasting
 * rules keep their records in.
 */
final class RuleIndex {
  private final List<Rule> all;

  /** By source, then type: two lookups, no key string built per record. */
  private final Map<String, Map<String, Kind>> byKind;

  private final List<Rule.Absence> absences;
  private final List<Rule.CoOccurrence> coOccurrences;

  /** The memory (ms) of each shared window by id. */
  private final Map<String, Long> windowMemory;

  /** The position in {@link #all} of each co-occurrence and absence rule, by id. */
  private final Map<String, Integer> timedPosition;

  RuleIndex(List<Rule> rules) {
    this.all = List.copyOf(rules);
    Map<String, List<Rule>> index = new LinkedHashMap<>();
    for (Rule rule : rules) {
      for (String kind : kinds(rule)) index.computeIfAbsent(kind, k -> new ArrayList<>()).add(rule);
    }
    this.absences =
        rules.stream()
            .filter(Rule.Absence.class::isInstance)
            .map(Rule.Absence.class::cast)
            .toList();
    this.coOccurrences =
        rules.stream()
            .filter(Rule.CoOccurrence.class::isInstance)
            .map(Rule.CoOccurrence.class::cast)
            .toList();
    Map<String, Map<String, Kind>> kinds = new HashMap<>();
    Map<String, Long> memory = new HashMap<>();
    index.forEach(
        (key, ofKind) -> {
          Kind k = new Kind(key, ofKind, absences);
          int bar = key.indexOf('|');
          kinds
              .computeIfAbsent(key.substring(0, bar), s -> new HashMap<>())
              .put(key.substring(bar + 1), k);
          for (SharedWindow w : k.windows) memory.put(w.id(), w.memoryMs());
        });
    kinds.replaceAll((source, types) -> Map.copyOf(types));
    this.byKind = Map.copyOf(kinds);
    this.windowMemory = Map.copyOf(memory);
    Map<String, Integer> timed = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Rule rule = all.get(i);
      if (rule instanceof Rule.CoOccurrence || rule instanceof Rule.Absence)
        timed.put(rule.id(), i);
    }
    this.timedPosition = timed;
  }

  /**
   * The positions in {@link #all()}, ascending (the set's order), of the co-occurrence and absence
   * rules among {@code ids}: a timer looks at those with something to look at, not at a city's
   * thousand rules.
   */
  int[] timedPositions(Set<String> ids) {
    int[] out = new int[ids.size()];
    int n = 0;
    for (String id : ids) {
      Integer at = timedPosition.get(id);
      if (at != null) out[n++] = at;
    }
    Arrays.sort(out, 0, n);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * The memory (ms) of the shared window a state key ({@code windowId} or {@code
   * windowId|deviceId}) belongs to, or null (a co-occurrence rule's own window, or a window of a
   * rule no longer in force). A lookup, not a scan: the windows are pruned one by one.
   */
  Long windowMemory(String key) {
    int bar = key.indexOf('|');
    return windowMemory.get(bar < 0 ? key : key.substring(0, bar));
  }

  List<Rule> all() {
    return all;
  }

  List<Rule.Absence> absences() {
    return absences;
  }

  List<Rule.CoOccurrence> coOccurrences() {
    return coOccurrences;
  }

  /** The rules of the record's source and type, or null if none looks at it. */
  Kind kind(Record r) {
    Map<String, Kind> ofSource = byKind.get(r.getSource().name());
    return ofSource == null ? null : ofSource.get(r.getType());
  }

  /** The rules a record of this source and type can concern, in the set's order. */
  List<Rule> of(Record r) {
    Kind k = kind(r);
    return k == null ? List.of() : k.rules;
  }

  /** The rules of one record kind, with their threshold index and shared windows. */
  static final class Kind {
    private static final int[] NONE = new int[0];

    private final List<Rule> rules;

    /** Positions of the rules judged whatever the record's value (no threshold on this kind). */
    private final int[] always;

    /** Per field: the thresholded rules' {@code atLeast}, ascending, and their positions. */
    private final FieldThresholds[] thresholds;

    private final SharedWindow[] windows;

    /** Per position: the index of the rule's window in {@link #windows}, or -1. */
    private final int[] windowOf;

    private final List<Rule.Absence> otherAbsences;

    /**
     * Per position: the group of the absence rule there — the kind's absence rules that read one
     * registration (subject type and device attribute) and so share one subject entry per device —
     * or -1 for a rule of another kind.
     */
    private final int[] absenceGroupOf;

    /**
     * Per position: whether the record kind is the absence rule's registration (else its device).
     */
    private final boolean[] registers;

    /**
     * Per absence group: the shortest silence among its rules that watch this kind's devices, so a
     * report after a shorter gap is passed over by the whole group at once.
     */
    private final long[] shortestSilence;

    private record FieldThresholds(String field, double[] atLeast, int[] positions) {}

    Kind(String key, List<Rule> rules, List<Rule.Absence> absences) {
      this.rules = List.copyOf(rules);
      List<Integer> always = new ArrayList<>();
      Map<String, List<Integer>> byField = new LinkedHashMap<>();
      Map<String, List<Rule>> shared = new LinkedHashMap<>();
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        Match m = thresholdOn(rule, key);
        if (m == null || m.atLeast() == null || m.field() == null) always.add(i);
        else byField.computeIfAbsent(m.field(), f -> new ArrayList<>()).add(i);
        if (SharedWindow.windowed(rule))
          shared.computeIfAbsent(SharedWindow.idOf(rule), id -> new ArrayList<>()).add(rule);
      }
      this.always = always.stream().mapToInt(Integer::intValue).toArray();
      this.thresholds =
          byField.entrySet().stream()
              .map(
                  e -> {
                    Integer[] pos = e.getValue().toArray(new Integer[0]);
                    Arrays.sort(pos, (a, b) -> Double.compare(at(a, key), at(b, key)));
                    return new FieldThresholds(
                        e.getKey(),
                        Arrays.stream(pos).mapToDouble(p -> at(p, key)).toArray(),
                        Arrays.stream(pos).mapToInt(Integer::intValue).toArray());
                  })
              .toArray(FieldThresholds[]::new);
      this.windows = shared.values().stream().map(SharedWindow::of).toArray(SharedWindow[]::new);
      Map<Rule, Integer> windowIndex = new IdentityHashMap<>();
      for (int w = 0; w < windows.length; w++)
        for (Rule rule : windows[w].rules()) windowIndex.put(rule, w);
      this.windowOf = new int[rules.size()];
      for (int i = 0; i < rules.size(); i++)
        windowOf[i] = windowIndex.getOrDefault(rules.get(i), -1);
      Set<Rule> mine = Collections.newSetFromMap(new IdentityHashMap<>());
      mine.addAll(rules);
      this.otherAbsences = absences.stream().filter(a -> !mine.contains(a)).toList();
      this.absenceGroupOf = new int[rules.size()];
      this.registers = new boolean[rules.size()];
      Map<List<String>, Integer> groups = new HashMap<>();
      List<Long> shortest = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        absenceGroupOf[i] = -1;
        if (!(rules.get(i) instanceof Rule.Absence a)) continue;
        int g =
            groups.computeIfAbsent(
                List.of(a.subjectType(), a.deviceAttribute()),
                k -> {
                  shortest.add(Long.MAX_VALUE);
                  return shortest.size() - 1;
                });
        absenceGroupOf[i] = g;
        // as AbsenceRules judges it: a registration first, else a sign of life
        registers[i] = key.equals(key("DEPARTMENT", a.subjectType()));
        if (!registers[i] && key.equals(key(a.match())))
          shortest.set(g, Math.min(shortest.get(g), a.silence().toMillis()));
      }
      this.shortestSilence = shortest.stream().mapToLong(Long::longValue).toArray();
    }

    /** The number of absence groups of this kind (see {@link #absenceGroupOf}). */
    int absenceGroups() {
      return shortestSilence.length;
    }

    /**
     * The group of the absence rule at {@code position}: the kind's absence rules that read the
     * same registration (subject type and device attribute), numbered from 0.
     */
    int absenceGroupOf(int position) {
      return absenceGroupOf[position];
    }

    /**
     * Whether records of this kind are the registrations of the absence rule at {@code position}.
     */
    boolean registers(int position) {
      return registers[position];
    }

    /** The shortest silence among the rules of absence group {@code group} watching this kind. */
    long shortestSilence(int group) {
      return shortestSilence[group];
    }

    private double at(int position, String key) {
      return thresholdOn(rules.get(position), key).atLeast();
    }

    List<Rule> rules() {
      return rules;
    }

    SharedWindow[] windows() {
      return windows;
    }

    /** The index in {@link #windows()} of the window of the rule at {@code position}, or -1. */
    int windowOf(int position) {
      return windowOf[position];
    }

    /** The absence rules that do not look at this kind (shown a record that moves observation). */
    List<Rule.Absence> otherAbsences() {
      return otherAbsences;
    }

    /**
     * The positions, in the set's order, of the rules {@code r} can satisfy: those without a
     * threshold on this kind, and those whose threshold its value reaches (a binary search per
     * field). Every rule re-checks its own match; this only spares it the records it cannot take.
     */
    int[] candidates(Record r) {
      int total = always.length;
      int[] upTo = new int[thresholds.length];
      for (int f = 0; f < thresholds.length; f++) {
        Double v = Match.value(r, thresholds[f].field());
        if (v == null) continue;
        upTo[f] = reached(thresholds[f].atLeast(), v);
        total += upTo[f];
      }
      if (total == 0) return NONE;
      int[] out = new int[total];
      System.arraycopy(always, 0, out, 0, always.length);
      int n = always.length;
      for (int f = 0; f < thresholds.length; f++) {
        System.arraycopy(thresholds[f].positions(), 0, out, n, upTo[f]);
        n += upTo[f];
      }
      if (n > always.length) Arrays.sort(out); // back into the set's order
      return out;
    }

    /** How many of the ascending thresholds {@code v} reaches ({@code atLeast ≤ v}). */
    static int reached(double[] atLeast, double v) {
      int lo = 0;
      int hi = atLeast.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (atLeast[mid] <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }

  /**
   * The match of {@code rule} that records of kind {@code key} are tested against, when it is one
   * threshold the index can sort by; null when the rule takes every record of the kind (an absence
   * rule, or a co-occurrence rule with both sides of this kind).
   */
  private static Match thresholdOn(Rule rule, String key) {
    if (rule instanceof Rule.Threshold t) return t.match();
    if (rule instanceof Rule.Consecutive c) return c.match();
    if (rule instanceof Rule.Count c) return c.match();
    if (rule instanceof Rule.Lasting l) return l.match();
    if (rule instanceof Rule.CoOccurrence c) {
      boolean first = key(c.first()).equals(key);
      boolean second = key(c.second()).equals(key);
      return first && second ? null : first ? c.first() : c.second();
    }
    return null;
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
