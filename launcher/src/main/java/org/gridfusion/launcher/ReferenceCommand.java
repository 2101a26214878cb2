package org.gridfusion.launcher;

import java.util.Map;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "reference",
    mixinStandardHelpOptions = true,
    description = "Distributes the reference data (grid map, devices, addresses) to a running job.",
    subcommands = {ReferenceCommand.Push.class})
final class ReferenceCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description = {
        "Checks the reference files and publishes them to gf.reference.",
        "The files of reference.gridMap, reference.devices and reference.addresses; every TaskManager of a job with reference.source=kafka reads them (within reference.reloadInterval while it runs)."
      })
  static final class Push implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
      Config config =
          configOptions.load(
              GridFusionOptions.KAFKA_BOOTSTRAP, GridFusionOptions.REFERENCE_GRID_MAP);
      Map<String, String> said =
          ReferencePublisher.publish(
              KafkaConnection.from(config, "to publish reference data"),
              ReferencePublisher.files(config));
      said.forEach((kind, what) -> System.out.println(kind + ": " + what));
      System.out.println("published to " + Topics.REFERENCE);
      return 0;
    }
  }
}
