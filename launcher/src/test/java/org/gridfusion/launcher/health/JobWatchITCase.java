package org.gridfusion.launcher.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.jobs.JobRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that cannot start — it fails in {@code open()} on every attempt, as one with a broker that
 * refuses its login or unreadable reference data would — is reported by the {@link JobWatch} with
 * its error after {@code job.startAttempts} failures, instead of restarting forever unnoticed. Runs
 * on a real MiniCluster with GridFusion's own restart strategy and REST settings ({@link
 * JobRunner#environment}).
 */
class JobWatchITCase {
  @TempDir Path dir;

  /** Fails at start, every time. */
  static final class CannotStart extends RichMapFunction<Long, Long> {
    @Override
    public void open(OpenContext ctx) {
      throw new IllegalStateException("reference data unreadable (test)");
    }

    @Override
    public Long map(Long value) {
      return value;
    }
  }

  @Test
  void aJobThatCannotStartIsReportedWithItsErrorAfterTheStartAttempts() throws Exception {
    Config config =
        JobRunner.withRestPort(
            Config.empty()
                .with(GridFusionOptions.DATA_DIR, dir)
                .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0)
                .with(GridFusionOptions.JOB_PARALLELISM, 1)
                .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "1s"));
    StreamExecutionEnvironment env = JobRunner.environment(config, null);
    env.fromSequence(0, Long.MAX_VALUE)
        .map(new CannotStart())
        .uid("cannot-start")
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("cannot-start");
    try (JobWatch watch = new JobWatch(JobRunner.restUrl(config), job.getJobID(), 2).start()) {
      String reason = watch.fatal().get(90, TimeUnit.SECONDS);
      assertThat(reason)
          .contains("cannot start")
          .containsPattern("failed [2-9] times before its first checkpoint")
          .contains("reference data unreadable (test)");
      assertThat(watch.get().state()).isNotEqualTo(ComponentHealth.State.UP);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
  }
}
