package org.gridfusion.launcher.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gridfusion.common.json.Json;

/**
 * The outcome of an {@link Evaluation}: one row per rule and a total, as a table for people and as
 * JSON for machines. Precision is undefined without alerts, recall without expected alerts (both
 * shown as "-" and null); a threshold check treats undefined as met.
 */
public record EvaluationReport(
    String scenario,
    Instant from,
    Instant to,
    Duration tolerance,
    List<Row> rows,
    Row total,
    List<Finding> findings,
    Map<String, Integer> notJudged) {

  public record Row(
      String ruleId,
      int truePositives,
      int falsePositives,
      int falseNegatives,
      Duration delayP50,
      Duration delayP95,
      Duration window) {

    /**
     * Whether the delay p95 is at most the rule's window plus {@code margin}; true without delays
     * or without a window (the total).
     */
    public boolean delayWithin(Duration margin) {
      return delayP95 == null || window == null || delayP95.compareTo(window.plus(margin)) <= 0;
    }

    public Double precision() {
      int n = truePositives + falsePositives;
      return n == 0 ? null : (double) truePositives / n;
    }

    public Double recall() {
      int n = truePositives + falseNegatives;
      return n == 0 ? null : (double) truePositives / n;
    }
  }

  /** What went wrong with one alert or expected alert: MISSED, FALSE_ALARM or SEVERITY_MISMATCH. */
  public record Finding(
      String kind,
      String ruleId,
      String gridId,
      String detail,
      Instant firstSeen,
      String alertId,
      String note) {}

  /** Whether precision and recall, overall and for every rule, are at least the given values. */
  public boolean meets(double minPrecision, double minRecall) {
    for (Row r : rows) {
      if (r.precision() != null && r.precision() < minPrecision) return false;
      if (r.recall() != null && r.recall() < minRecall) return false;
    }
    return true;
  }

  /**
   * Whether every rule's detection delay p95 is at most its window plus {@code margin} ({@link
   * RuleWindows}).
   */
  public boolean delaysWithin(Duration margin) {
    return rows.stream().allMatch(r -> r.delayWithin(margin));
  }

  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Evaluation of %s: alerts first seen %s .. %s (match tolerance %d s)%n",
            scenario.isEmpty() ? "ground truth" : "'" + scenario + "'",
            from,
            to,
            tolerance.toSeconds()));
    String format = "%-20s %4s %4s %4s %9s %7s %10s %10s %8s%n";
    b.append(
        String.format(
            Locale.ROOT,
            format,
            "rule",
            "TP",
            "FP",
            "FN",
            "precision",
            "recall",
            "delay p50",
            "delay p95",
            "window"));
    for (Row r : rows) line(b, format, r);
    line(b, format, total);
    if (!notJudged.isEmpty())
      b.append("  not judged (rules the truth says nothing about): ")
          .append(notJudged)
          .append(System.lineSeparator());
    for (Finding f : findings) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %s %s in %s (%s) first seen %s%s: %s%n",
              f.kind(),
              f.ruleId(),
              f.gridId(),
              f.detail(),
              f.firstSeen(),
              f.alertId() == null ? "" : ", alert " + f.alertId(),
              f.note()));
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String format, Row r) {
    b.append(
        String.format(
            Locale.ROOT,
            format,
            r.ruleId(),
            r.truePositives(),
            r.falsePositives(),
            r.falseNegatives(),
            ratio(r.precision()),
            ratio(r.recall()),
            seconds(r.delayP50()),
            seconds(r.delayP95()),
            r.window() == null ? "" : window(r.window())));
  }

  private static String window(Duration d) {
    if (d.isZero()) return "0";
    if (d.toSecondsPart() == 0 && d.toMinutesPart() == 0) return d.toHours() + "h";
    if (d.toSecondsPart() == 0) return d.toMinutes() + "m";
    return d.toSeconds() + "s";
  }

  private static String ratio(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String seconds(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  public String toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("scenario", scenario);
    o.putObject("window").put("from", from.toString()).put("to", to.toString());
    o.put("toleranceMs", tolerance.toMillis());
    ArrayNode rs = o.putArray("rules");
    for (Row r : rows) json(rs.addObject(), r);
    json(o.putObject("total"), total);
    ObjectNode nj = o.putObject("notJudged");
    notJudged.forEach(nj::put);
    ArrayNode fs = o.putArray("findings");
    for (Finding f : findings) {
      ObjectNode n =
          fs.addObject()
              .put("kind", f.kind())
              .put("ruleId", f.ruleId())
              .put("gridId", f.gridId())
              .put("detail", f.detail())
              .put("firstSeen", f.firstSeen().toString())
              .put("note", f.note());
      if (f.alertId() != null) n.put("alertId", f.alertId());
    }
    return Json.write(o);
  }

  private static void json(ObjectNode n, Row r) {
    n.put("ruleId", r.ruleId())
        .put("truePositives", r.truePositives())
        .put("falsePositives", r.falsePositives())
        .put("falseNegatives", r.falseNegatives());
    if (r.precision() == null) n.putNull("precision");
    else n.put("precision", r.precision());
    if (r.recall() == null) n.putNull("recall");
    else n.put("recall", r.recall());
    if (r.delayP50() == null) n.putNull("delayP50Ms");
    else n.put("delayP50Ms", r.delayP50().toMillis());
    if (r.delayP95() == null) n.putNull("delayP95Ms");
    else n.put("delayP95Ms", r.delayP95().toMillis());
    if (r.window() != null) n.put("windowMs", r.window().toMillis());
  }
}
