package org.gridfusion.simulator.scenario;

/**
 * A rule in a grid: the unit an alert belongs to (contract §5), and what a scenario can be told to
 * keep away from.
 */
public record RuleGrid(String ruleId, String gridId) {}
