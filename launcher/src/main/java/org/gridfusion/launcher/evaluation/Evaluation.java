package org.gridfusion.launcher.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gridfusion.simulator.scenario.TruthFile;

/**
 * Matches alerts to ground truth and counts, per rule, true positives, false positives and false
 * negatives. Pure: the alerts are given.
 *
 * <p>Only alerts whose {@code firstSeen} lies in the window count, so a cluster that also carries
 * other traffic can be judged, and only alerts of the rules the truth speaks about ({@link
 * TruthFile#rules()}); the others are counted as not judged. An alert matches an expected alert of
 * the same rule and grid when its {@code firstSeen} lies between the incident's first input and the
 * expected {@code firstSeen}, give or take {@code tolerance} (rules judge inputs in arrival order,
 * so inputs that overtook each other date the alert by whichever completed the evidence); the
 * closest to the expected {@code firstSeen} wins, and each alert and expected alert is used once. A
 * match with a different severity is no true positive: it counts as a false positive of the alert's
 * rule and a false negative of the truth's, and is listed as a severity mismatch, since an alert
 * with the wrong severity is handled wrongly (a work order's deadline and grab window follow it,
 * §6).
 *
 * <p>Detection delay of a true positive: the alert's {@code detectedAt} minus the wall time the
 * alert could first have been raised (the truth's {@code decidedAt}: its deciding input
 * acknowledged, and, for rules that wait for event time, that time come). An alert read before the
 * update for the latest input folded into its incident landed is dated before that decision; it
 * counts as a match but gives no delay. Each row carries its rule's window ({@link RuleWindows})
 * for the check "delay p95 within window + margin".
 */
public final class Evaluation {
  private Evaluation() {}

  public static EvaluationReport of(
      TruthFile truth, List<AlertRecord> alerts, Instant from, Instant to, Duration tolerance) {
    return of(truth, alerts, from, to, tolerance, false);
  }

  /**
   * @param truthGridsOnly judge only alerts in the grids the truth names (its incidents and near
   *     misses), for a pipeline whose other inputs raise alerts of the same rules in the same
   *     window (the district's own elderly residents, loaded by {@code up}, whose doors report
   *     nothing)
   */
  public static EvaluationReport of(
      TruthFile truth,
      List<AlertRecord> alerts,
      Instant from,
      Instant to,
      Duration tolerance,
      boolean truthGridsOnly) {
    Set<String> judged = truth.rules();
    Set<String> grids = new HashSet<>();
    truth.expected().forEach(e -> grids.add(e.gridId()));
    truth.nearMisses().forEach(m -> grids.add(m.gridId()));
    if (truthGridsOnly) alerts = alerts.stream().filter(a -> grids.contains(a.gridId())).toList();
    Map<String, Integer> ignored = new TreeMap<>();
    alerts.stream()
        .filter(
            a ->
                !a.firstSeen().isBefore(from)
                    && !a.firstSeen().isAfter(to)
                    && !judged.contains(a.ruleId()))
        .forEach(a -> ignored.merge(a.ruleId(), 1, Integer::sum));
    List<AlertRecord> inWindow =
        alerts.stream()
            .filter(
                a ->
                    !a.firstSeen().isBefore(from)
                        && !a.firstSeen().isAfter(to)
                        && judged.contains(a.ruleId()))
            .sorted(
                Comparator.comparing(AlertRecord::firstSeen).thenComparing(AlertRecord::alertId))
            .toList();
    Map<String, Counts> byRule = new TreeMap<>();
    List<EvaluationReport.Finding> findings = new ArrayList<>();
    List<AlertRecord> unmatched = new ArrayList<>(inWindow);
    List<TruthFile.Expected> expected =
        truth.expected().stream()
            .filter(e -> !e.firstSeen().isBefore(from) && !e.firstSeen().isAfter(to))
            .sorted(Comparator.comparing(TruthFile.Expected::firstSeen))
            .toList();
    for (TruthFile.Expected e : expected) {
      AlertRecord best = null;
      for (AlertRecord a : unmatched) {
        if (!a.ruleId().equals(e.ruleId()) || !a.gridId().equals(e.gridId())) continue;
        if (a.firstSeen().isBefore(e.evidenceFrom().minus(tolerance))
            || a.firstSeen().isAfter(e.firstSeen().plus(tolerance))) continue;
        Duration off = Duration.between(e.firstSeen(), a.firstSeen()).abs();
        if (best == null
            || off.compareTo(Duration.between(e.firstSeen(), best.firstSeen()).abs()) < 0) best = a;
      }
      Counts c = byRule.computeIfAbsent(e.ruleId(), k -> new Counts());
      if (best == null) {
        c.fn++;
        findings.add(
            new EvaluationReport.Finding(
                "MISSED",
                e.ruleId(),
                e.gridId(),
                e.severity().name(),
                e.firstSeen(),
                null,
                e.source()));
        continue;
      }
      unmatched.remove(best);
      if (best.severity().equals(e.severity().name())) {
        c.tp++;
        // an alert document older than the truth's decision predates the latest input folded
        // into it (read before its update landed): it says nothing of the delay
        if (best.detectedAt() != null && !best.detectedAt().isBefore(e.decidedAt()))
          c.delays.add(Duration.between(e.decidedAt(), best.detectedAt()));
      } else {
        c.fn++;
        byRule.computeIfAbsent(best.ruleId(), k -> new Counts()).fp++;
        findings.add(
            new EvaluationReport.Finding(
                "SEVERITY_MISMATCH",
                e.ruleId(),
                e.gridId(),
                "expected " + e.severity() + ", got " + best.severity(),
                e.firstSeen(),
                best.alertId(),
                e.source()));
      }
    }
    for (AlertRecord a : unmatched) {
      byRule.computeIfAbsent(a.ruleId(), k -> new Counts()).fp++;
      String cause =
          truth.nearMisses().stream()
              .filter(m -> m.gridId().equals(a.gridId()) && m.mustNotRaise().contains(a.ruleId()))
              .map(m -> "near miss " + m.label())
              .findFirst()
              .orElse("no incident of this rule in this grid");
      findings.add(
          new EvaluationReport.Finding(
              "FALSE_ALARM",
              a.ruleId(),
              a.gridId(),
              a.severity(),
              a.firstSeen(),
              a.alertId(),
              cause));
    }
    List<EvaluationReport.Row> rows = new ArrayList<>();
    Counts total = new Counts();
    RuleWindows windows = RuleWindows.defaults();
    byRule.forEach(
        (rule, c) -> {
          rows.add(c.row(rule, windows.of(rule)));
          total.add(c);
        });
    return new EvaluationReport(
        truth.scenario(), from, to, tolerance, rows, total.row("TOTAL", null), findings, ignored);
  }

  private static final class Counts {
    int tp;
    int fp;
    int fn;
    final List<Duration> delays = new ArrayList<>();

    void add(Counts o) {
      tp += o.tp;
      fp += o.fp;
      fn += o.fn;
      delays.addAll(o.delays);
    }

    EvaluationReport.Row row(String rule, Duration window) {
      List<Duration> sorted = delays.stream().sorted().toList();
      return new EvaluationReport.Row(
          rule, tp, fp, fn, percentile(sorted, 50), percentile(sorted, 95), window);
    }
  }

  /** Nearest-rank percentile; null without values. */
  static Duration percentile(List<Duration> sorted, int p) {
    if (sorted.isEmpty()) return null;
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
