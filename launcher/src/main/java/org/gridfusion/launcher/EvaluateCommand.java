package org.gridfusion.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.launcher.evaluation.AlertReader;
import org.gridfusion.launcher.evaluation.Evaluation;
import org.gridfusion.launcher.evaluation.EvaluationReport;
import org.gridfusion.launcher.evaluation.Evaluator;
import org.gridfusion.simulator.scenario.TruthFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Scores the alerts in Elasticsearch against a simulation's ground truth.",
      "Compares the alerts in gf-alerts with the ground truth written by `simulate run --scenario`: per rule true and false positives, false negatives, precision, recall and detection delay p50/p95. Only alerts first seen in the truth's event-time window count.",
      "Exit code 3 when below --min-precision/--min-recall or when a rule's delay p95 exceeds its window plus --max-delay-over-window."
    })
final class EvaluateCommand implements Callable<Integer> {
  /** Exit code for "evaluated, but below the required precision or recall" (1 and 2 are errors). */
  static final int BELOW_THRESHOLD = 3;

  @Mixin ConfigOptions configOptions;

  @Option(
      names = "--truth",
      required = true,
      paramLabel = "FILE",
      description = "ground-truth file written by `simulate run --scenario`")
  Path truth;

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      description =
          "judge the alerts in FILE (gf-alerts documents, one JSON object a line) instead of"
              + " reading Elasticsearch")
  Path alerts;

  @Option(
      names = "--es",
      paramLabel = "URL",
      description = "Elasticsearch URL (default: elasticsearch.url)")
  String es;

  @Option(
      names = "--from",
      description = "judge alerts first seen from this instant (default: the truth's window)")
  Instant from;

  @Option(names = "--to", description = "... up to this instant (default: the truth's window)")
  Instant to;

  @Option(
      names = "--tolerance",
      defaultValue = "2m",
      description =
          "how far an alert's firstSeen may be from the truth's (default ${DEFAULT-VALUE})")
  Duration tolerance;

  @Option(
      names = "--wait",
      defaultValue = "0s",
      description =
          "keep looking this long while expected alerts are missing, e.g. 60s (default ${DEFAULT-VALUE})")
  Duration wait;

  @Option(
      names = "--truth-grids-only",
      description =
          "judge only alerts in the grids the truth names (when other inputs, such as"
              + " the district's own context records loaded by `up`, raise alerts of the same rules in the window)")
  boolean truthGridsOnly;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table or json on standard output (default ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the JSON report to FILE")
  Path json;

  @Option(names = "--min-precision", description = "exit with 3 if any rule's precision is lower")
  Double minPrecision;

  @Option(names = "--min-recall", description = "exit with 3 if any rule's recall is lower")
  Double minRecall;

  @Option(
      names = "--max-delay-over-window",
      paramLabel = "DURATION",
      description =
          "exit with 3 if any rule's detection delay p95 exceeds the rule's window (0 for a"
              + " threshold, 5m for the fire rules, 24h for ELDERLY_INACTIVE, ...) plus this, e.g. 2s")
  Duration maxDelayOverWindow;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("table") && !format.equals("json"))
      throw new IllegalArgumentException("--format must be table or json, not " + format);
    TruthFile t = TruthFile.read(truth);
    Instant f = from != null ? from : t.from();
    Instant u = to != null ? to : t.to();
    EvaluationReport report;
    if (alerts != null) {
      report = Evaluation.of(t, AlertReader.readFile(alerts), f, u, tolerance, truthGridsOnly);
    } else {
      Config config = configOptions.load();
      if (es != null) config = config.with(GridFusionOptions.ELASTICSEARCH_URL, es);
      Evaluator evaluator =
          new Evaluator(ElasticsearchConnection.from(config, "to read gf-alerts"));
      long deadline = System.nanoTime() + wait.toNanos();
      report = evaluator.evaluate(t, f, u, tolerance, truthGridsOnly);
      while (report.total().falseNegatives() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        report = evaluator.evaluate(t, f, u, tolerance, truthGridsOnly);
      }
    }
    System.out.print(
        format.equals("json") ? report.toJson() + System.lineSeparator() : report.table());
    if (json != null) Files.writeString(json, report.toJson() + System.lineSeparator());
    boolean ok =
        report.meets(minPrecision == null ? 0 : minPrecision, minRecall == null ? 0 : minRecall);
    if (maxDelayOverWindow != null && !report.delaysWithin(maxDelayOverWindow)) {
      System.out.println(
          "detection delay p95 over the rule's window + "
              + maxDelayOverWindow.toMillis()
              + " ms: "
              + String.join(
                  ", ",
                  report.rows().stream()
                      .filter(r -> !r.delayWithin(maxDelayOverWindow))
                      .map(r -> r.ruleId())
                      .toList()));
      ok = false;
    }
    return ok ? 0 : BELOW_THRESHOLD;
  }
}
