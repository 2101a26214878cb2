package org.gridfusion.launcher.evaluation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.simulator.scenario.TruthFile;

/**
 * Reads the alerts of a truth file's window from Elasticsearch and evaluates them: what `evaluate`
 * and the demo run.
 */
public final class Evaluator {
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(2);

  private final AlertReader alerts;

  public Evaluator(ElasticsearchConnection es) {
    this.alerts = new AlertReader(es);
  }

  public EvaluationReport evaluate(TruthFile truth) throws IOException, InterruptedException {
    return evaluate(truth, truth.from(), truth.to(), DEFAULT_TOLERANCE);
  }

  public EvaluationReport evaluate(TruthFile truth, Instant from, Instant to, Duration tolerance)
      throws IOException, InterruptedException {
    return evaluate(truth, from, to, tolerance, false);
  }

  public EvaluationReport evaluate(
      TruthFile truth, Instant from, Instant to, Duration tolerance, boolean truthGridsOnly)
      throws IOException, InterruptedException {
    return Evaluation.of(truth, alerts.read(from, to), from, to, tolerance, truthGridsOnly);
  }
}
