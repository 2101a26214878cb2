package org.gridfusion.jobs.rules;

import static org.gridfusion.jobs.rules.GridCheck.onTheMinute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>A subject is kept once per registration, not once per rule (issue 16): the absence rules that
 * read the same registration (subject type and device attribute) share one {@code subjects} entry
 * per device, which lists the rules watching it and whether each has raised its silence. A city's
 * hundred variants of one absence rule made every registration a hundred state writes and every
 * door report a hundred state reads; now each is one, and the rules judge the entry in memory
 * ({@link Judging}, {@link Check}). The one difference from a subject per rule: a rule that leaves
 * the set and comes back finds the subject as last registered, not as it was when the rule left.
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
   * rules do not move it, so a replayed backlog cannot make a day of silence out of nothing. {@code
   * known} remembers it for the grid, so a record later than it reads no state.
   */
  boolean observe(long ts, GridRules.Known known) throws Exception {
    Long since = known.observedSince != null ? known.observedSince : observedSince.value();
    known.observedSince = since;
    if (since != null && since <= ts) return false;
    observedSince.update(ts);
    known.observedSince = ts;
    return true;
  }

  /**
   * The absence rules' judging of {@code r}, whose kind's rules are {@code kind} (null if none);
   * {@link Judging#finish} writes what it changed.
   */
  Judging judging(Record r, RuleIndex.Kind kind, TimerService timers) {
    return new Judging(r, kind, timers);
  }

  /**
   * One record judged by the grid's absence rules, one rule at a time in the set's order, over
   * state read once per record: the subject entry of each group of the kind's absence rules that
   * read one registration ({@link RuleIndex.Kind#absenceGroupOf}), the device's last report,
   * whether the grid watches any subject. A device report that can change nothing for a group — no
   * subject on the device, or a gap since its last report shorter than any of the group's silences,
   * and no silence to watch anew — is passed over by each of the group's rules at once. It asks the
   * silence check only for a due time earlier than any it asked for already (a later one would
   * change nothing).
   */
  final class Judging {
    private final Record r;
    private final long ts;
    private final RuleIndex.Kind kind;
    private final TimerService timers;

    /** Per absence group of the kind: its subject entry, once read; null if nothing to judge. */
    private final Registration[] groups;

    private final boolean[] groupRead;
    private long dueAsked = Long.MAX_VALUE;
    private Boolean watching;
    private Long observed;
    private boolean observedRead;

    // the sign of life, asked of state once, when an absence rule of the record's kind needs it
    private Boolean rearms;
    private boolean fresh;
    private Heard previous;

    private Judging(Record r, RuleIndex.Kind kind, TimerService timers) {
      this.r = r;
      this.ts = r.getTs().toEpochMilli();
      this.kind = kind;
      this.timers = timers;
      int n = kind == null ? 0 : kind.absenceGroups();
      this.groups = new Registration[n];
      this.groupRead = new boolean[n];
    }

    /**
     * Absence rules count silence only over event time the pipeline observed (contract §10): from
     * the subject's device's last record; for a device never heard from, from the later of the
     * subject's registration and the grid's first device record ({@link #observe}); not at all
     * while the grid has had no device record. A subject registered two days ago in a grid first
     * heard from two hours ago has been silent for two hours.
     *
     * <p>For the absence rule {@code a} at {@code position} of the record's kind: the record is its
     * registration, or a report of a device it may watch.
     */
    void judge(Rule.Absence a, int position, boolean observationMoved, Emitter emit)
        throws Exception {
      long silence = a.silence().toMillis();
      int group = kind.absenceGroupOf(position);
      if (kind.registers(position)) {
        Registration s = registered(group, a);
        if (s == null) return; // no device named
        s.watchedBy(a.id());
        Long from = silentSince(s, observed());
        if (from != null) dueBy(onTheMinute(from + silence));
        return;
      }
      observationMoved(a, observationMoved);
      if (r.getDeviceId() == null) return;
      Registration s = reported(group, a);
      if (s == null) return;
      int at = s.position(a.id());
      if (at < 0) return;
      if (!s.raised(at) && fresh) {
        // The report itself shows a silence of the rule's length that no check has raised yet:
        // it arrived before event time reached the deadline (another partition or source holds
        // the watermark back), and the check, when it comes, would only see this report. The
        // silence happened all the same: raised now, dated when it passed, and the subject is
        // watched anew from this report.
        Long before = before(s);
        if (before != null && before + silence <= ts) {
          GridInfo info = grid.value();
          String gridKind = info == null ? r.getGridKind() : info.gridKind();
          emit.fire(
              a.id(),
              a.title(),
              context.severity(a, null, gridKind, before + silence),
              info,
              s.lat,
              s.lon,
              s.subjectRef,
              before + silence,
              List.of(s.recordId));
          dueBy(onTheMinute(ts + silence));
        }
      }
      if (rearms && s.raised(at)) {
        // watched anew; for one not raised, a later report only moves the deadline later: the
        // check already due finds it and looks again then
        s.raise(at, false);
        dueBy(onTheMinute(ts + silence));
      }
    }

    /**
     * For any absence rule, when the record moved the grid's observation: subjects waiting for the
     * grid to be observed now have a deadline, which the check finds.
     */
    void observationMoved(Rule.Absence a, boolean observationMoved) throws Exception {
      if (!observationMoved) return;
      if (watching == null) watching = !subjects.isEmpty();
      if (watching) dueBy(onTheMinute(observed() + a.silence().toMillis()));
    }

    /** Writes the subject entries this record changed. */
    void finish() throws Exception {
      for (Registration s : groups) if (s != null && s.changed) subjects.put(s.key, s.toSubject());
    }

    /**
     * The subject entry the registration {@code r} updates for {@code a}'s group (read once), or
     * null if the record names no device in the group's attribute.
     */
    private Registration registered(int group, Rule.Absence a) throws Exception {
      if (!groupRead[group]) {
        groupRead[group] = true;
        String device = r.getAttributes().get(a.deviceAttribute());
        if (device == null || device.isBlank()) return null;
        Registration s = read(a, device);
        s.register(r, ts);
        groups[group] = s;
      }
      return groups[group];
    }

    /**
     * The subject entry of the reporting device for {@code a}'s group (read once), or null if the
     * report changes nothing for any rule of the group: no rule watches a subject on the device, or
     * the report is not the device's latest, or it ends a gap shorter than every silence of the
     * group and there is no raised silence to watch anew.
     */
    private Registration reported(int group, Rule.Absence a) throws Exception {
      if (!groupRead[group]) {
        groupRead[group] = true;
        boolean rearms = rearms();
        Registration s = read(a, r.getDeviceId());
        if (s.watched() && (rearms || fresh && mayRaise(s, kind.shortestSilence(group))))
          groups[group] = s;
      }
      return groups[group];
    }

    private boolean mayRaise(Registration s, long shortestSilence) throws Exception {
      Long before = before(s);
      return before != null && ts - before >= shortestSilence;
    }

    /** The start of the silence this report ends (after {@link #rearms}). */
    private Long before(Registration s) throws Exception {
      return previous != null ? previous.last() : observedSilence(s.registeredAt, observed());
    }

    /** The grid's start of observation (read once: the record moved it, if at all, before). */
    private Long observed() throws Exception {
      if (!observedRead) {
        observed = observedSince.value();
        observedRead = true;
      }
      return observed;
    }

    private void dueBy(long when) throws Exception {
      if (when >= dueAsked) return;
      dueAsked = when;
      silenceCheck.dueBy(when, timers);
    }

    /**
     * Whether the record may watch a raised subject anew: it is the device's latest report, and the
     * device was never heard before or a silence of it was raised since its last report. Asked of
     * state once per record, whatever the number of absence rules watching the device; the record
     * becomes the device's latest report if it is later than any before it.
     */
    private boolean rearms() throws Exception {
      if (rearms == null) {
        Heard old = heard.get(r.getDeviceId());
        previous = old;
        fresh = old == null || ts > old.last();
        if (fresh) {
          heard.put(r.getDeviceId(), new Heard(ts, false));
          for (Registration s : groups)
            if (s != null && s.device.equals(r.getDeviceId())) s.heardRead = false;
        }
        rearms = fresh && (old == null || old.silenceRaised());
      }
      return rearms;
    }

    private Registration read(Rule.Absence a, String device) throws Exception {
      Registration s = new Registration(a.subjectType(), a.deviceAttribute(), device);
      s.load(subjects.get(s.key));
      return s;
    }
  }

  /**
   * Since when {@code s}'s device has been observed silent, or null while it is not observed
   * ({@code observed}: the grid's start of observation). The device's last report is read once per
   * entry, not once per rule.
   */
  private Long silentSince(Registration s, Long observed) throws Exception {
    if (!s.heardRead) {
      s.lastHeard = heard.get(s.device);
      s.heardRead = true;
    }
    if (s.lastHeard != null) return s.lastHeard.last();
    return observedSilence(s.registeredAt, observed);
  }

  /** For a device never heard from: the later of the registration and the grid's observation. */
  private static Long observedSilence(long registeredAt, Long observed) {
    return observed == null ? null : Math.max(registeredAt, observed);
  }

  /** A silence check of the grid's subjects; {@link Check#finish} writes what it changed. */
  Check check() throws Exception {
    return new Check();
  }

  /**
   * A silence check: the grid's subjects not yet raised, read once, by the id of each absence rule
   * watching them (in the order of the state's entries); each rule in force raises its own.
   */
  final class Check {
    private record Waiting(Registration subject, int at) {}

    private final Map<String, List<Waiting>> byRule = new HashMap<>();
    private final List<Registration> all = new ArrayList<>();
    private final Long observed;

    private Check() throws Exception {
      observed = observedSince.value();
      for (Map.Entry<String, Subject> e : subjects.entries()) {
        Subject stored = e.getValue();
        Registration s = null;
        for (int i = 0; i < stored.rules().length; i++) {
          if (stored.raised()[i]) continue;
          if (s == null) {
            s = Registration.of(e.getKey(), stored);
            all.add(s);
          }
          byRule.computeIfAbsent(stored.rules()[i], k -> new ArrayList<>()).add(new Waiting(s, i));
        }
      }
    }

    /** The ids of the rules with subjects waiting. */
    Set<String> ruleIds() {
      return byRule.keySet();
    }

    /**
     * Raises the subjects {@code a} watches that are silent since {@code t - silence}; returns when
     * the next one falls due, if none reports.
     */
    long silences(Rule.Absence a, long t, GridInfo info, Emitter emit) throws Exception {
      List<Waiting> waiting = byRule.get(a.id());
      if (waiting == null) return Long.MAX_VALUE;
      List<Waiting> raised = new ArrayList<>();
      long silence = a.silence().toMillis();
      long next = Long.MAX_VALUE;
      for (Waiting w : waiting) {
        Registration s = w.subject();
        Long from = silentSince(s, observed);
        if (from == null) continue; // not observed yet: armed when the grid's first record comes
        if (from + silence <= t) {
          emit.fire(
              a.id(),
              a.title(),
              context.severity(a, null, info == null ? null : info.gridKind(), t),
              info,
              s.lat,
              s.lon,
              s.subjectRef,
              from + silence,
              List.of(s.recordId));
          raised.add(w);
        } else {
          next = Math.min(next, from + silence);
        }
      }
      for (Waiting w : raised) {
        w.subject().raise(w.at(), true);
        Heard h = heard.get(w.subject().device);
        if (h != null && !h.silenceRaised())
          heard.put(w.subject().device, new Heard(h.last(), true));
      }
      return next;
    }

    /** Writes the subject entries the check raised. */
    void finish() throws Exception {
      for (Registration s : all) if (s.changed) subjects.put(s.key, s.toSubject());
    }
  }

  /**
   * A subject entry being judged: the latest registration of a device for the absence rules that
   * read one subject type and device attribute, the rules watching it and which of them have raised
   * its silence. Changed in memory and written back once.
   */
  private static final class Registration {
    private static final String[] NO_RULES = new String[0];
    private static final boolean[] NOT_RAISED = new boolean[0];

    final String device;
    final String key;
    String subjectRef;
    String recordId;
    double lat;
    double lon;
    long registeredAt;
    private String[] rules = NO_RULES;
    private boolean[] raised = NOT_RAISED;
    private int size;
    private boolean copied;
    boolean changed;

    /** Whether a registration is kept (read from state, or made by the record judged). */
    private boolean known;

    /** The device's last report, once read for this entry ({@link #heardRead}). */
    Heard lastHeard;

    boolean heardRead;

    /** Where the last rule looked for was found: rules come in the set's order, as written. */
    private int cursor;

    /** The rules' positions, once one was not where {@link #cursor} expected it. */
    private Map<String, Integer> positions;

    private Registration(String device, String key) {
      this.device = device;
      this.key = key;
    }

    Registration(String subjectType, String deviceAttribute, String device) {
      this(device, keyOf(subjectType, deviceAttribute, device));
    }

    static Registration of(String key, Subject stored) {
      Registration s = new Registration(stored.deviceId(), key);
      s.load(stored);
      return s;
    }

    /** The state key: one entry per subject type, device attribute and device. */
    static String keyOf(String subjectType, String deviceAttribute, String device) {
      return subjectType + "|" + deviceAttribute + "|" + device;
    }

    void load(Subject stored) {
      if (stored == null) return;
      known = true;
      subjectRef = stored.subjectRef();
      recordId = stored.recordId();
      lat = stored.lat();
      lon = stored.lon();
      registeredAt = stored.registeredAt();
      rules = stored.rules();
      raised = stored.raised();
      size = rules.length;
    }

    /**
     * The registration {@code r} (dated {@code ts}) replaces the one kept, once per record; an
     * updated registration does not raise the subject again.
     */
    void register(Record r, long ts) {
      registeredAt = known ? Math.max(registeredAt, ts) : ts;
      known = true;
      subjectRef = r.getSubjectRef();
      recordId = r.getRecordId();
      lat = r.getLat();
      lon = r.getLon();
      changed = true;
    }

    /** Makes {@code ruleId} one of the rules watching the subject, not raised if new. */
    void watchedBy(String ruleId) {
      if (position(ruleId) >= 0) return;
      writable();
      if (size == rules.length) {
        rules = Arrays.copyOf(rules, Math.max(4, size * 2));
        raised = Arrays.copyOf(raised, rules.length);
      }
      rules[size] = ruleId;
      raised[size] = false;
      if (positions != null) positions.put(ruleId, size);
      size++;
      cursor = size;
      changed = true;
    }

    /** The position of {@code ruleId} among the rules watching the subject, or -1. */
    int position(String ruleId) {
      if (cursor < size && rules[cursor].equals(ruleId)) return cursor++;
      // out of the written order (another rule set) or new: a hundred rules each scanning the list
      // would be quadratic, so the list is indexed once
      if (positions == null) {
        positions = new HashMap<>();
        for (int i = 0; i < size; i++) positions.put(rules[i], i);
      }
      Integer at = positions.get(ruleId);
      if (at == null) return -1;
      cursor = at + 1;
      return at;
    }

    /** Whether any rule watches the subject. */
    boolean watched() {
      return size > 0;
    }

    boolean raised(int at) {
      return raised[at];
    }

    void raise(int at, boolean value) {
      if (raised[at] == value) return;
      writable();
      raised[at] = value;
      changed = true;
    }

    /** The arrays read from state are the state's own: copied before the first change. */
    private void writable() {
      if (copied) return;
      rules = Arrays.copyOf(rules, Math.max(size, 4));
      raised = Arrays.copyOf(raised, rules.length);
      copied = true;
    }

    Subject toSubject() {
      return new Subject(
          device,
          subjectRef,
          recordId,
          lat,
          lon,
          registeredAt,
          Arrays.copyOf(rules, size),
          Arrays.copyOf(raised, size));
    }
  }
}
