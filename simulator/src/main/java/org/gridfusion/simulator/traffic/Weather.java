package org.gridfusion.simulator.traffic;

import java.util.SplittableRandom;

/**
 * The district's rain, the same for every gauge: about one day in three brings a shower of one to
 * six hours that swells and fades, its start, length and strength drawn from the seed and the day
 * alone, so any moment of event time has one answer however the traffic is generated.
 */
final class Weather {
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;
  private static final long STEP_MS = 15 * 60_000L;

  /** Standing water follows rain with a lag and drains over about two hours. */
  private static final double[] PUDDLE_RESPONSE = {
    0.35, 0.7, 1.0, 0.9, 0.75, 0.6, 0.45, 0.3, 0.2, 0.1
  };

  private final long seed;

  Weather(long seed) {
    this.seed = seed;
  }

  /** Rain intensity at {@code epochMs}, 0 (dry) to 1 (a downpour). */
  double rain(long epochMs) {
    long day = Math.floorDiv(epochMs, DAY_MS);
    // a shower that started late the day before may still be falling
    return Math.max(shower(day - 1, epochMs), shower(day, epochMs));
  }

  /** How wet the streets are, 0 to 1: recent rain, weighted by how long ago it fell. */
  double wetness(long epochMs) {
    double w = 0;
    for (int k = 0; k < PUDDLE_RESPONSE.length; k++)
      w = Math.max(w, rain(epochMs - k * STEP_MS) * PUDDLE_RESPONSE[k]);
    return w;
  }

  private double shower(long day, long t) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + day);
    if (r.nextInt(3) != 0) return 0;
    long start = day * DAY_MS + r.nextLong(DAY_MS);
    long length = (1 + r.nextInt(6)) * HOUR_MS;
    double peak = 0.3 + 0.7 * r.nextDouble();
    if (t < start || t >= start + length) return 0;
    double x = (double) (t - start) / length; // 0..1 through the shower
    return peak * (1 - Math.abs(2 * x - 1));
  }
}
