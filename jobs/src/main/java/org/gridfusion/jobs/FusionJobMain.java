package org.gridfusion.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.GridFusionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of the job jar ({@code job-jar/target/gridfusion-job.jar}), which any Flink 2.2
 * cluster runs unchanged: {@code flink run gridfusion-job.jar --config /etc/gridfusion.yaml}, or
 * REST {@code /jars/upload} then {@code /jars/:id/run} with the same program arguments.
 *
 * <p>Configuration as everywhere in GridFusion: a YAML file ({@code --config FILE}), {@code GF_*}
 * environment variables of the process that runs this main (the JobManager, for REST submission),
 * then {@code --set key=value} arguments. It is checked as a whole before anything is built, and
 * then only turned into Kafka sources, Kafka and Elasticsearch sinks and {@link FusionJob#build}.
 */
public final class FusionJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(FusionJobMain.class);

  private FusionJobMain() {}

  public static void main(String[] args) throws Exception {
    Config config = configuration(args, System.getenv());
    FusionJob.Settings settings = FusionJob.Settings.from(config);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(JobRunner.jobConfiguration(config));
    JobRunner.configure(env, config);
    FusionJob.build(
        env, FusionJob.kafkaSources(config), FusionJob.productionSinks(config), settings);
    LOG.info("Submitting {} with\n{}", FusionJob.NAME, config.describe());
    env.execute(FusionJob.NAME);
  }

  /**
   * The configuration of {@code args} ({@code --config FILE}, {@code --set key=value}) over {@code
   * env}, refused with every problem at once when something is wrong or missing.
   */
  public static Config configuration(String[] args, Map<String, String> env) {
    Path file = null;
    List<String[]> sets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--config") || a.equals("--set")) && i + 1 == args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      if (a.equals("--config")) {
        file = Path.of(args[++i]);
      } else if (a.equals("--set")) {
        String kv = args[++i];
        int eq = kv.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("--set takes key=value, got " + kv);
        sets.add(new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
      } else {
        throw new IllegalArgumentException(
            "unknown argument " + a + " (arguments: --config FILE, --set key=value)");
      }
    }
    Config config = Config.load(file, env);
    for (String[] kv : sets) {
      ConfigOption<?> option =
          GridFusionOptions.find(kv[0])
              .orElseThrow(() -> new ConfigException(kv[0], "unknown key given with --set"));
      config = config.with(option, kv[1]);
    }
    List<ConfigOption<?>> required = new ArrayList<>();
    required.add(GridFusionOptions.KAFKA_BOOTSTRAP);
    required.add(GridFusionOptions.ELASTICSEARCH_URL);
    required.add(GridFusionOptions.PRIVACY_HMAC_SECRET);
    if ("files".equals(config.get(GridFusionOptions.REFERENCE_SOURCE))) {
      required.add(GridFusionOptions.REFERENCE_GRID_MAP);
    }
    return config.validate(required.toArray(ConfigOption<?>[]::new));
  }
}
