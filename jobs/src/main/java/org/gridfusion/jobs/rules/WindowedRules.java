package org.gridfusion.jobs.rules;

import static org.gridfusion.jobs.rules.GridCheck.onTheMinute;

import java.time.Instant;
import java.time.LocalTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;
import org.gridfusion.jobs.rules.RuleEngine.Seen;
import org.gridfusion.schema.Record;

/**
 * The count, consecutive and lasting rules of the current grid, judged over the windows their rules
 * share ({@link SharedWindow}: per grid, or per device): a record is put into each window of its
 * kind once, then each rule judges it against its own view of that window.
 *
 * <p>It exists to keep the windows' invariants in one place: lists sorted by event time (records
 * may arrive out of order), changed in place and put back, trimmed to what any rule can still use,
 * and kept for the rule's memory plus the allowed lateness. It touches the keyed {@code windows}
 * map state (window key → records; co-occurrence rules keep theirs there too, under {@code
 * id#side}), owned and registered by {@link RuleEngine}, and asks the grid's clean-up check ({@code
 * cleanup-at}) to come by when a kept record expires; one instance serves every grid, as the
 * operator's current key selects.
 */
final class WindowedRules {
  /** Evidence carried by one firing. */
  static final int MAX_EVIDENCE = 20;

  private final MapState<String, List<Seen>> windows;
  private final GridCheck cleanup;
  private final DepartmentContext context;
  private final ZoneRules zoneRules;
  private final long allowedLatenessMs;

  WindowedRules(
      MapState<String, List<Seen>> windows,
      GridCheck cleanup,
      DepartmentContext context,
      ZoneRules zoneRules,
      long allowedLatenessMs) {
    this.windows = windows;
    this.cleanup = cleanup;
    this.context = context;
    this.zoneRules = zoneRules;
    this.allowedLatenessMs = allowedLatenessMs;
  }

  /**
   * A shared window after taking a record: its records, sorted by event time, and where the record
   * is among them (negative once trimmed away). {@code localTimes} caches the local time of each
   * kept record for the lasting rules that judge runs over it.
   */
  static final class Touched {
    final List<Seen> seen;
    final int at;
    LocalTime[] localTimes;

    Touched(List<Seen> seen, int at) {
      this.seen = seen;
      this.at = at;
    }
  }

  /**
   * Puts {@code r} into the shared window {@code w} when the window keeps it; returns the window,
   * or null if it did not take the record.
   */
  Touched take(SharedWindow w, Record r, LocalTime local, TimerService timers) throws Exception {
    if (w.perDevice() && r.getDeviceId() == null) return null;
    boolean keep =
        switch (w.shape()) {
          case COUNT -> w.admits(r);
          case CONSECUTIVE -> true; // a reading below the threshold breaks a run
          case LASTING -> w.loudForAny(r, local);
        };
    if (w.shape() == SharedWindow.Shape.COUNT && !keep) return null;
    String key = w.key(r);
    List<Seen> seen = window(key);
    // A quiet reading matters to lasting rules only as a break between loud ones: with none kept
    // for the device, there is nothing to break, and most devices are quiet most of the time. (A
    // loud reading arriving later than a quiet one it precedes is judged without that break;
    // per-device order holds from the device's Kafka partition to here, so only a device sending
    // out of order can meet that.)
    if (!keep && seen.isEmpty()) return null;
    int at = insert(seen, seen(r, w.loosest().value(r)));
    // Keep just enough readings around the newest ones to judge any run that includes this one.
    if (w.capacity() > 0) at -= trim(seen, w.capacity());
    windows.put(key, seen);
    cleanup.dueBy(onTheMinute(r.getTs().toEpochMilli() + keep(w.memoryMs())), timers);
    return new Touched(seen, at);
  }

  /**
   * Over the device's shared window: the rule's own view is the newest {@code 2 × count} readings
   * (what a window of its own kept), and it fires when the unbroken run of readings at or above its
   * threshold around this one is {@code count} long.
   */
  void consecutive(Rule.Consecutive c, Record r, Touched w, Emitter emit) {
    if (w == null) return;
    int off = Math.max(0, w.seen.size() - 2 * c.count());
    int at = w.at - off;
    if (at < 0) return;
    List<Seen> readings = w.seen.subList(off, w.seen.size());
    int from = at;
    int to = at;
    while (from > 0 && above(readings.get(from - 1), c.match())) from--;
    while (to < readings.size() - 1 && above(readings.get(to + 1), c.match())) to++;
    if (above(readings.get(at), c.match()) && to - from + 1 >= c.count()) {
      List<Seen> run = readings.subList(from, to + 1);
      emit.fire(
          c.id(),
          c.title(),
          context.severity(c, r.getValue(), r.getGridKind(), r.getTs().toEpochMilli()),
          r,
          ids(run));
    }
  }

  /**
   * Over the grid's shared window: the rule's own records are those at or above its threshold; is
   * there a span of {@code within} holding this record and at least {@code count} of them?
   */
  void count(Rule.Count c, Record r, Touched w, Emitter emit) {
    if (w == null || !c.match().test(r)) return;
    long ts = r.getTs().toEpochMilli();
    long within = c.within().toMillis();
    // only records within `within` of this one can share a span with it
    List<Seen> seen = w.seen;
    int lo = firstAtOrAfter(seen, ts - within);
    List<Seen> mine = new ArrayList<>();
    for (int i = lo; i < seen.size() && seen.get(i).ts() <= ts + within; i++) {
      if (SharedWindow.reaches(seen.get(i), c.match())) mine.add(seen.get(i));
    }
    if (mine.size() < c.count()) return;
    for (int i = 0; i < mine.size(); i++) {
      long start = mine.get(i).ts();
      if (start > ts) break;
      int from = i;
      while (from > 0 && mine.get(from - 1).ts() == start) from--;
      int to = i;
      while (to < mine.size() - 1 && mine.get(to + 1).ts() <= start + within) to++;
      if (to - from + 1 >= c.count()) {
        emit.fire(
            c.id(),
            c.title(),
            context.severity(c, c.match().value(r), r.getGridKind(), ts),
            r,
            ids(mine.subList(from, to + 1)));
        return;
      }
    }
  }

  /** The index of the first record at or after {@code ts} in an event-time sorted list. */
  private static int firstAtOrAfter(List<Seen> list, long ts) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (list.get(mid).ts() < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Readings of one device are kept sorted by event time (they may arrive out of order) in the
   * shared window; the rule fires when the unbroken stretch of readings loud for it (at or above
   * its threshold, within its hours) around this one spans {@code lasting}.
   */
  void lasting(Rule.Lasting l, Record r, Touched w, LocalTime local, Emitter emit) {
    if (w == null || w.at < 0 || !l.match().test(r) || !l.inHours(local)) return;
    List<Seen> readings = w.seen;
    int at = w.at;
    int from = at;
    int to = at;
    while (from > 0 && loud(l, w, from - 1)) from--;
    while (to < readings.size() - 1 && loud(l, w, to + 1)) to++;
    if (readings.get(to).ts() - readings.get(from).ts() >= l.lasting().toMillis()) {
      emit.fire(
          l.id(),
          l.title(),
          context.severity(l, r.getValue(), r.getGridKind(), r.getTs().toEpochMilli()),
          r,
          ids(readings.subList(from, to + 1)));
    }
  }

  /** Whether the {@code i}th reading of a lasting window is loud for {@code l}. */
  private boolean loud(Rule.Lasting l, Touched w, int i) {
    Seen s = w.seen.get(i);
    if (!SharedWindow.reaches(s, l.match())) return false;
    if (w.localTimes == null) w.localTimes = new LocalTime[w.seen.size()];
    if (w.localTimes[i] == null) w.localTimes[i] = localTime(s.ts());
    return l.inHours(w.localTimes[i]);
  }

  /**
   * One pass over the grid's windows of count, consecutive and lasting rules (keys {@code ruleId}
   * or {@code ruleId|deviceId}), dropping the records kept past their rule's memory at {@code t}.
   * Lists are sorted by event time, so a window with nothing to drop costs one comparison. Returns
   * when the oldest record left expires ({@link Long#MAX_VALUE} if none is left).
   */
  long prune(RuleIndex set, long t) throws Exception {
    List<String> empty = new ArrayList<>();
    List<Map.Entry<String, List<Seen>>> changed = new ArrayList<>();
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, List<Seen>> e : windows.entries()) {
      Long memory = set.windowMemory(e.getKey());
      List<Seen> seen = e.getValue();
      if (memory == null || seen.isEmpty()) continue;
      long keep = keep(memory);
      long before = t - keep;
      int from = 0;
      while (from < seen.size() && seen.get(from).ts() <= before) from++;
      if (from == seen.size()) {
        empty.add(e.getKey());
        continue;
      }
      next = Math.min(next, seen.get(from).ts() + keep);
      if (from > 0)
        changed.add(Map.entry(e.getKey(), new ArrayList<>(seen.subList(from, seen.size()))));
    }
    for (String k : empty) windows.remove(k);
    for (Map.Entry<String, List<Seen>> e : changed) windows.put(e.getKey(), e.getValue());
    return next;
  }

  /** Local time of day in {@code time.zone}, without building a ZonedDateTime per reading. */
  LocalTime localTime(long epochMs) {
    long seconds = Math.floorDiv(epochMs, 1000L);
    int offset = zoneRules.getOffset(Instant.ofEpochSecond(seconds)).getTotalSeconds();
    return LocalTime.ofSecondOfDay(Math.floorMod(seconds + offset, 86_400L));
  }

  /**
   * How long after its event time a record is kept for a rule: the rule's own memory plus the
   * allowed lateness, so a record arriving late (behind the watermark, but within the lateness)
   * still meets the records it belongs with.
   */
  private long keep(long memoryMs) {
    return memoryMs + allowedLatenessMs;
  }

  static Seen seen(Record r, Double value) {
    long ts = r.getTs().toEpochMilli();
    return new Seen(ts, r.getRecordId(), r.getDeviceId(), r.getLat(), r.getLon(), value, ts);
  }

  /**
   * A window's list of records, to change in place and put back: the heap state backend hands out a
   * copy of a value a running snapshot still holds, and RocksDB a fresh one on every read, so
   * changing it in place never alters a snapshot. Copying the whole list for each record was the
   * rule engine's main cost for rules that keep every reading of a device (NIGHT_NOISE).
   */
  private List<Seen> window(String key) throws Exception {
    List<Seen> list = windows.get(key);
    return list != null ? list : new ArrayList<>();
  }

  /**
   * Puts {@code s} into the event-time sorted list, after records of the same time, and returns its
   * index; a record already there (a redelivery, same id and time) is not added again, its index is
   * returned.
   */
  static int insert(List<Seen> list, Seen s) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) { // first index with a later event time
      int mid = (lo + hi) >>> 1;
      if (list.get(mid).ts() <= s.ts()) lo = mid + 1;
      else hi = mid;
    }
    for (int i = lo - 1; i >= 0 && list.get(i).ts() == s.ts(); i--) {
      if (list.get(i).recordId().equals(s.recordId())) return i;
    }
    list.add(lo, s);
    return lo;
  }

  /** Drops the oldest records beyond {@code max}; returns how many. */
  private static int trim(List<Seen> list, int max) {
    int drop = list.size() - max;
    if (drop <= 0) return 0;
    list.subList(0, drop).clear();
    return drop;
  }

  private static boolean above(Seen s, Match m) {
    return s.value() != null && (m.atLeast() == null || s.value() >= m.atLeast());
  }

  private static List<String> ids(List<Seen> seen) {
    List<String> ids = seen.stream().map(Seen::recordId).toList();
    return ids.size() <= MAX_EVIDENCE ? ids : ids.subList(ids.size() - MAX_EVIDENCE, ids.size());
  }
}
