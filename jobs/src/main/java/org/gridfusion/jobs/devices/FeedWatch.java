package org.gridfusion.jobs.devices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;

/**
 * {@code DEVICE_OFFLINE} alerts (contract §10) for one feed (keyed by the feed: {@code CAMERA} or
 * {@code SENSOR}), from the {@link DeviceStatus} changes of its devices: one GENERAL alert per
 * device outage, {@code CLOSED} when the device reports again — unless most of the feed went silent
 * together, which is one alert for the feed (gridId {@code *}) instead of one per device.
 *
 * <p>A device's outage waits {@link DeviceHealth#feedGrace()} (event time) before it is raised
 * alone: when a bridge or a camera platform goes down, its devices pass their allowances within
 * moments of each other, and the grace lets the count of silent devices reach the feed's threshold
 * ({@link DeviceHealth#isFeedOutage}) first. The feed alert grows ({@code count} = devices silent,
 * evidence their last records) while more fall silent and closes once fewer than the threshold are
 * still silent; devices still silent then are judged alone after another grace. A device already
 * raised alone when the feed goes down (dead for hours) counts towards the threshold but keeps its
 * own alert: the feed's alert names and dates only the others, and its closing raises it no second
 * time. Alerts bypass the incident tracker: they close when the device is back, not after 30 quiet
 * minutes, and, GENERAL, open no work order.
 *
 * <p>Back within the grace is decided by event times, not by arrival: a device whose return is
 * dated within the grace of its outage raises nothing; one whose return is dated later was still
 * silent at its verdict, even when the return arrived first. That happens when {@link DeviceWatch}
 * sees an outage only after the fact (offline and back at once, the watermark held back by another
 * partition) or when the watermark has not yet reached the verdict. Such a return is held until
 * event time reaches it: the verdict counts the device as silent (so a feed whose devices all show
 * their silence after the fact is still one feed alert, and a device alone is one alert), and the
 * alert, opened at the verdict, closes with the return. A device's alert is therefore always opened
 * and then closed, never born closed, and a return never overtakes the verdict on its outage.
 *
 * <p>State per feed: how many devices were ever heard from, those now offline, those waiting for
 * the grace, returns held until event time reaches them, the open device alerts and the feed alert;
 * one event-time timer per grace end and per held return.
 */
public final class FeedWatch extends KeyedProcessFunction<String, DeviceStatus, Alert> {
  public static final String RULE_ID = "DEVICE_OFFLINE";
  public static final String RULE_VERSION = "device-health";
  public static final String FEED_GRID = "*";

  static final int MAX_EVIDENCE = 50;

  private static final Comparator<DeviceStatus> BY_TIME =
      Comparator.comparingLong(DeviceStatus::at).thenComparing(DeviceStatus::deviceId);

  private final DeviceHealth health;

  private transient ValueState<Integer> known;
  private transient ValueState<Integer> offlineCount;
  private transient MapState<String, DeviceStatus> offline;
  private transient MapState<String, DeviceStatus> waiting;
  private transient MapState<String, DeviceStatus> returning;
  private transient MapState<String, Alert> open;
  private transient ValueState<Alert> feed;
  private transient Counter raised;

  public FeedWatch(DeviceHealth health) {
    this.health = health;
  }

  @Override
  public void open(OpenContext ctx) {
    var rc = getRuntimeContext();
    TypeInformation<DeviceStatus> status = TypeInformation.of(DeviceStatus.class);
    known = rc.getState(new ValueStateDescriptor<>("known-devices", Types.INT));
    offlineCount = rc.getState(new ValueStateDescriptor<>("offline-devices", Types.INT));
    offline = rc.getMapState(new MapStateDescriptor<>("offline", Types.STRING, status));
    waiting = rc.getMapState(new MapStateDescriptor<>("waiting", Types.STRING, status));
    returning = rc.getMapState(new MapStateDescriptor<>("returning", Types.STRING, status));
    open =
        rc.getMapState(
            new MapStateDescriptor<>("open", Types.STRING, new AvroTypeInfo<>(Alert.class)));
    feed = rc.getState(new ValueStateDescriptor<>("feed", new AvroTypeInfo<>(Alert.class)));
    raised = rc.getMetricGroup().counter("devicesOfflineRaised");
  }

  @Override
  public void processElement(DeviceStatus s, Context ctx, Collector<Alert> out) throws Exception {
    switch (s.change()) {
      case HEARD -> known.update(known() + 1);
      case OFFLINE -> {
        // a return still held for this device came first in event time: apply it before
        DeviceStatus held = returning.get(s.deviceId());
        if (held != null) {
          returning.remove(s.deviceId());
          back(held, ctx.timerService(), out);
        }
        if (!offline.contains(s.deviceId())) offlineCount.update(offlineCount() + 1);
        offline.put(s.deviceId(), s);
        Alert f = feed.value();
        if (f != null) {
          grow(f, s, out);
        } else {
          waiting.put(s.deviceId(), s);
          ctx.timerService().registerEventTimeTimer(s.at() + health.feedGrace().toMillis());
        }
      }
      case BACK -> {
        DeviceStatus w = waiting.get(s.deviceId());
        if (w != null && s.at() > w.at() + health.feedGrace().toMillis()) {
          // still silent at its verdict by event time, though the return arrived first (an outage
          // seen after the fact, or a verdict the watermark has not reached): judged then, as
          // silent, and back when event time reaches the return
          returning.put(s.deviceId(), s);
          ctx.timerService().registerEventTimeTimer(s.at());
        } else {
          back(s, ctx.timerService(), out);
        }
      }
    }
  }

  /** {@code s}'s device reports again: its alert, and perhaps the feed's, closes. */
  private void back(DeviceStatus s, TimerService timers, Collector<Alert> out) throws Exception {
    if (offline.contains(s.deviceId())) {
      offline.remove(s.deviceId());
      int left = offlineCount() - 1;
      if (left > 0) offlineCount.update(left);
      else offlineCount.clear();
    }
    waiting.remove(s.deviceId()); // back within the grace: nothing to say
    Alert a = open.get(s.deviceId());
    if (a != null) {
      open.remove(s.deviceId());
      out.collect(closed(a, s.at()));
    }
    Alert f = feed.value();
    if (f != null && !health.isFeedOutage(offlineCount(), known())) {
      feed.clear();
      out.collect(closed(f, s.at()));
      // the feed is back; whoever is still silent is judged alone (one raised alone before the
      // feed went down keeps its alert)
      long decide = s.at() + health.feedGrace().toMillis();
      boolean any = false;
      for (Map.Entry<String, DeviceStatus> e : offline.entries()) {
        if (open.contains(e.getKey())) continue;
        waiting.put(e.getKey(), e.getValue().as(DeviceStatus.Change.OFFLINE, s.at()));
        any = true;
      }
      if (any) timers.registerEventTimeTimer(decide);
    }
  }

  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    judge(t, out);
    // then the returns held until event time reached them, in event-time order
    List<DeviceStatus> back = new ArrayList<>();
    for (DeviceStatus s : returning.values()) if (s.at() <= t) back.add(s);
    back.sort(BY_TIME);
    for (DeviceStatus s : back) {
      returning.remove(s.deviceId());
      back(s, ctx.timerService(), out);
    }
  }

  /** The verdicts due at {@code t}: the feed down, or each device alone. */
  private void judge(long t, Collector<Alert> out) throws Exception {
    long grace = health.feedGrace().toMillis();
    List<DeviceStatus> due = new ArrayList<>();
    for (DeviceStatus s : waiting.values()) if (s.at() + grace <= t) due.add(s);
    if (due.isEmpty()) return;
    for (DeviceStatus s : due) waiting.remove(s.deviceId());
    if (feed.value() == null && health.isFeedOutage(offlineCount(), known())) {
      // the earliest outage names the feed's alert, so a replay gives it the same id; a device
      // raised alone before (a dead one) keeps its own alert and is not part of the feed's
      List<DeviceStatus> silent = new ArrayList<>();
      for (DeviceStatus s : offline.values()) if (!open.contains(s.deviceId())) silent.add(s);
      silent.sort(BY_TIME);
      Alert f = feedAlert(silent.get(0));
      for (DeviceStatus s : silent.subList(1, silent.size())) f = grown(f, s);
      feed.update(f);
      raised.inc();
      out.collect(f);
      waiting.clear(); // the feed alert speaks for them all
      return;
    }
    if (feed.value() != null) return; // covered by the feed's alert
    due.sort(BY_TIME);
    for (DeviceStatus s : due) {
      Alert a = deviceAlert(s);
      open.put(s.deviceId(), a);
      raised.inc();
      out.collect(a);
    }
  }

  private void grow(Alert f, DeviceStatus s, Collector<Alert> out) throws Exception {
    Alert g = grown(f, s);
    feed.update(g);
    out.collect(g);
  }

  private int known() throws Exception {
    Integer n = known.value();
    return n == null ? 0 : n;
  }

  private int offlineCount() throws Exception {
    Integer n = offlineCount.value();
    return n == null ? 0 : n;
  }

  private static Alert deviceAlert(DeviceStatus s) {
    Instant at = Instant.ofEpochMilli(s.at());
    return Alert.newBuilder()
        .setAlertId(RULE_ID + "." + s.gridId() + "." + s.deviceId() + "." + s.at())
        .setRuleId(RULE_ID)
        .setRuleVersion(RULE_VERSION)
        .setTitle("Device offline: " + s.deviceId())
        .setSeverity(Severity.GENERAL)
        .setGridId(s.gridId())
        .setGridKind(s.gridKind())
        .setStreet(s.street())
        .setCommunity(s.community())
        .setLat(s.lat())
        .setLon(s.lon())
        .setSubjectRef(null)
        .setFirstSeen(at)
        .setLastSeen(at)
        .setCount(1)
        .setEvidence(new ArrayList<>(List.of(s.lastRecordId())))
        .setStatus(IncidentTracker.OPEN)
        .setDetectedAt(Instant.now())
        .build();
  }

  private static Alert feedAlert(DeviceStatus s) {
    Instant at = Instant.ofEpochMilli(s.at());
    return Alert.newBuilder()
        .setAlertId(RULE_ID + "." + FEED_GRID + "." + s.source() + "." + s.at())
        .setRuleId(RULE_ID)
        .setRuleVersion(RULE_VERSION)
        .setTitle("Feed offline: " + s.source())
        .setSeverity(Severity.GENERAL)
        .setGridId(FEED_GRID)
        .setGridKind(null)
        .setStreet(null)
        .setCommunity(null)
        .setLat(s.lat())
        .setLon(s.lon())
        .setSubjectRef(null)
        .setFirstSeen(at)
        .setLastSeen(at)
        .setCount(1)
        .setEvidence(new ArrayList<>(List.of(s.lastRecordId())))
        .setStatus(IncidentTracker.OPEN)
        .setDetectedAt(Instant.now())
        .build();
  }

  /** The feed alert with one more silent device: {@code count} is how many devices. */
  private static Alert grown(Alert f, DeviceStatus s) {
    List<String> evidence = new ArrayList<>(f.getEvidence());
    if (evidence.size() < MAX_EVIDENCE && !evidence.contains(s.lastRecordId()))
      evidence.add(s.lastRecordId());
    Instant at = Instant.ofEpochMilli(s.at());
    Instant first = at.isBefore(f.getFirstSeen()) ? at : f.getFirstSeen();
    return Alert.newBuilder(f)
        .setFirstSeen(first)
        .setLastSeen(at.isAfter(f.getLastSeen()) ? at : f.getLastSeen())
        .setCount(f.getCount() + 1)
        .setEvidence(evidence)
        .setDetectedAt(Instant.now())
        .build();
  }

  /**
   * Closed at {@code at}, the returning record's time, but never before it opened: a backlog
   * delivered late (a bridge down, its broker keeping the readings) brings records dated inside the
   * silence; the outage was one of delivery and ends when the first of them arrives.
   */
  private static Alert closed(Alert a, long at) {
    long end = Math.max(at, a.getFirstSeen().toEpochMilli());
    return Alert.newBuilder(a)
        .setStatus(IncidentTracker.CLOSED)
        .setClosedAt(Instant.ofEpochMilli(end))
        .setDetectedAt(Instant.now())
        .build();
  }
}
