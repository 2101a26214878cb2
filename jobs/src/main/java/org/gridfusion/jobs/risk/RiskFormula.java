package org.gridfusion.jobs.risk;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridfusion.jobs.reference.Grid;
import org.gridfusion.schema.RiskLevel;

/**
 * The risk score of one grid at one instant, with the factors that make it up (README "Risk
 * score"):
 *
 * <pre>
 *  standing = min(cap.standing, gridKind[kind] + populationPer1000 · population/1000 + Σ context[type]
 *                               + blindSpot · devices offline / devices registered)
 *  activity = min(cap.activity, Σ record[type] · ½^(age/halfLife))        records of the last 24 h
 *  alerts   = Σ alert[severity] for open alerts + Σ alert[severity] · ½^(since close/halfLife)
 *  score    = min(100, standing + activity + alerts)
 *  level    = LOW &lt; 25 ≤ MEDIUM &lt; 50 ≤ HIGH &lt; 75 ≤ CRITICAL, at least HIGH with an open URGENT alert
 * </pre>
 *
 * Every part only grows with more evidence, so the score never drops when something is added; it
 * falls only as time passes and alerts close. Pure: tested by properties without Flink.
 */
public final class RiskFormula implements Serializable {
  /** Factors reported with a score: enough to say why, few enough to read on a map. */
  public static final int TOP_FACTORS = 5;

  /** Below this a decaying contribution is forgotten. */
  static final double NEGLIGIBLE = 0.05;

  private final RiskWeights w;

  public RiskFormula(RiskWeights weights) {
    this.w = weights;
  }

  public RiskWeights weights() {
    return w;
  }

  /** A score with its factors, largest first, scaled so that they add up to the score. */
  public record Assessment(
      double score, RiskLevel level, List<Factor> factors, int openAlerts, boolean decaying) {}

  public record Factor(String name, double points) {}

  public Assessment assess(
      Grid grid,
      Iterable<ContextFact> context,
      Iterable<Activity> activity,
      Iterable<AlertFact> alerts,
      long at) {
    return assess(grid, 0, context, activity, alerts, at);
  }

  /**
   * @param registeredDevices devices of the device registry in the grid: with its open {@code
   *     DEVICE_OFFLINE} alerts, the share of the grid that is not observed (its blind spot)
   */
  public Assessment assess(
      Grid grid,
      int registeredDevices,
      Iterable<ContextFact> context,
      Iterable<Activity> activity,
      Iterable<AlertFact> alerts,
      long at) {
    Map<String, Double> standing = new LinkedHashMap<>();
    if (grid != null) {
      add(
          standing,
          "grid:" + grid.kind().name(),
          w.gridKind().getOrDefault(grid.kind().name(), 0.0));
      add(standing, "grid:population", w.populationPer1000() * grid.population() / 1000.0);
    }
    for (ContextFact c : context) {
      if (at - c.lastSeen <= w.contextTtl().toMillis())
        add(standing, "context:" + c.type, w.context().getOrDefault(c.type, 0.0));
    }

    Map<String, Double> recent = new LinkedHashMap<>();
    boolean decaying = false;
    for (Activity a : activity) {
      if (at - a.lastTs > RiskWeights.HORIZON.toMillis()) continue;
      double p = a.pointsAt(at, w);
      if (p < NEGLIGIBLE) continue;
      add(recent, "record:" + a.type, p);
      decaying = true;
    }

    Map<String, Double> alerting = new LinkedHashMap<>();
    int open = 0;
    boolean urgentOpen = false;
    int offline = 0;
    for (AlertFact f : alerts) {
      if (f.untilClosed) {
        // a dead device is no event in the grid: it makes the grid less observed, not riskier
        // (from when it went offline: a score may be taken for an instant before the alert came)
        if (f.openAt(at) && at >= f.lastSeen) {
          open++;
          offline++;
        }
        continue;
      }
      double weight = w.alert().getOrDefault(f.severity, 0.0);
      if (f.openAt(at)) {
        open++;
        urgentOpen |= "URGENT".equals(f.severity);
        add(alerting, "alert:" + f.ruleId, weight);
        decaying = true; // it will end on its own if no firing comes: keep the clock running
      } else if (at - f.endsAt() <= RiskWeights.HORIZON.toMillis()) {
        double p = weight * w.decay(at - f.endsAt());
        if (p < NEGLIGIBLE) continue;
        add(alerting, "alert:" + f.ruleId, p);
        decaying = true;
      }
    }

    if (offline > 0 && registeredDevices > 0) {
      // standing, so within its cap: a grid with nothing recent stays LOW (contract §4), but a
      // silent
      // grid's factors say it is silent because it is not observed, not because it is safe
      add(
          standing,
          "blind:devicesOffline",
          w.blindSpot() * Math.min(1.0, (double) offline / registeredDevices));
    }
    double s = capped(standing, w.standingCap());
    double a = capped(recent, w.activityCap());
    double al = sum(alerting);
    double total = s + a + al;
    double score = Math.min(100.0, total);
    double scale = total == 0 ? 0 : score / total;

    List<Factor> factors = new ArrayList<>();
    collect(factors, standing, s == 0 ? 0 : s / sum(standing) * scale);
    collect(factors, recent, a == 0 ? 0 : a / sum(recent) * scale);
    collect(factors, alerting, scale);
    factors.sort((x, y) -> Double.compare(y.points(), x.points()));
    List<Factor> top =
        factors.stream()
            .filter(f -> f.points() >= NEGLIGIBLE)
            .limit(TOP_FACTORS)
            .map(f -> new Factor(f.name(), round(f.points())))
            .toList();

    double rounded = round(score);
    RiskLevel level = level(rounded);
    if (urgentOpen && level.ordinal() < RiskLevel.HIGH.ordinal()) level = RiskLevel.HIGH;
    return new Assessment(rounded, level, top, open, decaying);
  }

  /** Contract §4 bands. */
  public static RiskLevel level(double score) {
    if (score < 25) return RiskLevel.LOW;
    if (score < 50) return RiskLevel.MEDIUM;
    if (score < 75) return RiskLevel.HIGH;
    return RiskLevel.CRITICAL;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static void add(Map<String, Double> m, String name, double points) {
    if (points > 0) m.merge(name, points, Double::sum);
  }

  private static double sum(Map<String, Double> m) {
    double s = 0;
    for (double v : m.values()) s += v;
    return s;
  }

  private static double capped(Map<String, Double> m, double cap) {
    return Math.min(cap, sum(m));
  }

  private static void collect(List<Factor> out, Map<String, Double> m, double scale) {
    m.forEach((name, points) -> out.add(new Factor(name, points * scale)));
  }
}
