package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.GridFusionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Lists every configuration key (with its environment variable and default), or shows the effective configuration.")
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
}
