package org.gridfusion.simulator.scenario;

import java.time.Instant;

/**
 * The alert an incident must produce: which rule, in which grid, how severe, the event time of the
 * first firing (the alert's {@code firstSeen}), and the event time from which the pipeline can know
 * it ({@code detectableAt}). The two differ for rules that wait for time to pass: a suspected fire
 * is dated by its smoke reading but only known once the five-minute partner window has closed.
 */
public record GroundTruth(
    String ruleId, String gridId, Severity severity, Instant eventTime, Instant detectableAt) {

  public GroundTruth {
    if (detectableAt.isBefore(eventTime)) {
      throw new IllegalArgumentException(
          "detectableAt " + detectableAt + " before eventTime " + eventTime);
    }
  }

  /** An alert that can be raised as soon as the input dated {@code eventTime} arrives. */
  public GroundTruth(String ruleId, String gridId, Severity severity, Instant eventTime) {
    this(ruleId, gridId, severity, eventTime, eventTime);
  }
}
