package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "Submits the fusion job and the indexing job, locally or to a Flink cluster.",
      "To a local MiniCluster (job.target=local, runs until Ctrl-C, which stops the fusion job with a savepoint) or to a remote Flink cluster (job.target=host:port of the JobManager REST endpoint; this jar is shipped with it).",
      "`jobs upgrade` replaces the running job by a changed job jar through a savepoint."
    },
    subcommands = {JobsUpgradeCommand.class})
final class JobsCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Option(names = "--detached", description = "return once the job is submitted (remote targets)")
  boolean detached;

  @Override
  public Integer call() throws Exception {
    var config =
        configOptions.load(
            GridFusionOptions.KAFKA_BOOTSTRAP,
            GridFusionOptions.ELASTICSEARCH_URL,
            GridFusionOptions.PRIVACY_HMAC_SECRET,
            GridFusionOptions.REFERENCE_GRID_MAP);
    config = JobRunner.withRestPort(config); // the indexing job joins the MiniCluster there
    Pipeline.setup(config);
    JobClient job = JobRunner.startFusion(config, GridFusion.ownJar());
    System.out.println("submitted fusion job " + job.getJobID());
    JobClient indexing = JobRunner.startIndexing(config, GridFusion.ownJar());
    System.out.println("submitted indexing job " + indexing.getJobID());
    if (!detached) {
      String stateDir = JobRunner.stateDir(config);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    indexing.cancel().join();
                    // committed before it ends, and resumable (a local start takes the savepoint)
                    JobRunner.stop(job, stateDir, JobRunner.STOP_TIMEOUT);
                  }));
      job.getJobExecutionResult().get();
    }
    return 0;
  }
}
