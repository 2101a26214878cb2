package org.gridfusion.jobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.gridfusion.common.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar's second entry point, the {@link IndexingJob}: {@code flink run -c
 * org.gridfusion.jobs.IndexingJobMain gridfusion-job.jar --config /etc/gridfusion.yaml}, or REST
 * {@code /jars/:id/run} with {@code entryClass} set to this class. Configuration as for {@link
 * FusionJobMain} (the same file serves both jobs); its checkpoints go to the {@value
 * JobRunner#INDEXING_STATE} subdirectory of the state directory.
 */
public final class IndexingJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(IndexingJobMain.class);

  private IndexingJobMain() {}

  public static void main(String[] args) throws Exception {
    Config config = FusionJobMain.configuration(args, System.getenv());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            JobRunner.jobConfiguration(config, JobRunner.indexingStateDir(config)));
    JobRunner.configure(env, config);
    IndexingJob.build(
        env,
        IndexingJob.kafkaSources(config),
        IndexingJob.productionSinks(config),
        IndexingJob.Settings.from(config));
    LOG.info("Submitting {} with\n{}", IndexingJob.NAME, config.describe());
    env.execute(IndexingJob.NAME);
  }
}
