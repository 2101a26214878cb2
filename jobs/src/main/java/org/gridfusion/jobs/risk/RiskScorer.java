package org.gridfusion.jobs.risk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.jobs.reference.Grid;
import org.gridfusion.jobs.reference.ReferenceData;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.RiskFactor;
import org.gridfusion.schema.RiskScore;

/**
 * Keeps each grid's risk score (keyed by gridId) from its records' {@link RiskEvidence} and its
 * alerts, and emits it (contract §4): at once when the level changes, and on each minute of event
 * time while the score is moving (decaying activity, closed alerts fading) and has changed since
 * the last emission. A grid left with nothing that moves stops its minute timer; a grid left with
 * nothing at all drops its state.
 *
 * <p>State per grid is small and bounded: one decaying sum per record type, one entry per alert of
 * the last 24 h, one per context fact.
 */
public final class RiskScorer
    extends KeyedCoProcessFunction<String, RiskEvidence, Alert, RiskScore> {
  static final long MINUTE = 60_000L;

  /**
   * Smallest change worth a new point in the time series (the score is reported to one decimal).
   */
  static final double CHANGE = 0.1;

  private final RiskFormula formula;
  private final ReferenceFiles referenceFiles;

  private transient ReferenceData reference;
  private transient ReferenceData.Snapshot countedFrom;
  private transient Map<String, Integer> devicesPerGrid;
  private transient MapState<String, Activity> activity;
  private transient MapState<String, AlertFact> alerts;
  private transient MapState<String, ContextFact> context;
  private transient ValueState<LastScore> last;
  private transient ValueState<Long> timer;
  private transient Counter emitted;

  public RiskScorer(RiskWeights weights, ReferenceFiles reference) {
    this.formula = new RiskFormula(weights);
    this.referenceFiles = reference;
  }

  @Override
  public void open(OpenContext ctx) throws Exception {
    reference = ReferenceData.open(referenceFiles);
    var rc = getRuntimeContext();
    activity = rc.getMapState(new MapStateDescriptor<>("activity", String.class, Activity.class));
    alerts = rc.getMapState(new MapStateDescriptor<>("alerts", String.class, AlertFact.class));
    context = rc.getMapState(new MapStateDescriptor<>("context", String.class, ContextFact.class));
    last = rc.getState(new ValueStateDescriptor<>("last", LastScore.class));
    timer = rc.getState(new ValueStateDescriptor<>("timer", Long.class));
    emitted = rc.getMetricGroup().counter("riskScoresEmitted");
  }

  @Override
  public void close() throws Exception {
    if (reference != null) reference.close(); // its gf.reference consumer, when read from Kafka
  }

  @Override
  public void processElement1(RiskEvidence e, Context ctx, Collector<RiskScore> out)
      throws Exception {
    if (e.isContext()) {
      // the same fact re-sent (a department's register exported again) refreshes it, it does not
      // add to it
      ContextFact c = context.get(e.factKey);
      if (c != null && c.lastSeen >= e.ts) return;
      context.put(e.factKey, new ContextFact(e.type, e.ts));
    } else {
      Activity a = activity.get(e.type);
      if (a == null) {
        a = new Activity(e.type, e.weight, e.ts);
      } else {
        a.add(e.weight, e.ts, formula.weights());
      }
      activity.put(e.type, a);
    }
    changed(e.ts, ctx, out);
  }

  @Override
  public void processElement2(Alert a, Context ctx, Collector<RiskScore> out) throws Exception {
    long ts = ctx.timestamp() != null ? ctx.timestamp() : a.getLastSeen().toEpochMilli();
    AlertFact f = alerts.get(a.getAlertId());
    if (f == null)
      f = new AlertFact(a.getRuleId(), a.getSeverity().name(), a.getLastSeen().toEpochMilli());
    f.severity = a.getSeverity().name(); // an incident may have grown more severe
    f.lastSeen = Math.max(f.lastSeen, a.getLastSeen().toEpochMilli());
    if (IncidentTracker.CLOSED.equals(a.getStatus())) {
      f.open = false;
      f.closedAt = a.getClosedAt() != null ? a.getClosedAt().toEpochMilli() : ts;
    } else {
      f.open = true;
    }
    alerts.put(a.getAlertId(), f);
    changed(ts, ctx, out);
  }

  @Override
  public void onTimer(long at, OnTimerContext ctx, Collector<RiskScore> out) throws Exception {
    timer.clear();
    prune(at);
    RiskFormula.Assessment s = assess(ctx.getCurrentKey(), at);
    LastScore prev = last.value();
    if (prev == null
        || Math.abs(s.score() - prev.score) >= CHANGE - 1e-9
        || !s.level().name().equals(prev.level)) {
      emit(ctx.getCurrentKey(), s, at, prev, out);
    }
    if (s.decaying()) {
      schedule(at + MINUTE, ctx);
    } else if (!context.isEmpty()) {
      long expiry = Long.MAX_VALUE;
      for (ContextFact c : context.values())
        expiry = Math.min(expiry, c.lastSeen + formula.weights().contextTtl().toMillis() + 1);
      schedule(expiry, ctx);
    } else if (alerts.isEmpty() && activity.isEmpty()) {
      last.clear(); // nothing left: the grid is back to its standing score, which the last emission
      // shows
    }
  }

  /**
   * Something was added at {@code ts}: emit now if the level moved, and make sure the minute timer
   * runs.
   */
  private void changed(long ts, Context ctx, Collector<RiskScore> out) throws Exception {
    LastScore prev = last.value();
    long at = prev == null ? ts : Math.max(ts, prev.ts);
    RiskFormula.Assessment s = assess(ctx.getCurrentKey(), at);
    if (prev == null || !s.level().name().equals(prev.level)) {
      emit(ctx.getCurrentKey(), s, at, prev, out);
    }
    schedule((at / MINUTE + 1) * MINUTE, ctx);
  }

  private void schedule(long when, Context ctx) throws Exception {
    Long current = timer.value();
    if (current != null && current <= when) return;
    if (current != null) ctx.timerService().deleteEventTimeTimer(current);
    ctx.timerService().registerEventTimeTimer(when);
    timer.update(when);
  }

  private RiskFormula.Assessment assess(String gridId, long at) throws Exception {
    ReferenceData.Snapshot snapshot = reference.current();
    Grid grid = snapshot.grids().grid(gridId).orElse(null);
    return formula.assess(
        grid,
        devicesIn(snapshot, gridId),
        context.values(),
        activity.values(),
        alerts.values(),
        at);
  }

  /** Registered devices per grid, counted once per reference snapshot. */
  private int devicesIn(ReferenceData.Snapshot snapshot, String gridId) {
    if (snapshot != countedFrom) {
      Map<String, Integer> counts = new HashMap<>();
      for (Grid g : snapshot.deviceGrids().values()) counts.merge(g.gridId(), 1, Integer::sum);
      devicesPerGrid = counts;
      countedFrom = snapshot;
    }
    return devicesPerGrid.getOrDefault(gridId, 0);
  }

  /**
   * @param prev the grid's last emission, if any
   */
  private void emit(
      String gridId, RiskFormula.Assessment s, long at, LastScore prev, Collector<RiskScore> out)
      throws Exception {
    // One point per instant and grid: a second emission at the instant of the last one (more
    // evidence
    // of that same instant, or late evidence counted at the grid's "now") is dated a millisecond
    // later,
    // so it neither overwrites the first in gf-grid-risk (_id gridId@ts) nor races it, in another
    // bulk,
    // for gf-grid-status (versioned by ts).
    if (prev != null && at == prev.ts) at++;
    Grid grid = reference.current().grids().grid(gridId).orElse(null);
    List<RiskFactor> factors = new ArrayList<>(s.factors().size());
    for (RiskFormula.Factor f : s.factors()) factors.add(new RiskFactor(f.name(), f.points()));
    out.collect(
        RiskScore.newBuilder()
            .setGridId(gridId)
            .setTs(Instant.ofEpochMilli(at))
            .setScore(s.score())
            .setLevel(s.level())
            .setFactors(factors)
            .setOpenAlerts(s.openAlerts())
            .setGridName(grid == null ? null : grid.name())
            .setGridKind(grid == null ? null : grid.kind().name())
            .setStreet(grid == null ? null : grid.street())
            .setCommunity(grid == null ? null : grid.community())
            .setLat(grid == null ? 0 : grid.centroidLat())
            .setLon(grid == null ? 0 : grid.centroidLon())
            .build());
    last.update(new LastScore(s.score(), s.level().name(), at));
    emitted.inc();
  }

  /**
   * Forgets what can no longer count: activity and closed alerts older than 24 h or faded, expired
   * context.
   */
  private void prune(long at) throws Exception {
    RiskWeights w = formula.weights();
    long horizon = RiskWeights.HORIZON.toMillis();
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, Activity> e : activity.entries()) {
      Activity a = e.getValue();
      if (at - a.lastTs > horizon || a.pointsAt(at, w) < RiskFormula.NEGLIGIBLE)
        drop.add(e.getKey());
    }
    for (String k : drop) activity.remove(k);
    drop.clear();
    for (Map.Entry<String, AlertFact> e : alerts.entries()) {
      AlertFact f = e.getValue();
      if (!f.openAt(at)
          && (at - f.endsAt() > horizon
              || w.alert().getOrDefault(f.severity, 0.0) * w.decay(at - f.endsAt())
                  < RiskFormula.NEGLIGIBLE)) {
        drop.add(e.getKey());
      }
    }
    for (String k : drop) alerts.remove(k);
    drop.clear();
    for (Map.Entry<String, ContextFact> e : context.entries()) {
      if (at - e.getValue().lastSeen > w.contextTtl().toMillis()) drop.add(e.getKey());
    }
    for (String k : drop) context.remove(k);
  }
}
