package org.gridfusion.jobs.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.schema.Alert;

/**
 * Links the alerts of one event (issue 16): keyed by grid, an alert of another rule whose first
 * firing falls within {@code window} (event time) of an incident's alerts joins that incident and
 * carries its {@code incidentId}; any other alert starts an incident of its own ({@code incidentId}
 * = its {@code alertId}). A fire (FIRE_CONFIRMED) followed minutes later by a crowd at it
 * (CROWD_GATHERING) is then one incident, and the work-order loop, keyed by incident, gives the
 * street one order for it with both alerts attached.
 *
 * <p>Rules of the link, chosen so that it is predictable: an incident takes at most one alert per
 * rule (a rule's next alert in a grid comes after 30 min of quiet and is a new event, contract §5,
 * and two subjects' alerts of one rule are two events); an alert is compared with the span of the
 * incident's alerts (first firing − window … latest firing + window), so the order in which alerts
 * of different rules reach this operator does not matter; among several incidents that would take
 * it, the one with the latest firing wins. An alert's updates keep the incident it got first.
 *
 * <p>State: per grid, one small entry per alert of an incident still live. An incident is forgotten
 * once all its alerts are closed and the window has passed after the last of them closed (an
 * event-time timer), so a grid's state holds only the last hour or so of alerts. With a window of 0
 * nothing is kept and every alert is its own incident (round-1 behaviour: one order per alert, with
 * the same order ids).
 */
public final class IncidentLinker extends KeyedProcessFunction<String, Alert, Alert> {
  private final long windowMs;
  private transient MapState<String, LinkedAlert> alerts;
  private transient Counter linked;

  public IncidentLinker(Duration window) {
    this.windowMs = window.toMillis();
  }

  /** The incident id of an alert that is an incident of its own. */
  public static String ownIncident(Alert a) {
    return a.getAlertId();
  }

  @Override
  public void open(OpenContext ctx) {
    alerts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "linked-alerts", Types.STRING, TypeInformation.of(LinkedAlert.class)));
    linked = getRuntimeContext().getMetricGroup().counter("alertsLinked");
  }

  @Override
  public void processElement(Alert a, Context ctx, Collector<Alert> out) throws Exception {
    if (windowMs == 0) {
      out.collect(withIncident(a, ownIncident(a)));
      return;
    }
    LinkedAlert me = alerts.get(a.getAlertId());
    if (me == null) {
      // An alert's first update has count 1; one met later (open before an upgrade that added
      // this operator) already has its order, WO. + its alertId: it stays its own incident.
      String incident = a.getCount() == 1 ? incidentToJoin(a) : null;
      if (incident == null) {
        incident = ownIncident(a);
      } else {
        linked.inc();
      }
      me =
          new LinkedAlert(
              incident,
              a.getRuleId(),
              a.getFirstSeen().toEpochMilli(),
              a.getLastSeen().toEpochMilli());
    } else {
      me.lastSeen = Math.max(me.lastSeen, a.getLastSeen().toEpochMilli());
    }
    if (IncidentTracker.CLOSED.equals(a.getStatus()) && me.open()) {
      me.closedAt =
          a.getClosedAt() != null ? a.getClosedAt().toEpochMilli() : a.getLastSeen().toEpochMilli();
      ctx.timerService().registerEventTimeTimer(me.closedAt + windowMs);
    }
    alerts.put(a.getAlertId(), me);
    out.collect(withIncident(a, me.incidentId));
  }

  /** Forgets the incidents whose alerts are all closed, a window ago. */
  @Override
  public void onTimer(long ts, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    Map<String, Span> incidents = incidents();
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, LinkedAlert> e : alerts.entries()) {
      Span s = incidents.get(e.getValue().incidentId);
      if (!s.open && s.lastClosed + windowMs <= ts) gone.add(e.getKey());
    }
    for (String alertId : gone) alerts.remove(alertId);
    if (alerts.isEmpty()) alerts.clear(); // an empty map would still be an entry of the key's state
  }

  /** The live incident a new alert belongs to, or null. */
  private String incidentToJoin(Alert a) throws Exception {
    long first = a.getFirstSeen().toEpochMilli();
    String best = null;
    Span bestSpan = null;
    for (Map.Entry<String, Span> e : incidents().entrySet()) {
      Span s = e.getValue();
      boolean near = first >= s.first - windowMs && first <= s.last + windowMs;
      if (!near || s.rules.contains(a.getRuleId())) continue;
      if (bestSpan == null
          || s.last > bestSpan.last
          || (s.last == bestSpan.last && e.getKey().compareTo(best) < 0)) {
        best = e.getKey();
        bestSpan = s;
      }
    }
    return best;
  }

  private Map<String, Span> incidents() throws Exception {
    Map<String, Span> incidents = new HashMap<>();
    for (LinkedAlert l : alerts.values()) {
      incidents.computeIfAbsent(l.incidentId, id -> new Span()).add(l);
    }
    return incidents;
  }

  private static Alert withIncident(Alert a, String incidentId) {
    return Alert.newBuilder(a).setIncidentId(incidentId).build();
  }

  /** The alerts of one incident together. */
  private static final class Span {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long lastClosed = Long.MIN_VALUE;
    boolean open;
    final Set<String> rules = new HashSet<>();

    void add(LinkedAlert l) {
      first = Math.min(first, l.firstSeen);
      last = Math.max(last, l.lastSeen);
      open |= l.open();
      lastClosed = Math.max(lastClosed, l.closedAt);
      rules.add(l.ruleId);
    }
  }
}
