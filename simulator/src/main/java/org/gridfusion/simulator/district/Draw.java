package org.gridfusion.simulator.district;

import java.util.SplittableRandom;

/** Small random draws over a caller's seeded generator (never a generator of its own). */
final class Draw {
  private Draw() {}

  /**
   * Knuth's method: exact and fast for the small means used here (bounded by {@link Densities}).
   */
  static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) return 0;
    double limit = StrictMath.exp(-mean); // StrictMath: same bits on every JVM and CPU
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  static boolean chance(SplittableRandom r, double p) {
    return r.nextDouble() < p;
  }

  /** Uniform in [lo, hi], both inclusive. */
  static int between(SplittableRandom r, int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }

  static double between(SplittableRandom r, double lo, double hi) {
    return lo + r.nextDouble() * (hi - lo);
  }

  static <T> T pick(SplittableRandom r, T[] items) {
    return items[r.nextInt(items.length)];
  }
}
