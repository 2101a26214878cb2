package org.gridfusion.jobs.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.schema.Alert;

/**
 * One alert per incident (contract §5): keyed by rule, grid and subject, a firing within 30 minutes
 * (event time) of the incident's last firing grows that alert ({@code count}, {@code lastSeen},
 * evidence, the highest severity seen); a firing after a longer quiet closes that alert and starts
 * a new one.
 *
 * <p>The alert id is derived from the key and the event time of the incident's first firing, so
 * replaying the same input reproduces the same ids, and Elasticsearch overwrites rather than
 * duplicates. Once the quiet period has passed (an event-time timer), the alert is emitted one last
 * time with status {@code CLOSED} and its state is dropped.
 *
 * <p><b>Late firings never open a second alert.</b> A closed incident's span (first to last firing)
 * is remembered for {@code remember} of event time after it ended (by default the validation
 * horizon, beyond which no record is accepted at all). A firing that arrives after its incident was
 * closed — a record delivered an hour late, judged by a threshold rule — and falls within that span
 * or its quiet period belongs to that incident: it is counted ({@code lateFirings}) and absorbed,
 * never raised as a new alert with a new work order. A late firing of an incident that was never
 * raised still opens one (and it closes at the next watermark).
 */
public final class IncidentTracker extends KeyedProcessFunction<String, Firing, Alert> {
  public static final Duration DEFAULT_QUIET = Duration.ofMinutes(30);
  public static final String OPEN = "OPEN";
  public static final String CLOSED = "CLOSED";

  /** Evidence kept per alert; the count keeps growing past it. */
  static final int MAX_EVIDENCE = 50;

  private final long quietMs;
  private final long rememberMs;
  private transient ValueState<Alert> current;

  /** Closed incidents of this key: first firing -> last firing (event time). */
  private transient MapState<Long, Long> ended;

  private transient Counter raised;
  private transient Counter lateFirings;

  public IncidentTracker(Duration quiet) {
    this(quiet, TimeWindow.CONTRACT_DEFAULT.horizon());
  }

  /**
   * @param remember how long (event time) after a closed incident's end a late firing is still
   *     recognised as one of its own: no record older than the validation horizon is accepted, so
   *     that horizon is enough for every firing there can be
   */
  public IncidentTracker(Duration quiet, Duration remember) {
    this.quietMs = quiet.toMillis();
    this.rememberMs = remember.toMillis();
  }

  @Override
  public void open(OpenContext ctx) {
    current = getRuntimeContext().getState(new ValueStateDescriptor<>("incident", Alert.class));
    ended =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("ended-incidents", Types.LONG, Types.LONG));
    raised = getRuntimeContext().getMetricGroup().counter("alertsRaised");
    lateFirings = getRuntimeContext().getMetricGroup().counter("lateFirings");
  }

  @Override
  public void processElement(Firing f, Context ctx, Collector<Alert> out) throws Exception {
    Alert cur = current.value();
    boolean ofTheOpenIncident =
        cur != null && f.ts() >= cur.getFirstSeen().toEpochMilli() - quietMs;
    if (!ofTheOpenIncident && absorbedByEndedIncident(f.ts(), ctx)) return;
    Alert next;
    if (cur == null || f.ts() > cur.getLastSeen().toEpochMilli() + quietMs) {
      if (cur != null) {
        // The old incident ended before this firing; the watermark just has not reached its end
        // yet. Close it here as its timer would have, so that gf-alerts never keeps it open and
        // the outputs do not depend on whether the firing or the watermark came first.
        long end = cur.getLastSeen().toEpochMilli() + quietMs;
        ctx.timerService().deleteEventTimeTimer(end);
        out.collect(closed(cur, end));
        remember(cur, ctx);
      }
      next = open(f);
      raised.inc();
    } else {
      ctx.timerService().deleteEventTimeTimer(cur.getLastSeen().toEpochMilli() + quietMs);
      next = grow(cur, f);
    }
    current.update(next);
    ctx.timerService().registerEventTimeTimer(next.getLastSeen().toEpochMilli() + quietMs);
    out.collect(next);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    Alert cur = current.value();
    if (cur != null && cur.getLastSeen().toEpochMilli() + quietMs <= timestamp) {
      current.clear();
      // say the incident is over, so its alert document and the grid's risk score stop counting it
      // as open
      out.collect(closed(cur, timestamp));
      remember(cur, ctx);
    }
    // forget closed incidents no late firing can belong to any more
    Iterator<Map.Entry<Long, Long>> it = ended.iterator();
    while (it.hasNext()) {
      if (it.next().getValue() + quietMs + rememberMs <= timestamp) it.remove();
    }
    if (ended.isEmpty()) ended.clear(); // an empty map would still be an entry of the key's state
  }

  /** Keeps a closed incident's span, to recognise its late firings. */
  private void remember(Alert closed, Context ctx) throws Exception {
    long last = closed.getLastSeen().toEpochMilli();
    ended.put(closed.getFirstSeen().toEpochMilli(), last);
    ctx.timerService().registerEventTimeTimer(last + quietMs + rememberMs);
  }

  /**
   * Whether a firing belongs to an incident already closed (within its span or its quiet period
   * either side): it would have grown that incident had it come in time. Its span then takes it in,
   * so a run of late firings stays with that incident too.
   */
  private boolean absorbedByEndedIncident(long ts, Context ctx) throws Exception {
    for (Map.Entry<Long, Long> e : ended.entries()) {
      long first = e.getKey();
      long last = e.getValue();
      if (ts >= first - quietMs && ts <= last + quietMs) {
        lateFirings.inc();
        if (ts > last) {
          ended.put(first, ts);
          ctx.timerService().registerEventTimeTimer(ts + quietMs + rememberMs);
        } else if (ts < first) {
          ended.remove(first);
          ended.put(ts, last);
        }
        return true;
      }
    }
    return false;
  }

  private static Alert closed(Alert cur, long at) {
    return Alert.newBuilder(cur)
        .setStatus(CLOSED)
        .setClosedAt(Instant.ofEpochMilli(at))
        .setDetectedAt(Instant.now())
        .build();
  }

  static String alertId(Firing f) {
    return f.ruleId()
        + "."
        + f.gridId()
        + (f.subjectRef() == null ? "" : "." + f.subjectRef())
        + "."
        + f.ts();
  }

  private static Alert open(Firing f) {
    Instant ts = Instant.ofEpochMilli(f.ts());
    return Alert.newBuilder()
        .setAlertId(alertId(f))
        .setRuleId(f.ruleId())
        .setRuleVersion(f.ruleVersion())
        .setTitle(f.title())
        .setSeverity(f.severity())
        .setGridId(f.gridId())
        .setGridKind(f.gridKind())
        .setStreet(f.street())
        .setCommunity(f.community())
        .setLat(f.lat())
        .setLon(f.lon())
        .setSubjectRef(f.subjectRef())
        .setFirstSeen(ts)
        .setLastSeen(ts)
        .setCount(1)
        .setEvidence(
            new ArrayList<>(f.evidence().subList(0, Math.min(MAX_EVIDENCE, f.evidence().size()))))
        .setStatus(OPEN)
        .setDetectedAt(Instant.now())
        .build();
  }

  private static Alert grow(Alert cur, Firing f) {
    List<String> evidence = new ArrayList<>(cur.getEvidence());
    for (String id : f.evidence()) {
      if (evidence.size() < MAX_EVIDENCE && !evidence.contains(id)) evidence.add(id);
    }
    Instant ts = Instant.ofEpochMilli(f.ts());
    return Alert.newBuilder(cur)
        .setRuleVersion(f.ruleVersion())
        .setSeverity(
            f.severity().ordinal() > cur.getSeverity().ordinal() ? f.severity() : cur.getSeverity())
        .setLastSeen(ts.isAfter(cur.getLastSeen()) ? ts : cur.getLastSeen())
        .setCount(cur.getCount() + 1)
        .setEvidence(evidence)
        .setDetectedAt(Instant.now())
        .build();
  }
}
