package org.gridfusion.jobs.rules;

import static org.gridfusion.jobs.rules.GridCheck.onTheMinute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.gridfusion.jobs.rules.RuleEngine.GridInfo;
import org.gridfusion.jobs.rules.RuleEngine.Heard;
import org.gridfusion.jobs.rules.RuleEngine.Subject;
import org.gridfusion.schema.Record;

/**
 * The absence rules of the current grid ({@code ELDERLY_INACTIVE}: no sign of life from a watched
 * device for the rule's silence): department records register the subjects to watch, device records
 * are their signs of life, and the silence check raises those silent for long enough.
 *
 * <p>It exists to keep the bookkeeping of silence in one place: silence is counted only over event
 * time the pipeline observed (contract §10), which takes the subjects, each device's last report
 * and the grid's start of observation together. It touches the keyed state {@code subjects}, {@code
 * device-last-heard} and {@code observed-since}, reads {@code grid} to describe a grid when no
 * record is at hand, and sets the grid's silence check ({@code silence-at}); all are owned and
 * registered by {@link RuleEngine}, and one instance serves every grid, as the operator's current
 * key selects.
 */
final class AbsenceRules {
  private final MapState<String, Subject> subjects;

  /** The last report of each device an absence rule watches (by device id), once heard. */
  private final MapState<String, Heard> heard;

  /**
   * The earliest event time of a device record (camera or sensor) in the grid: the grid has been
   * observed since then (contract §10). Absent until the first one arrives.
   */
  private final ValueState<Long> observedSince;

  private final ValueState<GridInfo> grid;
  private final GridCheck silenceCheck;
  private final DepartmentContext context;

  AbsenceRules(
      MapState<String, Subject> subjects,
      MapState<String, Heard> heard,
      ValueState<Long> observedSince,
      ValueState<GridInfo> grid,
      GridCheck silenceCheck,
      DepartmentContext context) {
    this.subjects = subjects;
    this.heard = heard;
    this.observedSince = observedSince;
    this.grid = grid;
    this.silenceCheck = silenceCheck;
    this.context = context;
  }

  /** Whether the grid watches any subject (fired or not): its silence check is then kept. */
  boolean watchesAny() throws Exception {
    return !subjects.isEmpty();
  }

  /**
   * Moves the grid's start of observation earlier when a device record is older than any seen
   * before; returns whether it moved (the first record included). Records too late for the windowed
   * rules do not move it, so a replayed backlog cannot make a day of silence out of nothing.
   */
  boolean observe(long ts) throws Exception {
    Long since = observedSince.value();
    if (since != null && since <= ts) return false;
    observedSince.update(ts);
    return true;
  }

  /**
   * Absence rules count silence only over event time the pipeline observed (contract §10): from the
   * subject's device's last record; for a device never heard from, from the later of the subject's
   * registration and the grid's first device record ({@link #observe}); not at all while the grid
   * has had no device record. A subject registered two days ago in a grid first heard from two
   * hours ago has been silent for two hours.
   */
  void judge(
      Rule.Absence a,
      Record r,
      boolean observationMoved,
      SignOfLife life,
      TimerService timers,
      Emitter emit)
      throws Exception {
    long ts = r.getTs().toEpochMilli();
    long silence = a.silence().toMillis();
    if ("DEPARTMENT".equals(r.getSource().name()) && r.getType().equals(a.subjectType())) {
      String device = r.getAttributes().get(a.deviceAttribute());
      if (device == null || device.isBlank()) return;
      String key = a.id() + "|" + device;
      Subject old = subjects.get(key);
      Subject s =
          new Subject(
              r.getSubjectRef(),
              r.getRecordId(),
              r.getLat(),
              r.getLon(),
              old == null ? ts : Math.max(old.registeredAt(), ts),
              old != null && old.fired()); // an updated registration does not raise it again
      subjects.put(key, s);
      Long from = silentSince(s, device);
      if (from != null) silenceCheck.dueBy(onTheMinute(from + silence), timers);
      return;
    }
    if (observationMoved && !subjects.isEmpty()) {
      // subjects waiting for the grid to be observed now have a deadline: the check finds each
      silenceCheck.dueBy(onTheMinute(observedSince.value() + silence), timers);
    }
    if (life != null && a.match().sameKind(r) && r.getDeviceId() != null) {
      String device = r.getDeviceId();
      String key = a.id() + "|" + device;
      boolean rearms = life.rearms();
      Subject s = subjects.get(key);
      if (s != null && !s.fired() && life.fresh()) {
        // The report itself shows a silence of the rule's length that no check has raised yet:
        // it arrived before event time reached the deadline (another partition or source holds
        // the watermark back), and the check, when it comes, would only see this report. The
        // silence happened all the same: raised now, dated when it passed, and the subject is
        // watched anew from this report.
        Long before = life.previous() != null ? life.previous().last() : observedSilence(s);
        if (before != null && before + silence <= ts) {
          GridInfo info = grid.value();
          String gridKind = info == null ? r.getGridKind() : info.gridKind();
          emit.fire(
              a.id(),
              a.title(),
              context.severity(a, null, gridKind, before + silence),
              info,
              s.lat(),
              s.lon(),
              s.subjectRef(),
              before + silence,
              List.of(s.recordId()));
          silenceCheck.dueBy(onTheMinute(ts + silence), timers);
        }
      }
      if (rearms && s != null && s.fired()) {
        // watched anew; for one not fired, a later report only moves the deadline later: the check
        // already due finds it and looks again then
        subjects.put(
            key,
            new Subject(s.subjectRef(), s.recordId(), s.lat(), s.lon(), s.registeredAt(), false));
        silenceCheck.dueBy(onTheMinute(ts + silence), timers);
      }
    }
  }

  /** The sign of life {@code r} gives, asked of state only when an absence rule needs it. */
  SignOfLife signOfLife(Record r) {
    return new SignOfLife(r);
  }

  /**
   * Whether a device record is the device's latest sign of life (later than any before it), which
   * it then becomes: asked of state once per record, whatever the number of absence rules watching
   * the device, and the same answer for each of them.
   */
  final class SignOfLife {
    private final Record r;
    private Boolean rearms;
    private boolean fresh;
    private Heard previous;

    private SignOfLife(Record r) {
      this.r = r;
    }

    /**
     * Whether the record may watch a raised subject anew: it is the device's latest report, and the
     * device was never heard before or a silence of it was raised since its last report.
     */
    boolean rearms() throws Exception {
      if (rearms == null) {
        long ts = r.getTs().toEpochMilli();
        Heard old = heard.get(r.getDeviceId());
        previous = old;
        fresh = old == null || ts > old.last();
        if (fresh) heard.put(r.getDeviceId(), new Heard(ts, false));
        rearms = fresh && (old == null || old.silenceRaised());
      }
      return rearms;
    }

    /** Whether the record is later than any of its device before it (after {@link #rearms}). */
    boolean fresh() {
      return fresh;
    }

    /** The device's latest report before this record, null if none (after {@link #rearms}). */
    Heard previous() {
      return previous;
    }
  }

  /** Since when {@code s}'s device has been observed silent, or null while it is not observed. */
  private Long silentSince(Subject s, String device) throws Exception {
    Heard last = heard.get(device);
    if (last != null) return last.last();
    return observedSilence(s);
  }

  /** For a device never heard from: the later of the registration and the grid's observation. */
  private Long observedSilence(Subject s) throws Exception {
    Long since = observedSince.value();
    return since == null ? null : Math.max(s.registeredAt(), since);
  }

  /**
   * The grid's subjects not yet raised, by the id of the absence rule watching them (keys {@code
   * ruleId|deviceId}), in the order of the state's entries.
   */
  Map<String, List<Map.Entry<String, Subject>>> waitingByRule() throws Exception {
    Map<String, List<Map.Entry<String, Subject>>> byRule = new HashMap<>();
    for (Map.Entry<String, Subject> e : subjects.entries()) {
      if (e.getValue().fired()) continue;
      String key = e.getKey();
      byRule
          .computeIfAbsent(key.substring(0, key.indexOf('|')), k -> new ArrayList<>())
          .add(Map.entry(key, e.getValue()));
    }
    return byRule;
  }

  /**
   * Raises the subjects silent since {@code t - silence}; returns when the next one falls due, if
   * none reports.
   */
  long silences(
      Rule.Absence a, List<Map.Entry<String, Subject>> waiting, long t, GridInfo info, Emitter emit)
      throws Exception {
    List<Map.Entry<String, Subject>> fired = new ArrayList<>();
    String prefix = a.id() + "|";
    long silence = a.silence().toMillis();
    long next = Long.MAX_VALUE;
    for (Map.Entry<String, Subject> e : waiting) {
      Subject s = e.getValue();
      Long from = silentSince(s, e.getKey().substring(prefix.length()));
      if (from == null) continue; // not observed yet: armed when the grid's first record comes
      if (from + silence <= t) {
        emit.fire(
            a.id(),
            a.title(),
            context.severity(a, null, info == null ? null : info.gridKind(), t),
            info,
            s.lat(),
            s.lon(),
            s.subjectRef(),
            from + silence,
            List.of(s.recordId()));
        fired.add(e);
      } else {
        next = Math.min(next, from + silence);
      }
    }
    for (Map.Entry<String, Subject> e : fired) {
      Subject s = e.getValue();
      subjects.put(
          e.getKey(),
          new Subject(s.subjectRef(), s.recordId(), s.lat(), s.lon(), s.registeredAt(), true));
      String device = e.getKey().substring(prefix.length());
      Heard h = heard.get(device);
      if (h != null && !h.silenceRaised()) heard.put(device, new Heard(h.last(), true));
    }
    return next;
  }
}
