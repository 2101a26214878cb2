package org.gridfusion.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.jobs.rules.Rule;
import org.gridfusion.jobs.rules.RuleSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Checks rule files and changes the rules of the running job without a restart.",
    subcommands = {RulesCommand.Push.class, RulesCommand.Check.class, RulesCommand.Defaults.class})
final class RulesCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description =
          "Checks FILE and publishes it to gf.rules; the running job applies it within seconds.")
  static final class Push implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;

    @Parameters(paramLabel = "FILE", description = "rule set (YAML or JSON)")
    Path file;

    @Override
    public Integer call() throws Exception {
      KafkaConnection kafka =
          KafkaConnection.from(
              configOptions.load(GridFusionOptions.KAFKA_BOOTSTRAP), "to publish to gf.rules");
      try {
        RuleSet set = RulePublisher.publish(kafka, Files.readString(file), file.toString());
        System.out.println(
            "rule set "
                + set.version()
                + " ("
                + set.rules().size()
                + " rules) published to gf.rules");
        return 0;
      } catch (RuleSet.InvalidRuleSet e) {
        System.err.println("refused, nothing published: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Checks FILE without publishing it.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
      try {
        RuleSet set = RuleSet.parse(Files.readString(file), file.toString());
        System.out.println("rule set " + set.version() + " is valid:");
        for (Rule r : set.rules())
          System.out.printf(
              "  %-20s %-12s %s%n", r.id(), r.getClass().getSimpleName().toLowerCase(), r.title());
        return 0;
      } catch (RuleSet.InvalidRuleSet e) {
        System.err.println(e.getMessage());
        return 2;
      }
    }
  }

  @Command(
      name = "defaults",
      mixinStandardHelpOptions = true,
      description = "Prints the built-in rule set (contract §5), a starting point for your own.")
  static final class Defaults implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.print(RuleSet.defaults().source());
      return 0;
    }
  }
}
