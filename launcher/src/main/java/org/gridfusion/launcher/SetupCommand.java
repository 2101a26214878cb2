package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description =
        "Creates GridFusion's Kafka topics and Elasticsearch index templates (idempotent).")
final class SetupCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    Pipeline.setup(
        configOptions.load(GridFusionOptions.KAFKA_BOOTSTRAP, GridFusionOptions.ELASTICSEARCH_URL));
    System.out.println("topics and index templates in place");
    return 0;
  }
}
