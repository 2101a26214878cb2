package org.gridfusion.jobs.risk;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * The weights of the risk formula (README "Risk score"), from the {@code risk.*} configuration
 * keys. Validated at start: the standing part must stay below 25 points, or a grid with nothing
 * recent could be MEDIUM, which contract §4 forbids.
 */
public record RiskWeights(
    Duration halfLife,
    Duration contextTtl,
    Map<String, Double> alert,
    Map<String, Double> record,
    Map<String, Double> sensorElevated,
    Map<String, Double> context,
    Map<String, Double> gridKind,
    double populationPer1000,
    double standingCap,
    double activityCap,
    double blindSpot)
    implements Serializable {

  /** Contract §4: a grid with no events and no context records in the last 24 h is LOW. */
  public static final Duration HORIZON = Duration.ofHours(24);

  public static final double LOW_BELOW = 25;

  public RiskWeights {
    alert = Map.copyOf(alert);
    record = Map.copyOf(record);
    sensorElevated = Map.copyOf(sensorElevated);
    context = Map.copyOf(context);
    gridKind = Map.copyOf(gridKind);
    if (halfLife.isZero() || halfLife.isNegative()) {
      throw new ConfigException(
          GridFusionOptions.RISK_HALF_LIFE.key(), "must be positive, e.g. 1h");
    }
    if (!(standingCap >= 0 && standingCap < LOW_BELOW)) {
      throw new ConfigException(
          GridFusionOptions.RISK_CAPS.key(),
          "standing must be at least 0 and below "
              + (int) LOW_BELOW
              + " (was "
              + standingCap
              + "): a grid with nothing in 24 h must be LOW (contract §4)");
    }
    if (!(activityCap >= 0)) {
      throw new ConfigException(
          GridFusionOptions.RISK_CAPS.key(),
          "activity must be at least 0 (was " + activityCap + ")");
    }
    if (!(populationPer1000 >= 0)) {
      throw new ConfigException(
          GridFusionOptions.RISK_POPULATION_PER_1000.key(), "must be at least 0");
    }
  }

  public static RiskWeights defaults() {
    return from(Config.empty());
  }

  public static RiskWeights from(Config c) {
    Map<String, Double> caps = c.get(GridFusionOptions.RISK_CAPS); // names checked by the option
    return new RiskWeights(
        c.get(GridFusionOptions.RISK_HALF_LIFE),
        c.get(GridFusionOptions.RISK_CONTEXT_TTL),
        c.get(GridFusionOptions.RISK_WEIGHTS_ALERT),
        c.get(GridFusionOptions.RISK_WEIGHTS_RECORD),
        c.get(GridFusionOptions.RISK_SENSOR_ELEVATED),
        c.get(GridFusionOptions.RISK_WEIGHTS_CONTEXT),
        c.get(GridFusionOptions.RISK_WEIGHTS_GRID_KIND),
        c.get(GridFusionOptions.RISK_POPULATION_PER_1000),
        caps.get("standing"),
        caps.get("activity"),
        c.get(GridFusionOptions.RISK_WEIGHTS_BLIND_SPOT));
  }

  /** Fraction left of a contribution {@code elapsedMs} after it was made. */
  double decay(long elapsedMs) {
    return elapsedMs <= 0 ? 1.0 : Math.pow(0.5, (double) elapsedMs / halfLife.toMillis());
  }
}
