package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.common.config.Durations;
import org.gridfusion.common.contract.SensorType;
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

  /**
   * A live slice of the scenario set's conditions (ScenarioSetITCase plays the whole set on the
   * job's topology): a camera whose clock is 8 minutes behind still raises its fall, dated by its
   * own clock; one 12 minutes ahead is dead-lettered TS_IN_FUTURE by the HTTP ingest and raises
   * nothing; water flapping 29, 31, 29, 31 cm is one alert. {@code evaluate} scores them 1.0 with
   * the delay check on (a margin of an hour: the check is exercised, not timed), and exits 3 once
   * the truth expects a second flapping alert. Dated 100 minutes back, a window no other test uses,
   * so the skew pushes no one's watermark.
   */
  @Test
  void conditionsOfTheScenarioSetAreJudgedLive(@TempDir Path dir) throws Exception {
    TestPipeline gf = TestPipeline.get();
    String es = gf.stack.elasticsearchUrl();
    Instant at = Instant.now().minus(Duration.ofMinutes(100)).truncatedTo(ChronoUnit.SECONDS);
    Device behind = gf.district.cameras().get(3);
    Device ahead = gf.district.cameras().get(4);
    Device gauge = gf.district.sensors(SensorType.WATER_LEVEL).get(1);
    Instant skewed = at.minus(Duration.ofMinutes(8));
    assertThat(gf.postCameraEvents(fall("evaluate-skew-behind", behind, skewed)).statusCode())
        .isEqualTo(202);
    Instant fallSent = Instant.now();
    // 12 minutes ahead of the ingest's own clock: beyond the 10 minutes of contract §3
    gf.postCameraEvents(
        fall("evaluate-skew-ahead", ahead, Instant.now().plus(Duration.ofMinutes(12))));
    for (int i = 0; i < 4; i++)
      gf.reading(
          "WATER_LEVEL", gauge.deviceId(), i % 2 == 0 ? 29 : 31, at.plus(Duration.ofMinutes(i)));
    Instant waterSent = Instant.now();
    assertThat(gf.awaitDeadLetter("evaluate-skew-ahead").path("reason").asText())
        .isEqualTo("TS_IN_FUTURE");
    Alert water =
        gf.awaitOnKafka(
            Topics.ALERTS,
            Alert.class,
            a -> a.getGridId().equals(gauge.gridId()) && a.getCount() >= 2);
    gf.awaitDocument("gf-alerts", "alertId", water.getAlertId(), "count", "2");
    Alert fall =
        gf.awaitOnKafka(
            Topics.ALERTS,
            Alert.class,
            a -> a.getEvidence().contains("CAMERA:evaluate-skew-behind"));
    gf.awaitDocument("gf-alerts", "alertId", fall.getAlertId());

    Instant firstOver = at.plus(Duration.ofMinutes(1));
    List<TruthFile.Expected> expected =
        List.of(
            new TruthFile.Expected(
                "FALL_DETECTED",
                behind.gridId(),
                Severity.IMPORTANT,
                skewed,
                skewed,
                fallSent,
                "a fall, camera clock 8 min behind",
                skewed),
            new TruthFile.Expected(
                "WATERLOGGING",
                gauge.gridId(),
                Severity.IMPORTANT,
                firstOver,
                firstOver,
                waterSent,
                "water flapping 29/31 cm",
                at));
    List<TruthFile.NearMissNote> misses =
        List.of(
            new TruthFile.NearMissNote(
                "a fall, camera clock 12 min ahead",
                ahead.gridId(),
                at,
                List.of("FALL_DETECTED"),
                fallSent));
    Instant from = skewed.minusSeconds(1);
    Instant to = at.plus(Duration.ofMinutes(5));
    new TruthFile("conditions", Instant.now(), from, to, expected, misses)
        .write(dir.resolve("truth.json"));
    assertThat(
            evaluate(
                es,
                dir.resolve("truth.json"),
                dir.resolve("report.json"),
                "--truth-grids-only",
                "--max-delay-over-window",
                "1h"))
        .isZero();
    JsonNode json = TestPipeline.json(Files.readString(dir.resolve("report.json")));
    assertThat(json.path("total").path("precision").asDouble()).isEqualTo(1.0);
    assertThat(json.path("total").path("recall").asDouble()).isEqualTo(1.0);
    assertThat(json.path("rules").findValuesAsText("ruleId"))
        .containsExactly("FALL_DETECTED", "WATERLOGGING");
    assertThat(json.path("rules").get(1).path("windowMs").asLong()).isZero();

    // flapping is one alert: a truth expecting a second one (the second 31 cm) misses it
    List<TruthFile.Expected> two = new ArrayList<>(expected);
    two.add(
        new TruthFile.Expected(
            "WATERLOGGING",
            gauge.gridId(),
            Severity.IMPORTANT,
            at.plus(Duration.ofMinutes(3)),
            at.plus(Duration.ofMinutes(3)),
            waterSent,
            "a second alert for the flapping water",
            at.plus(Duration.ofMinutes(3))));
    new TruthFile("conditions", Instant.now(), from, to, two, misses)
        .write(dir.resolve("two.json"));
    assertThat(
            evaluate(
                es, dir.resolve("two.json"), dir.resolve("two-report.json"), "--truth-grids-only"))
        .isEqualTo(EvaluateCommand.BELOW_THRESHOLD);
  }

  private static String fall(String eventId, Device camera, Instant ts) {
    return "{\"eventId\":\""
        + eventId
        + "\",\"cameraId\":\""
        + camera.deviceId()
        + "\",\"type\":\"FALL_DETECTED\",\"ts\":\""
        + ts
        + "\",\"confidence\":0.88}";
  }

  private static int evaluate(String es, Path truth, Path json, String... more) {
    CommandLine cli = new CommandLine(new EvaluateCommand());
    cli.registerConverter(Duration.class, Durations::parse);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--truth",
                truth.toString(),
                "--es",
                es,
                "--json",
                json.toString(),
                "--min-precision",
                "1.0",
                "--min-recall",
                "1.0"));
    args.addAll(List.of(more));
    return cli.execute(args.toArray(String[]::new));
  }
}
