package org.gridfusion.common.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a configuration at once, so a user fixes them in one go. */
public final class InvalidConfigException extends ConfigException {
  private final List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(
        problems.size() == 1
            ? "invalid configuration: " + problems.get(0)
            : "invalid configuration, "
                + problems.size()
                + " problems:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
