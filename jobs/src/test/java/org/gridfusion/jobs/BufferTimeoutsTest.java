package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which network edges flush after {@code job.bufferTimeout} and which after {@code
 * job.backgroundBufferTimeout}: the edges an alert crosses are short, the record-heavy shuffle to
 * device health keeps the cheap long one (issue 14). Checked on the plan production builds.
 */
class BufferTimeoutsTest {
  @Test
  void theEdgesAnAlertCrossesFlushSoonerThanTheRecordHeavyOnes(@TempDir Path dir) throws Exception {
    Config config =
        FusionJobRun.config(TestDistrict.write(dir))
            .with(GridFusionOptions.DEVICES_OFFLINE_ENABLED, "true")
            .with(GridFusionOptions.JOB_BUFFER_TIMEOUT, "7ms")
            .with(GridFusionOptions.JOB_BACKGROUND_BUFFER_TIMEOUT, "150ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobRunner.configure(env, config);
    StreamGraph graph =
        FusionJobRun.graph(
            env,
            FusionJob.Settings.from(config),
            new FusionJobRun.Inputs(),
            Instant.parse("2026-05-01T00:00:00Z"));

    for (String camera : List.of("normalise camera events", "normalise sensor readings")) {
      assertThat(timeout(graph, camera, "deduplicate and evaluate rules per grid")).isEqualTo(7);
    }
    assertThat(timeout(graph, "deduplicate and evaluate rules per grid", "one alert per incident"))
        .isEqualTo(7);
    assertThat(timeout(graph, "one alert per incident", "link the alerts of one event"))
        .isEqualTo(7);
    assertThat(timeout(graph, "link the alerts of one event", "work-order loop")).isEqualTo(7);

    assertThat(timeout(graph, "camera and sensor records", "device health")).isEqualTo(150);
    assertThat(timeout(graph, "risk evidence", "risk score per grid")).isEqualTo(150);
  }

  private static long timeout(StreamGraph graph, String from, String to) {
    List<StreamEdge> edges =
        graph.getStreamNodes().stream()
            .filter(n -> n.getOperatorName().equals(to))
            .flatMap(n -> n.getInEdges().stream())
            .filter(e -> graph.getStreamNode(e.getSourceId()).getOperatorName().equals(from))
            .toList();
    assertThat(edges).as("edges from '%s' to '%s'", from, to).hasSize(1);
    return edges.get(0).getBufferTimeout();
  }
}
