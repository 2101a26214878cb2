package org.gridfusion.simulator.traffic;

/**
 * One source's totals since the start of a simulation, and rates over the last progress interval.
 *
 * @param generated messages taken from the generator (good, duplicate and bad)
 */
public record SourceProgress(
    long generated,
    long sent,
    long acknowledged,
    long failed,
    long rejected,
    double sentPerSecond,
    double acknowledgedPerSecond,
    double failedPerSecond) {}
