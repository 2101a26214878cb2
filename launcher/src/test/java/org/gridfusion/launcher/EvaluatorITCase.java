package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.gridfusion.common.config.Durations;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.scenario.Severity;
import org.gridfusion.simulator.scenario.TruthFile;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gridfusion evaluate} against the alerts a running GridFusion wrote to gf-alerts: a truth
 * file naming the alert a camera event raised scores precision and recall 1.0 (exit 0, JSON
 * report); one that also expects an alert that never came is below the threshold (exit 3).
 *
 * <p>That the simulator's default-rules scenario is detected exactly (every expected alert, no
 * false alarm) is tested on the job's own topology, deterministically, by the jobs module's
 * SimulatedScenarioITCase; here only the evaluator's reading of the real index and its command line
 * are at stake. The input is dated three hours back, a window no other test uses.
 */
@ExtendWith(EmbeddedStackExtension.class)
class EvaluatorITCase {

  @Test
  void theEvaluateCommandScoresTheAlertsInGfAlertsAgainstATruthFile(@TempDir Path dir)
      throws Exception {
    TestPipeline gf = TestPipeline.get();
    String es = gf.stack.elasticsearchUrl();
    Device camera = gf.district.cameras().get(2);
    Instant at = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    assertThat(
            gf.postCameraEvents(
                    "{\"eventId\":\"evaluate-fall-1\",\"cameraId\":\""
                        + camera.deviceId()
                        + "\",\"type\":\"FALL_DETECTED\",\"ts\":\""
                        + at
                        + "\",\"confidence\":0.93}")
                .statusCode())
        .isEqualTo(202);
    Alert alert =
        gf.awaitOnKafka(
            Topics.ALERTS, Alert.class, a -> a.getEvidence().contains("CAMERA:evaluate-fall-1"));
    // the evaluator reads gf-alerts: wait until the alert is searchable there
    gf.awaitDocument("gf-alerts", "alertId", alert.getAlertId());

    TruthFile.Expected fall =
        new TruthFile.Expected(
            "FALL_DETECTED",
            camera.gridId(),
            Severity.IMPORTANT,
            at,
            at,
            at,
            "a fall on camera",
            at);
    TruthFile truth =
        new TruthFile(
            "evaluate-smoke",
            Instant.now(),
            at.minusSeconds(1),
            at.plusSeconds(1),
            List.of(fall),
            List.of());
    truth.write(dir.resolve("truth.json"));
    assertThat(evaluate(es, dir.resolve("truth.json"), dir.resolve("report.json"))).isZero();
    JsonNode json = TestPipeline.json(Files.readString(dir.resolve("report.json")));
    assertThat(json.path("total").path("precision").asDouble()).isEqualTo(1.0);
    assertThat(json.path("total").path("recall").asDouble()).isEqualTo(1.0);
    assertThat(json.path("rules")).hasSize(1);

    TruthFile more =
        new TruthFile(
            "evaluate-smoke",
            Instant.now(),
            at.minusSeconds(1),
            at.plusSeconds(1),
            List.of(
                fall,
                new TruthFile.Expected(
                    "FALL_DETECTED",
                    "G-NOWHERE",
                    Severity.IMPORTANT,
                    at,
                    at,
                    at,
                    "a fall that never happened",
                    at)),
            List.of());
    more.write(dir.resolve("more.json"));
    assertThat(evaluate(es, dir.resolve("more.json"), dir.resolve("more-report.json")))
        .isEqualTo(EvaluateCommand.BELOW_THRESHOLD);
  }

  private static int evaluate(String es, Path truth, Path json) {
    CommandLine cli = new CommandLine(new EvaluateCommand());
    cli.registerConverter(Duration.class, Durations::parse);
    return cli.execute(
        "--truth",
        truth.toString(),
        "--es",
        es,
        "--json",
        json.toString(),
        "--min-precision",
        "1.0",
        "--min-recall",
        "1.0");
  }
}
