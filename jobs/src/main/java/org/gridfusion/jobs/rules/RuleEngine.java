package org.gridfusion.jobs.rules;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.records.DeadLetters;
import org.gridfusion.jobs.records.DuplicateFilter;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-grid stage of the fusion job (keyed by {@code gridId}): drops redelivered records ({@link
 * DuplicateFilter}), passes every other one on as {@link #RECORDS} (to gf.records, gf-records and
 * the risk score) and evaluates the rule set on it in event time, emitting {@link Firing}s.
 * De-duplication and rules share one operator so a record crosses the network once between
 * normalisation and here, not twice (a third of the job's serialisation cost before).
 *
 * <p>The rule set arrives on a broadcast stream (the {@code gf.rules} topic, pushed with {@code
 * gridfusion rules push}); until one arrives the initial set (the defaults or {@code rules.file})
 * is in force. A set that fails to parse is refused — logged, counted and dead-lettered with the
 * reason — and the set in force stays.
 *
 * <p>Rules fire as soon as the evidence is complete, without waiting for the watermark; only what
 * needs the passing of event time waits for it: the complement of a co-occurrence ({@code
 * FIRE_SUSPECTED}: no partner once the window has passed) and absence ({@code ELDERLY_INACTIVE}:
 * silence for 24 h). Records older than the watermark minus the allowed lateness are ignored by the
 * windowed rules (still by threshold rules they are judged alone, and by absence rules as
 * registrations and signs of life, though they never move a grid's start of observation) and
 * counted.
 *
 * <p>State per grid: department-record context (standing facts and recent event times), recent
 * records of count, consecutive and lasting rules in windows shared by the rules of one kind
 * ({@link SharedWindow}: per grid, or per device), each co-occurrence rule's recent matches, the
 * subjects of absence rules, the last report of each device an absence rule watches and since when
 * the grid is observed (contract §10: silence is counted only over observed time); it is pruned by
 * event-time timers, so a grid that goes quiet keeps only its standing context. A grid holds few
 * timers: one clean-up timer and one silence check (each re-set from what is left when it fires),
 * plus the exact ends of open co-occurrence windows.
 *
 * <p>This class is the operator: it registers the state (names and serializers are the savepoint's
 * layout), decides what a record or a timer concerns, and hands the work, with the state handles it
 * needs, to the rule kinds' classes: {@link WindowedRules} (count, consecutive, lasting), {@link
 * CoOccurrenceRules}, {@link AbsenceRules}; {@link GridRules} picks each grid's rules, {@link
 * GridCheck} keeps its two recurring checks and {@link DepartmentContext} its context. They hold
 * keyed state handles, so one instance of each serves every grid of the task.
 */
public final class RuleEngine
    extends KeyedBroadcastProcessFunction<String, Record, String, Firing> {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

  public static final MapStateDescriptor<String, String> RULES =
      new MapStateDescriptor<>("rule-set", Types.STRING, Types.STRING);
  private static final String CURRENT = "current";

  /**
   * A remembered record. {@code since} is the event time a co-occurrence complement counts its
   * window from: the record's {@code ts}, or the watermark it reached the rules behind when it came
   * late ({@link CoOccurrenceRules#judge}); the other windows keep {@code ts} there.
   */
  public record Seen(
      long ts,
      String recordId,
      String deviceId,
      double lat,
      double lon,
      Double value,
      long since) {}

  /**
   * A subject the absence rules reading one registration (subject type and device attribute) watch
   * on device {@code deviceId}: its latest registration, dated {@code registeredAt} (the latest of
   * those received), the ids of the rules watching it and, for each, whether it raised the
   * subject's silence (until the device reports again). One entry for all of them, not one per
   * rule: a city's hundred absence rules of one kind read and write it once per record.
   */
  public record Subject(
      String deviceId,
      String subjectRef,
      String recordId,
      double lat,
      double lon,
      long registeredAt,
      String[] rules,
      boolean[] raised) {}

  /**
   * A device's last report ({@code last}, event time) and whether a subject watching it has had its
   * silence raised since: only then must its next report look for subjects to watch anew, which
   * with a city's hundred absence rules is a hundred lookups.
   */
  public record Heard(long last, boolean silenceRaised) {}

  /** What a timer needs to describe the grid when no record is at hand. */
  public record GridInfo(String gridKind, String street, String community) {}

  /** Every record that is not a duplicate, as it enters the rules. */
  public static final OutputTag<Record> RECORDS = new OutputTag<>("records", RecordType.INFO);

  private final String initialRules;
  private final String zone;
  private final Duration allowedLateness;
  private final DuplicateFilter duplicates;
  private final boolean passRecords;

  private transient RuleSet rules;

  /** The rules in force per grid, built when a grid is first met (a cache, not state). */
  private transient GridRules gridRules;

  /** The grid's department records, for escalation ({@code context} state). */
  private transient DepartmentContext context;

  /** The count, consecutive and lasting rules over their shared windows. */
  private transient WindowedRules windowed;

  /** The co-occurrence rules and their complements, over their own windows. */
  private transient CoOccurrenceRules coOccurrences;

  /** The absence rules' subjects, signs of life and the grid's observation. */
  private transient AbsenceRules absences;

  private transient ValueState<GridInfo> grid;

  /**
   * When the grid's count, consecutive and lasting windows are next due for clean-up; none while
   * nothing is kept.
   */
  private transient GridCheck cleanup;

  /**
   * When the grid's absence subjects are next due for a silence check; {@link Long#MAX_VALUE} when
   * all have fired.
   */
  private transient GridCheck silenceCheck;

  private transient Counter firings;
  private transient Counter late;
  private transient Counter ruleSetsRefused;

  /**
   * @param dedupTtl how long a record id is remembered to drop its redeliveries ({@code
   *     job.dedupTtl})
   */
  public RuleEngine(RuleSet initial, String zone, Duration allowedLateness, Duration dedupTtl) {
    this(initial, zone, allowedLateness, dedupTtl, true);
  }

  private RuleEngine(
      RuleSet initial,
      String zone,
      Duration allowedLateness,
      Duration dedupTtl,
      boolean passRecords) {
    this.initialRules = initial.source();
    this.zone = zone;
    this.allowedLateness = allowedLateness;
    this.duplicates = new DuplicateFilter(dedupTtl);
    this.passRecords = passRecords;
  }

  /**
   * The rules alone, for benchmarks of rule evaluation: no de-duplication and no {@link #RECORDS}
   * pass-through (Flink's operator test harness deep-copies and keeps every side-output record,
   * which would be measured instead).
   */
  public static RuleEngine rulesOnly(RuleSet initial, String zone, Duration allowedLateness) {
    return new RuleEngine(initial, zone, allowedLateness, Duration.ZERO, false);
  }

  @Override
  public void open(OpenContext ctx) {
    gridRules = new GridRules();
    duplicates.open(getRuntimeContext());
    context =
        new DepartmentContext(
            getRuntimeContext()
                .getMapState(
                    new MapStateDescriptor<>("context", Types.STRING, Types.LIST(Types.LONG))));
    MapState<String, List<Seen>> windows =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "windows", Types.STRING, TypeInformation.of(new TypeHint<List<Seen>>() {})));
    MapState<String, Subject> subjects =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "subjects", Types.STRING, TypeInformation.of(Subject.class)));
    grid =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("grid", TypeInformation.of(GridInfo.class)));
    MapState<String, Heard> heard =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "device-last-heard", Types.STRING, TypeInformation.of(Heard.class)));
    ValueState<Long> observedSince =
        getRuntimeContext().getState(new ValueStateDescriptor<>("observed-since", Types.LONG));
    cleanup =
        new GridCheck(
            getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG)));
    silenceCheck =
        new GridCheck(
            getRuntimeContext().getState(new ValueStateDescriptor<>("silence-at", Types.LONG)));
    windowed =
        new WindowedRules(
            windows, cleanup, context, ZoneId.of(zone).getRules(), allowedLateness.toMillis());
    coOccurrences = new CoOccurrenceRules(windows, context, allowedLateness.toMillis());
    absences = new AbsenceRules(subjects, heard, observedSince, grid, silenceCheck, context);
    firings = getRuntimeContext().getMetricGroup().counter("ruleFirings");
    late = getRuntimeContext().getMetricGroup().counter("lateRecords");
    ruleSetsRefused = getRuntimeContext().getMetricGroup().counter("ruleSetsRefused");
  }

  // ---------------------------------------------------------------- rule set

  /**
   * The set in force. It is read from broadcast state only once per task (after a start or a
   * restore); after that {@link #processBroadcastElement} replaces it, on every parallel instance
   * alike.
   */
  private RuleSet rules(ReadOnlyContext ctx) throws Exception {
    if (rules == null) {
      String text = ctx.getBroadcastState(RULES).get(CURRENT);
      rules = RuleSetCache.parse(text == null ? initialRules : text, "rule set");
    }
    return rules;
  }

  @Override
  public void processBroadcastElement(String text, Context ctx, Collector<Firing> out)
      throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(RULES);
    try {
      RuleSet set = RuleSetCache.parse(text, "gf.rules");
      state.put(CURRENT, text);
      rules = set;
      gridRules.clear();
      LOG.info("Rule set {} in force ({} rules)", set.version(), set.rules().size());
    } catch (RuleSet.InvalidRuleSet e) {
      ruleSetsRefused.inc();
      // every parallel instance receives (and refuses) the set: one of them reports it
      if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) return;
      LOG.error("Refused a rule set from gf.rules, keeping the one in force: {}", e.getMessage());
      ctx.output(
          DeadLetters.TAG,
          new DeadLetter(
                  InputSource.COMMAND,
                  Reason.INVALID_RULE_SET,
                  e.getMessage(),
                  text,
                  System.currentTimeMillis(),
                  "gf.rules")
              .toJson());
    }
  }

  // ---------------------------------------------------------------- records

  @Override
  public void processElement(Record r, ReadOnlyContext ctx, Collector<Firing> out)
      throws Exception {
    if (!duplicates.firstSighting(r.getRecordId(), ctx.timerService())) return;
    if (passRecords) ctx.output(RECORDS, r);
    RuleSet set = rules(ctx);
    long ts = r.getTs().toEpochMilli();
    GridRules.Known known = gridRules.known(ctx.getCurrentKey());
    if (!known.describedAs(r)) {
      GridInfo info = new GridInfo(r.getGridKind(), r.getStreet(), r.getCommunity());
      if (!info.equals(grid.value())) grid.update(info);
      known.described = info;
    }
    long watermark = ctx.timerService().currentWatermark();
    // (before the first watermark it is Long.MIN_VALUE: subtracting from it would wrap around)
    boolean tooLate =
        watermark > Long.MIN_VALUE + allowedLateness.toMillis()
            && ts < watermark - allowedLateness.toMillis();
    if (tooLate) late.inc();
    coOccurrences.reached(r);
    if ("DEPARTMENT".equals(r.getSource().name())) context.remember(r.getType(), ts);
    boolean observationMoved = !tooLate && r.getDeviceId() != null && absences.observe(ts, known);
    Emitter emit = new Emitter(firings, set.version(), ctx.getCurrentKey(), out);
    RuleIndex inForce = gridRules.indexFor(set, known, ctx.getCurrentKey(), r.getGridKind());
    RuleIndex.Kind kind = inForce.kind(r);
    AbsenceRules.Judging judging =
        inForce.absences().isEmpty() ? null : absences.judging(r, kind, ctx.timerService());
    if (kind != null) evaluate(kind, r, tooLate, observationMoved, judging, ctx, emit);
    // a record that moves the grid's observation concerns every absence rule (rare: the grid's
    // first device record, or an earlier one); otherwise only the rules of its kind
    if (observationMoved) {
      for (Rule.Absence a : kind == null ? inForce.absences() : kind.otherAbsences())
        judging.observationMoved(a, true);
    }
    if (judging != null) judging.finish();
  }

  /**
   * The rules of the record's kind: first its shared windows take it (once for all their rules),
   * then the rules it can satisfy judge it, in the set's order.
   */
  private void evaluate(
      RuleIndex.Kind kind,
      Record r,
      boolean tooLate,
      boolean observationMoved,
      AbsenceRules.Judging judging,
      ReadOnlyContext ctx,
      Emitter emit)
      throws Exception {
    SharedWindow[] shared = kind.windows();
    WindowedRules.Touched[] touched = new WindowedRules.Touched[shared.length];
    LocalTime local = null;
    if (!tooLate) {
      for (int w = 0; w < shared.length; w++) {
        if (shared[w].shape() == SharedWindow.Shape.LASTING && local == null)
          local = windowed.localTime(r.getTs().toEpochMilli());
        touched[w] = windowed.take(shared[w], r, local, ctx.timerService());
      }
    }
    List<Rule> rules = kind.rules();
    for (int position : kind.candidates(r)) {
      Rule rule = rules.get(position);
      if (rule instanceof Rule.Threshold t) {
        threshold(t, r, emit);
      } else if (rule instanceof Rule.Absence a) {
        // no window to miss: a late registration is still a subject to watch (context files are
        // dropped in whenever), a late device record still the device's latest sign of life
        judging.judge(a, position, observationMoved, emit);
      } else if (tooLate) {
        continue;
      } else if (rule instanceof Rule.Consecutive c) {
        windowed.consecutive(c, r, touched[kind.windowOf(position)], emit);
      } else if (rule instanceof Rule.Count c) {
        windowed.count(c, r, touched[kind.windowOf(position)], emit);
      } else if (rule instanceof Rule.CoOccurrence c) {
        coOccurrences.judge(c, r, ctx.timerService(), emit);
      } else if (rule instanceof Rule.Lasting l) {
        windowed.lasting(l, r, touched[kind.windowOf(position)], local, emit);
      }
    }
  }

  private void threshold(Rule.Threshold t, Record r, Emitter emit) throws Exception {
    if (t.match().test(r)) {
      emit.fire(
          t.id(),
          t.title(),
          context.severity(t, t.match().value(r), r.getGridKind(), r.getTs().toEpochMilli()),
          r,
          List.of(r.getRecordId()));
    }
  }

  // ---------------------------------------------------------------- time

  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<Firing> out) throws Exception {
    if (ctx.timeDomain()
        == TimeDomain
            .PROCESSING_TIME) { // only the duplicate filter's sweeps run on processing time
      duplicates.sweep(t, ctx.timerService());
      return;
    }
    RuleSet set = rules(ctx);
    GridInfo info = grid.value();
    RuleIndex index =
        gridRules.indexFor(set, ctx.getCurrentKey(), info == null ? null : info.gridKind());
    List<Rule> inForce = index.all();
    Emitter emit = new Emitter(firings, set.version(), ctx.getCurrentKey(), out);
    // one timer may serve both checks (they round to the same minute): each asks its own due time
    boolean checkSilences = silenceCheck.isDue(t);
    long nextSilence = Long.MAX_VALUE;
    // One pass over the grid's windows and subjects finds the rules with something to look at: a
    // city's hundred co-occurrence and absence rules each looking for themselves made every timer
    // cost hundreds of state reads; only those rules are then visited, in the set's order (a walk
    // over all 1,000 rules per timer was 5 % of a city run).
    Set<String> pairing = index.coOccurrences().isEmpty() ? Set.of() : coOccurrences.pairing();
    AbsenceRules.Check silences = checkSilences ? absences.check() : null;
    Set<String> concerned = pairing;
    if (silences != null) {
      concerned = new HashSet<>(pairing);
      concerned.addAll(silences.ruleIds());
    }
    for (int position : index.timedPositions(concerned)) {
      Rule rule = inForce.get(position);
      if (rule instanceof Rule.CoOccurrence c) {
        if (pairing.contains(c.id())) coOccurrences.unmatched(c, t, info, emit);
      } else if (rule instanceof Rule.Absence a && silences != null) {
        nextSilence = Math.min(nextSilence, silences.silences(a, t, info, emit));
      }
    }
    if (silences != null) {
      silences.finish();
      silenceCheck.rearm(nextSilence, absences.watchesAny(), ctx.timerService());
    }
    if (cleanup.isDue(t)) cleanup.rearm(windowed.prune(index, t), false, ctx.timerService());
  }
}
