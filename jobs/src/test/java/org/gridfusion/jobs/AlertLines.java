package org.gridfusion.jobs;

import java.util.Collection;
import java.util.List;
import org.gridfusion.schema.Alert;
import org.gridfusion.simulator.scenario.ScenarioPlan;

/**
 * Alerts a simulated scenario promises and alerts the job raised, told alike ({@code RULE GRID
 * SEVERITY FIRST_SEEN}, sorted) so that a scenario test compares the two as lists and a failure
 * shows which alert is missing or extra.
 */
final class AlertLines {
  private AlertLines() {}

  /** The alerts {@code plan}'s steps promise. */
  static List<String> expected(ScenarioPlan plan) {
    return plan.expected().stream()
        .map(t -> t.ruleId() + " " + t.gridId() + " " + t.severity() + " " + t.eventTime())
        .sorted()
        .toList();
  }

  /** The alerts raised, each as it ended. */
  static List<String> raised(Collection<Alert> alerts) {
    return alerts.stream()
        .map(
            a ->
                a.getRuleId()
                    + " "
                    + a.getGridId()
                    + " "
                    + a.getSeverity()
                    + " "
                    + a.getFirstSeen())
        .sorted()
        .toList();
  }
}
