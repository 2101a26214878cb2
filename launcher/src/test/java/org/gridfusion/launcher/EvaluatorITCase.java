package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.gridfusion.common.config.Durations;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.launcher.evaluation.AlertReader;
import org.gridfusion.launcher.evaluation.EvaluationReport;
import org.gridfusion.launcher.evaluation.Evaluator;
import org.gridfusion.simulator.scenario.IncidentKind;
import org.gridfusion.simulator.scenario.RuleGrid;
import org.gridfusion.simulator.scenario.ScenarioParser;
import org.gridfusion.simulator.scenario.ScenarioPlan;
import org.gridfusion.simulator.scenario.ScenarioPlanner;
import org.gridfusion.simulator.scenario.ScenarioPlayer;
import org.gridfusion.simulator.scenario.TruthFile;
import org.gridfusion.simulator.traffic.HttpTrafficSink;
import org.gridfusion.simulator.traffic.InboxTrafficSink;
import org.gridfusion.simulator.traffic.MqttTrafficSink;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The shipped default-rules scenario (every default rule and severity of contract §5, and a near
 * miss of each threshold and window) played through the real ingress (MQTT, HTTP, inbox) of the
 * shared test pipeline, then judged by the evaluator from gf-alerts: precision and recall 1.0 for
 * every rule.
 *
 * <p>The scenario is set five days back, where no other test sends anything, and the evaluator only
 * judges alerts first seen in that window, so the other tests' alerts do not count. What other
 * tests left behind could still absorb ours (an alert of one rule stays open in a grid until 30
 * minutes of quiet event time), so the planner keeps away from every rule and grid that already has
 * an alert.
 */
@ExtendWith(EmbeddedStackExtension.class)
class EvaluatorITCase {
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void theDefaultRulesScenarioIsDetectedExactly() throws Exception {
    TestPipeline gf = TestPipeline.get();
    String es = gf.stack.elasticsearchUrl();
    Set<RuleGrid> busy =
        new AlertReader(gf.stack.elasticsearch())
            .read(Instant.EPOCH, Instant.now().plus(Duration.ofDays(1))).stream()
                .map(a -> new RuleGrid(a.ruleId(), a.gridId()))
                .collect(Collectors.toSet());
    ScenarioPlan plan =
        ScenarioPlanner.plan(
            ScenarioParser.builtIn(ScenarioParser.DEFAULT_RULES), gf.district, Instant.now(), busy);
    String tickDevice = gf.district.sensors(SensorType.TEMPERATURE).get(0).deviceId();

    try (RoutingTrafficSink sink =
        new RoutingTrafficSink(
            MqttTrafficSink.connect(gf.stack.mqttUrl(), "evaluator-it"),
            new HttpTrafficSink(gf.pipeline.http().url(), TestPipeline.TOKEN),
            new InboxTrafficSink(gf.pipeline.inboxDir(), "evaluator-it"))) {
      ScenarioPlayer player =
          new ScenarioPlayer(
              sink,
              Clock.systemUTC(),
              Duration.ofSeconds(3),
              Duration.ofMillis(300),
              System.out::println);
      // Event time to the present first, and on only once every input is in: then no partner window
      // (a fire's five minutes) closes while its second input is still travelling through another
      // interface.
      player.tick(tickDevice, Instant.now().plus(Duration.ofMinutes(2)));
      TruthFile truth = player.play(plan);
      long inputs = plan.steps().stream().mapToLong(s -> s.items().size()).sum();
      ElasticsearchProbe.awaitHits(
          es,
          "gf-records*",
          "{\"size\":0,\"query\":{\"range\":{\"ts\":{\"gte\":\""
              + plan.from()
              + "\",\"lte\":\""
              + plan.to()
              + "\"}}}}",
          (int) inputs,
          WITHIN);

      Evaluator evaluator = new Evaluator(gf.stack.elasticsearch());
      int expected = truth.expected().size();
      long deadline = System.nanoTime() + WITHIN.toNanos();
      EvaluationReport report = evaluator.evaluate(truth);
      while (report.total().truePositives() + report.total().falsePositives() < expected
          && System.nanoTime() < deadline) {
        // Keep event time moving, as live traffic would: a suspected fire and a day of silence are
        // only known once the watermark has passed them.
        player.tick(tickDevice, Instant.now().plus(Duration.ofMinutes(2)));
        Thread.sleep(1000);
        report = evaluator.evaluate(truth);
      }
      Thread.sleep(2000); // give a false alarm the chance to show up
      report = evaluator.evaluate(truth);
      System.out.print(report.table());

      assertThat(report.findings()).as("findings").isEmpty();
      assertThat(report.rows())
          .extracting(EvaluationReport.Row::ruleId)
          .containsExactlyInAnyOrderElementsOf(IncidentKind.rules());
      assertThat(report.rows())
          .allSatisfy(
              r -> {
                assertThat(r.precision()).as(r.ruleId() + " precision").isEqualTo(1.0);
                assertThat(r.recall()).as(r.ruleId() + " recall").isEqualTo(1.0);
              });
      assertThat(report.total().truePositives()).isEqualTo(expected).isEqualTo(15);
      assertThat(report.total().delayP95()).as("detection delay p95").isLessThan(WITHIN);
      assertThat(truth.nearMisses()).hasSize(11);

      // The same through the command line, as CI would run it: JSON out, exit code 0 at 1.0 ...
      Path dir = Files.createTempDirectory(gf.stack.dataDir(), "evaluate");
      truth.write(dir.resolve("truth.json"));
      assertThat(evaluate(es, dir.resolve("truth.json"), dir.resolve("report.json"))).isZero();
      JsonNode json = TestPipeline.json(Files.readString(dir.resolve("report.json")));
      assertThat(json.path("total").path("precision").asDouble()).isEqualTo(1.0);
      assertThat(json.path("total").path("recall").asDouble()).isEqualTo(1.0);
      assertThat(json.path("rules")).hasSize(IncidentKind.rules().size());
      // ... and 3 when an expected alert never came
      TruthFile.Expected first = truth.expected().get(0);
      List<TruthFile.Expected> more = new ArrayList<>(truth.expected());
      more.add(
          new TruthFile.Expected(
              first.ruleId(),
              "G-NOWHERE",
              first.severity(),
              first.firstSeen(),
              first.detectableAt(),
              first.sentAt(),
              "an incident that never happened",
              first.evidenceFrom()));
      new TruthFile(
              truth.scenario(),
              truth.createdAt(),
              truth.from(),
              truth.to(),
              more,
              truth.nearMisses())
          .write(dir.resolve("more.json"));
      assertThat(evaluate(es, dir.resolve("more.json"), dir.resolve("more-report.json")))
          .isEqualTo(EvaluateCommand.BELOW_THRESHOLD);
    }
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
