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
 * <p>A device never heard from is not judged (contract §10: "heard from before"), nor is one
 * missing from the device registry. State: the device's last record and whether it is offline, kept
 * while the device is registered; one event-time timer, at the end of the current allowance.
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
    DeviceStatus now =
        new DeviceStatus(
            DeviceStatus.Change.HEARD,
            r.getDeviceId(),
            r.getSource().name(),
            r.getType(),
            r.getGridId(),
            r.getGridKind(),
            r.getStreet(),
            r.getCommunity(),
            r.getLat(),
            r.getLon(),
            r.getRecordId(),
            ts,
            ts);
    last.update(now);
    if (before == null) {
      out.collect(now);
    } else {
      ctx.timerService().deleteEventTimeTimer(before.lastHeard() + silenceAllowed(before));
      if (Boolean.TRUE.equals(offline.value())) {
        offline.clear();
        out.collect(now.as(DeviceStatus.Change.BACK, ts));
      }
    }
    ctx.timerService().registerEventTimeTimer(ts + health.silenceAllowedMs(r));
  }

  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<DeviceStatus> out) throws Exception {
    DeviceStatus s = last.value();
    if (s == null || Boolean.TRUE.equals(offline.value())) return;
    if (s.lastHeard() + silenceAllowed(s) != t) return; // a timer of an earlier record
    offline.update(true);
    out.collect(s.as(DeviceStatus.Change.OFFLINE, t));
  }

  private long silenceAllowed(DeviceStatus s) {
    return health.silenceAllowedMs(s.source(), s.type());
  }
}
