package org.gridfusion.jobs.rules;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Rule sets carry no event time. Their stream emits no watermark and declares itself idle at every
 * periodic emit, so the rule operator's watermark — the minimum over its active inputs — is the
 * records' watermark. (Announcing the end of time instead would take over whenever the records went
 * idle and make every record look late; a plain stream without watermarks would hold event time at
 * its start forever.)
 */
public final class RuleSetWatermarks {
  private RuleSetWatermarks() {}

  public static WatermarkStrategy<String> neverHoldBack() {
    return WatermarkStrategy.forGenerator(
        ctx ->
            new WatermarkGenerator<>() {
              @Override
              public void onEvent(String event, long eventTimestamp, WatermarkOutput output) {}

              @Override
              public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
              }
            });
  }
}
