package org.gridfusion.jobs.rules;

import static org.gridfusion.jobs.rules.GridCheck.onTheMinute;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.TimerService;
import org.gridfusion.jobs.rules.RuleEngine.GridInfo;
import org.gridfusion.jobs.rules.RuleEngine.Seen;
import org.gridfusion.schema.Record;

/**
 * The co-occurrence rules of the current grid ({@code FIRE_CONFIRMED}: a smoke sensor and a camera
 * within a window) and their complements ({@code FIRE_SUSPECTED}: no partner once the window has
 * passed). A pair fires as soon as its second record arrives; only the complement waits for event
 * time, on a timer at the exact end of each record's window.
 *
 * <p>A record that comes late (its {@code ts} behind the inputs received with it, within the
 * allowed lateness, so it counts as on time) waits for its partner for the window counted from when
 * it came, not from its {@code ts} ({@link #judge}): its window has already passed in event time,
 * and judging it at once would raise the complement before a partner from the same late link (a
 * camera platform whose clock runs 9 minutes behind, a backlog delivered together) could arrive,
 * then the pair as well. An on-time record is judged at the end of its window, as before.
 *
 * <p>It exists because these rules, unlike the shared windows of {@link WindowedRules}, keep each
 * rule's own records per side and are cleaned up by their own timers. It touches the keyed {@code
 * windows} map state under the keys {@code ruleId#side} (0 for the first match, 1 for the second),
 * owned and registered by {@link RuleEngine}, and registers event-time timers; one instance serves
 * every grid, as the operator's current key selects.
 */
final class CoOccurrenceRules {
  private final MapState<String, List<Seen>> windows;
  private final DepartmentContext context;
  private final long allowedLatenessMs;

  /**
   * How far the inputs of this instance have come: the newest {@code min(ts, receivedAt)} among the
   * records it has read (what the receipt-bound watermarks follow, without waiting for the slowest
   * source). Not state: after a restore it starts again from the records that follow.
   */
  private long frontier = Long.MIN_VALUE;

  CoOccurrenceRules(
      MapState<String, List<Seen>> windows, DepartmentContext context, long allowedLatenessMs) {
    this.windows = windows;
    this.context = context;
    this.allowedLatenessMs = allowedLatenessMs;
  }

  /** Moves {@link #frontier} with a record the rules read. */
  void reached(Record r) {
    long t = Math.min(r.getTs().toEpochMilli(), r.getReceivedAt().toEpochMilli());
    if (t > frontier) frontier = t;
  }

  /**
   * Keeps a record that can take either side of {@code c} until no partner can come, and fires when
   * a partner within the window is already there.
   *
   * <p>Its complement is judged once the window has passed since the later of its {@code ts} and
   * when it came: how far the inputs had come when it was read (the frontier, or the watermark if
   * that is further), but not past its own receipt. An on-time record's {@code ts} is the later; a
   * late one waits from about its receipt, as long as its partner from the same link needs; in a
   * replay of old records, where every {@code ts} is far behind its receipt, the frontier is the
   * replay's own event time and each record is judged at the end of its window.
   */
  void judge(Rule.CoOccurrence c, Record r, TimerService timers, Emitter emit) throws Exception {
    int side = c.first().test(r) ? 0 : c.second().test(r) ? 1 : -1;
    if (side < 0) return;
    long ts = r.getTs().toEpochMilli();
    long w = c.within().toMillis();
    String mine = c.id() + "#" + side;
    List<Seen> own = windows.get(mine);
    if (own == null)
      own = new ArrayList<>(); // changed in place and put back (WindowedRules#window)
    long came =
        Math.min(r.getReceivedAt().toEpochMilli(), Math.max(frontier, timers.currentWatermark()));
    long since = Math.max(ts, came);
    WindowedRules.insert(
        own, new Seen(ts, r.getRecordId(), r.getDeviceId(), r.getLat(), r.getLon(), null, since));
    windows.put(mine, own);
    timers.registerEventTimeTimer(since + w); // the complement's moment
    // after the last moment a late partner can come
    timers.registerEventTimeTimer(onTheMinute(Math.max(ts + allowedLatenessMs, since) + w));
    List<Seen> partners = windows.get(c.id() + "#" + (1 - side));
    if (partners == null) return;
    for (Seen p : partners) {
      if (Math.abs(p.ts() - ts) <= w) {
        // dated by the earlier of the two, whichever reached the rules first: the smoke a camera
        // confirms a minute later is when the fire was first seen, and a replay in another
        // interleaving of the two inputs must give the same alert (its id holds this time)
        long first = Math.min(p.ts(), ts);
        List<String> evidence =
            p.ts() <= ts
                ? List.of(p.recordId(), r.getRecordId())
                : List.of(r.getRecordId(), p.recordId());
        emit.fire(
            c.id(),
            c.title(),
            context.severity(c, null, r.getGridKind(), first),
            r,
            first,
            evidence);
        return;
      }
    }
  }

  /**
   * The ids of the co-occurrence rules with records kept in the grid (window keys {@code id#side}).
   */
  Set<String> pairing() throws Exception {
    Set<String> ids = new HashSet<>();
    for (String key : windows.keys()) {
      int hash = key.indexOf('#');
      if (hash > 0) ids.add(key.substring(0, hash));
    }
    return ids;
  }

  /** Each record whose window closed at {@code t} without a partner raises the complement rule. */
  void unmatched(Rule.CoOccurrence c, long t, GridInfo info, Emitter emit) throws Exception {
    long w = c.within().toMillis();
    for (int side = 0; side < 2; side++) {
      List<Seen> mine = windows.get(c.id() + "#" + side);
      if (mine == null) continue;
      List<Seen> other = windows.get(c.id() + "#" + (1 - side));
      for (Seen s : mine) {
        if (s.since() + w != t || c.unmatched() == null) continue;
        boolean partnered =
            other != null && other.stream().anyMatch(o -> Math.abs(o.ts() - s.ts()) <= w);
        if (!partnered) {
          emit.fire(
              c.unmatched().id(),
              c.unmatched().title(),
              c.unmatched().severity(),
              info,
              s.lat(),
              s.lon(),
              null,
              s.ts(),
              List.of(s.recordId()));
        }
      }
    }
    // Forget what can no longer partner anything still to come.
    for (int side = 0; side < 2; side++) {
      String key = c.id() + "#" + side;
      List<Seen> mine = windows.get(key);
      if (mine == null) continue;
      List<Seen> kept =
          new ArrayList<>(
              mine.stream()
                  .filter(s -> Math.max(s.ts() + allowedLatenessMs, s.since()) + w > t)
                  .toList());
      if (kept.isEmpty()) windows.remove(key);
      else if (kept.size() != mine.size()) windows.put(key, kept);
    }
  }
}
