package org.gridfusion.jobs.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
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
 */
public final class IncidentTracker extends KeyedProcessFunction<String, Firing, Alert> {
  public static final Duration DEFAULT_QUIET = Duration.ofMinutes(30);
  public static final String OPEN = "OPEN";
  public static final String CLOSED = "CLOSED";

  /** Evidence kept per alert; the count keeps growing past it. */
  static final int MAX_EVIDENCE = 50;

  private final long quietMs;
  private transient ValueState<Alert> current;
  private transient Counter raised;

  public IncidentTracker(Duration quiet) {
    this.quietMs = quiet.toMillis();
  }

  @Override
  public void open(OpenContext ctx) {
    current = getRuntimeContext().getState(new ValueStateDescriptor<>("incident", Alert.class));
    raised = getRuntimeContext().getMetricGroup().counter("alertsRaised");
  }

  @Override
  public void processElement(Firing f, Context ctx, Collector<Alert> out) throws Exception {
    Alert cur = current.value();
    Alert next;
    if (cur == null || f.ts() > cur.getLastSeen().toEpochMilli() + quietMs) {
      if (cur != null) {
        // The old incident ended before this firing; the watermark just has not reached its end
        // yet. Close it here as its timer would have, so that gf-alerts never keeps it open and
        // the outputs do not depend on whether the firing or the watermark came first.
        long end = cur.getLastSeen().toEpochMilli() + quietMs;
        ctx.timerService().deleteEventTimeTimer(end);
        out.collect(closed(cur, end));
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
    }
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
