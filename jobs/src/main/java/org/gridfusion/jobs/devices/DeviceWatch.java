package org.gridfusion.jobs.devices;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.jobs.reference.ReferenceData;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.Record;

/**
 * One registered device's health (keyed by {@code deviceId}; camera and sensor records only): it is
 * offline once its silence since its last record passes its type's allowance ({@link
 * DeviceHealth#silenceAllowedMs}), back with its next record. Emits the changes ({@link
 * DeviceStatus}: first heard, offline, back) for {@link FeedWatch} to turn into alerts.
 *
 * <p>A record dated past the end of the allowance that arrives before event time reached it
 * (another partition holding the watermark back) shows the outage after the fact: it emits both
 * changes at once, offline dated when the allowance passed and back at the record's time. A record
 * dated exactly at the end is not an outage, as it would not be on time (its watermark comes after
 * it).
 *
 * <p>A device never heard from is not judged (contract §10: "heard from before"), nor is one
 * missing from the device registry. State: the device's last record and whether it is offline, kept
 * while the device is registered; one event-time timer at or before the end of the current
 * allowance, moved on to it when it fires (not with every record).
 */
public final class DeviceWatch extends KeyedProcessFunction<String, Record, DeviceStatus> {
  private final DeviceHealth health;
  private final ReferenceFiles referenceFiles;

  private transient ReferenceData reference;
  private transient ValueState<DeviceStatus> last;
  private transient ValueState<Boolean> offline;

  public DeviceWatch(DeviceHealth health, ReferenceFiles reference) {
    this.health = health;
    this.referenceFiles = reference;
  }

  @Override
  public void open(OpenContext ctx) throws Exception {
    if (health.enabled()) reference = ReferenceData.open(referenceFiles);
    last =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("last-heard", TypeInformation.of(DeviceStatus.class)));
    offline = getRuntimeContext().getState(new ValueStateDescriptor<>("offline", Types.BOOLEAN));
  }

  @Override
  public void close() throws Exception {
    if (reference != null) reference.close();
  }

  @Override
  public void processElement(Record r, Context ctx, Collector<DeviceStatus> out) throws Exception {
    if (!health.enabled()) return;
    if (reference.current().devices().find(r.getDeviceId()).isEmpty()) return;
    long ts = r.getTs().toEpochMilli();
    DeviceStatus before = last.value();
    if (before != null && ts <= before.lastHeard()) return; // an older record changes nothing
    DeviceStatus now = DeviceStatus.heard(r);
    last.update(now);
    long allowed = health.silenceAllowedMs(r);
    long deadline = ts + allowed;
    if (before == null) {
      out.collect(now);
      ctx.timerService().registerEventTimeTimer(deadline);
      return;
    }
    long was =
        before.lastHeard()
            + (before.source().equals(now.source()) && before.type().equals(now.type())
                ? allowed
                : silenceAllowed(before));
    if (Boolean.TRUE.equals(offline.value())) {
      offline.clear();
      out.collect(now.as(DeviceStatus.Change.BACK, ts));
      ctx.timerService().registerEventTimeTimer(deadline); // none is pending while offline
      return;
    }
    if (ts > was) {
      // The record itself shows a silence past the allowance that no timer has raised: it
      // arrived before event time reached the deadline (another partition holds the watermark
      // back). The outage happened all the same: offline dated when the allowance passed, back
      // with this record (as the absence rules do, RuleEngine). FeedWatch judges it by these
      // event times, not by their arrival. The timer pending for it passes itself on (onTimer).
      out.collect(before.as(DeviceStatus.Change.OFFLINE, was));
      out.collect(now.as(DeviceStatus.Change.BACK, ts));
    }
    // A timer at or before the previous deadline is pending, and passes itself on to the device's
    // deadline when it fires (onTimer): one timer per device and silence, instead of a delete and
    // an insert in the timer queue for every record (issue 14: a reading every few seconds, an
    // allowance of hours). Only a deadline sooner than the pending one (another type's shorter
    // allowance) needs a timer of its own.
    if (deadline < was) ctx.timerService().registerEventTimeTimer(deadline);
  }

  /**
   * A timer before the device's deadline passes itself on to it; one at the deadline takes the
   * device offline; one after it was left by a record whose shorter allowance set an earlier one.
   */
  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<DeviceStatus> out) throws Exception {
    DeviceStatus s = last.value();
    if (s == null || Boolean.TRUE.equals(offline.value())) return;
    long deadline = s.lastHeard() + silenceAllowed(s);
    if (t < deadline) {
      // fires in this same watermark's pass when the watermark is already past the deadline
      ctx.timerService().registerEventTimeTimer(deadline);
      return;
    }
    if (t > deadline) return;
    offline.update(true);
    out.collect(s.as(DeviceStatus.Change.OFFLINE, t));
  }

  private long silenceAllowed(DeviceStatus s) {
    return health.silenceAllowedMs(s.source(), s.type());
  }
}
