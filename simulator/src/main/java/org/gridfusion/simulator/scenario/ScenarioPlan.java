package org.gridfusion.simulator.scenario;

import java.time.Instant;
import java.util.List;

/**
 * A scenario placed in a district at a start time: the steps in event-time order and the event-time
 * window they and their alerts occupy (every expected alert's {@code firstSeen} is inside it).
 */
public record ScenarioPlan(
    String name, Instant start, List<ScenarioStep> steps, Instant from, Instant to) {

  public ScenarioPlan {
    steps = List.copyOf(steps);
  }

  public List<GroundTruth> expected() {
    return steps.stream().flatMap(s -> s.expected().stream()).toList();
  }
}
