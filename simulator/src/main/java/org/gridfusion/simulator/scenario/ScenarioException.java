package org.gridfusion.simulator.scenario;

import java.util.List;

/**
 * A scenario file that cannot be used; the message names the file and every problem found, each
 * with its place.
 */
public final class ScenarioException extends IllegalArgumentException {
  private final List<String> problems;

  public ScenarioException(String origin, List<String> problems) {
    super(
        origin
            + ": "
            + (problems.size() == 1
                ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as {@code path: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
