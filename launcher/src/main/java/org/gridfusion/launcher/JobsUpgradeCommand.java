package org.gridfusion.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.FusionJob;
import org.gridfusion.jobs.IndexingJob;
import org.gridfusion.jobs.IndexingJobMain;
import org.gridfusion.jobs.JobRunner;
import org.gridfusion.launcher.cluster.ClusterJob;
import org.gridfusion.launcher.cluster.FlinkRest;
import org.gridfusion.launcher.cluster.JobUpgrade;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Replaces the running fusion job by a changed one without losing state.",
      "Stops it with a savepoint, then runs JAR (default: the same job jar) from it, optionally at another parallelism. Open incidents, work orders, risk scores, absence timers and the de-duplication memory carry over (matched by operator uid).",
      "Against up's own cluster (flink.taskManagers >= 1, same --data-dir) nothing else is needed; against another cluster set job.target=host:port and --job-config to the file the job reads."
    })
final class JobsUpgradeCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Option(names = "--jar", paramLabel = "JAR", description = "the changed job jar")
  Path jar;

  @Option(names = "--parallelism", description = "run the upgraded job at this parallelism")
  Integer parallelism;

  @Option(
      names = "--job-config",
      paramLabel = "FILE",
      description = "configuration the job jar reads (--config); default <data dir>/flink/job.yaml")
  Path jobConfig;

  @Override
  public Integer call() throws Exception {
    Config config = configOptions.load();
    Path dir = ClusterJob.clusterDir(config);
    FlinkRest rest = new FlinkRest("http://" + target(config, dir));
    Path yaml = jobConfig != null ? jobConfig : dir.resolve("job.yaml");
    if (!Files.isRegularFile(yaml)) {
      throw new ConfigException("--job-config", yaml + " does not exist");
    }
    Path current = dir.resolve("job.jar");
    Path next = jar != null ? jar : current;
    if (!Files.isRegularFile(next)) throw new ConfigException("--jar", next + " does not exist");
    String running = runningFusionJob(rest);
    String savepoints =
        Path.of(URI.create(JobRunner.stateDir(config)))
            .resolveSibling("savepoints")
            .toUri()
            .toString();
    // the indexing job first: the new jar reads what the old fusion job wrote, not the other way
    List<String> indexing = rest.activeJobsNamed(IndexingJob.NAME);
    if (indexing.size() == 1) {
      JobUpgrade.Result i =
          JobUpgrade.run(
              rest,
              indexing.get(0),
              IndexingJobMain.class.getName(),
              next,
              yaml,
              null,
              savepoints,
              Duration.ofMinutes(3));
      System.out.println("upgraded indexing job running as " + i.jobId());
    }
    JobUpgrade.Result r =
        JobUpgrade.run(rest, running, next, yaml, parallelism, savepoints, Duration.ofMinutes(3));
    // up's supervisor resubmits this jar after a JobManager restart
    if (Files.isRegularFile(current) && jar != null) JobUpgrade.replaceJar(jar, current);
    System.out.println("stopped " + running + " with savepoint " + r.savepoint());
    System.out.println("upgraded fusion job running as " + r.jobId());
    return 0;
  }

  /** job.target, or the REST address of up's cluster in this data directory. */
  private static String target(Config config, Path dir) throws Exception {
    String target = config.get(GridFusionOptions.JOB_TARGET);
    if (!"local".equals(target)) return target;
    Path conf = dir.resolve("conf").resolve("config.yaml");
    if (!Files.isRegularFile(conf)) {
      throw new ConfigException(
          GridFusionOptions.JOB_TARGET.key(),
          "is local and no cluster of up in " + dir + ": set job.target=host:port");
    }
    var c = new ObjectMapper(new YAMLFactory()).readTree(conf.toFile());
    return c.path("rest.address").asText() + ":" + c.path("rest.port").asText();
  }

  private static String runningFusionJob(FlinkRest rest) throws Exception {
    List<String> ids = rest.activeJobsNamed(FusionJob.NAME);
    if (ids.size() != 1) {
      throw new IllegalStateException(
          "expected one running " + FusionJob.NAME + " job at " + rest.url() + ", found " + ids);
    }
    return ids.get(0);
  }
}
