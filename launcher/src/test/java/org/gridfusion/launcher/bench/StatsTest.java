package org.gridfusion.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesAreNearestRankOfUnsortedValues() {
    long[] ms = {900, 100, 500, 300, 700, 200, 800, 400, 1000, 600};
    assertThat(Stats.percentile(ms, 50)).isEqualTo(500);
    assertThat(Stats.percentile(ms, 95)).isEqualTo(1000);
    assertThat(Stats.percentile(ms, 10)).isEqualTo(100);
    assertThat(Stats.percentile(ms, 100)).isEqualTo(1000);
    assertThat(ms[0]).as("input left unsorted").isEqualTo(900);
    assertThat(Stats.percentile(new long[0], 99)).isZero();
  }

  @Test
  void slopeOfAGrowingHeapIsItsGrowthPerUnit() {
    double[] minutes = {0, 1, 2, 3, 4};
    assertThat(Stats.slope(minutes, new double[] {100, 110, 120, 130, 140}))
        .isCloseTo(10, within(1e-9));
    assertThat(Stats.slope(minutes, new double[] {100, 100, 100, 100, 100})).isZero();
    assertThat(Stats.slope(new double[] {1}, new double[] {5})).isZero();
  }
}
