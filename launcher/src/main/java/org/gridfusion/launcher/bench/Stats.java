package org.gridfusion.launcher.bench;

import java.util.Arrays;

/** The few statistics the benchmark reports. */
final class Stats {
  private Stats() {}

  /** Nearest-rank percentile ({@code p} in 0..100) of unsorted values; 0 for none. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) return 0;
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double mean(double[] values) {
    return values.length == 0 ? 0 : Arrays.stream(values).average().orElse(0);
  }

  static double max(double[] values) {
    return values.length == 0 ? 0 : Arrays.stream(values).max().orElse(0);
  }

  /** Least-squares slope of {@code y} over {@code x}; 0 with fewer than two distinct x. */
  static double slope(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) return 0;
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
