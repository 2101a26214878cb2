package org.gridfusion.jobs.rules;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Rule sets carry no event time. Their stream announces the end of time, so that the rule operator's
 * watermark — the minimum of its inputs — is the records' watermark and a quiet rules topic never
 * holds event time back.
 */
public final class RuleSetWatermarks {
  private RuleSetWatermarks() {}

  public static WatermarkStrategy<String> neverHoldBack() {
    return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
      @Override
      public void onEvent(String event, long eventTimestamp, WatermarkOutput output) {}

      @Override
      public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
      }
    });
  }
}
