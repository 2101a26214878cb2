package org.gridfusion.launcher.evaluation;

import java.time.Instant;

/**
 * The fields of a {@code gf-alerts} document the evaluator judges. {@code detectedAt} is wall-clock
 * time.
 */
public record AlertRecord(
    String alertId,
    String ruleId,
    String gridId,
    String severity,
    Instant firstSeen,
    Instant detectedAt) {}
