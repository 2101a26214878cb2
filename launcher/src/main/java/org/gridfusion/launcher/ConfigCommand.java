package org.gridfusion.launcher;

import java.util.List;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Lists every configuration key (with its environment variable and default), or shows the"
            + " configuration as set.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Option(names = "--list", description = "list every key")
  boolean list;

  @Override
  public Integer call() {
    if (list) {
      for (ConfigOption<?> o : GridFusionOptions.all()) {
        System.out.printf(
            "%-36s %-32s %-10s default %s%n    %s%n",
            o.key(),
            o.environmentVariable(),
            o.type(),
            o.defaultValue() == null ? "-" : o.defaultValue(),
            o.description());
      }
    } else {
      System.out.println(configOptions.load().describe());
    }
    return 0;
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the effective configuration and every problem in it.",
        "File, then GF_* environment, then --set; secrets masked; each problem with its key and environment variable. Exit code 0 when there is none, 2 otherwise. Runs the same checks every command runs before it starts anything."
      })
  static final class Check implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() {
      Config config = configOptions.loadUnchecked();
      System.out.println("Effective configuration:");
      System.out.print(config.describeEffective());
      List<ConfigProblem> problems = Preflight.problems(config);
      if (problems.isEmpty()) {
        System.out.println("No problems found.");
        return 0;
      }
      System.out.println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
      for (ConfigProblem p : problems) {
        System.out.println("  - " + p);
      }
      return 2;
    }
  }
}
