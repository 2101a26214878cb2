package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class ReceiptBoundWatermarksTest {
  static final Instant SMOKE = Instant.parse("2026-11-25T21:10:00Z");
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

  /** An input: its ts and when the connector received it. */
  record Input(Instant ts, Instant receivedAt) {}

  final List<Long> emitted = new ArrayList<>();
  final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
          emitted.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  final ReceiptBoundWatermarks<Input> watermarks =
      new ReceiptBoundWatermarks<>(OUT_OF_ORDERNESS, i -> i.receivedAt().toEpochMilli());

  private void in(Instant ts, Instant receivedAt) {
    watermarks.onEvent(new Input(ts, receivedAt), ts.toEpochMilli(), output);
  }

  private Instant watermark() {
    watermarks.onPeriodicEmit(output);
    return Instant.ofEpochMilli(emitted.get(emitted.size() - 1));
  }

  @Test
  void aClockAheadMovesEventTimeNoFurtherThanWhenItsReadingWasReceived() {
    Instant received = SMOKE.minus(Duration.ofMinutes(2));
    in(received.plus(Duration.ofMinutes(9)), received); // a water gauge 9 min ahead
    assertThat(watermark())
        .as("the smoke received at 21:10 with its own ts is still ahead of event time")
        .isBefore(SMOKE)
        .isEqualTo(received.minus(OUT_OF_ORDERNESS).minusMillis(1));
  }

  @Test
  void onTimeAndLateInputsMoveItByTheirTsAsBefore() {
    in(SMOKE, SMOKE.plusMillis(300)); // on time, a little network delay
    assertThat(watermark()).isEqualTo(SMOKE.minus(OUT_OF_ORDERNESS).minusMillis(1));
    in(SMOKE.minus(Duration.ofMinutes(30)), SMOKE.plusSeconds(1)); // delivered late
    assertThat(watermark()).isEqualTo(SMOKE.minus(OUT_OF_ORDERNESS).minusMillis(1));
  }
}
