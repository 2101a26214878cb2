package org.gridfusion.simulator.scenario;

import java.time.Instant;

/**
 * The alert an incident must produce: which rule, in which grid, how severe, and the event time of
 * the first firing (the alert's {@code firstSeen}).
 */
public record GroundTruth(String ruleId, String gridId, Severity severity, Instant eventTime) {}
