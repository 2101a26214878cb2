package org.gridfusion.jobs;

import java.time.Duration;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that a device's clock running ahead cannot pull past the
 * inputs still to come: each input moves event time by the earlier of its {@code ts} and the moment
 * the connector received it. Records keep their {@code ts} as their timestamp; only the watermark
 * is bounded.
 *
 * <p>Why: contract §3 accepts a {@code ts} up to 10 minutes ahead of the receiving connector's
 * clock. With {@code ts} alone, one such device moved its partition's watermark up to 10 minutes
 * past the on-time inputs behind it, and the rules met those behind event time: a camera's {@code
 * FIRE_SUSPECTED} was raised at the end of its window before the smoke reading (on time, a minute
 * older) that confirms it had arrived, then {@code FIRE_CONFIRMED} as well (seed 42's full scenario
 * set: WATER_LEVEL-00353, 9 minutes ahead, received at 21:08 with ts 21:17, before a fire's smoke
 * received at 21:10).
 */
public final class ReceiptBoundWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
  private final ToLongFunction<T> receivedAt;

  public ReceiptBoundWatermarks(Duration outOfOrderness, ToLongFunction<T> receivedAt) {
    super(outOfOrderness);
    this.receivedAt = receivedAt;
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    super.onEvent(event, Math.min(eventTimestamp, receivedAt.applyAsLong(event)), output);
  }
}
