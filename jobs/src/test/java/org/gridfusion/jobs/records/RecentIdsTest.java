package org.gridfusion.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentIdsTest {
  private static final long MINUTE = 60_000L;
  private static final long MEMORY = 10 * MINUTE;

  @Test
  void anIdIsADuplicateForAtLeastTheMemoryAndForgottenSoonAfter() {
    RecentIds ids = RecentIds.empty();
    assertThat(ids.add(42, 0, MEMORY)).isTrue();
    assertThat(ids.add(42, 1, MEMORY)).isFalse();
    assertThat(ids.add(42, MEMORY - 1, MEMORY)).as("still within the memory").isFalse();
    assertThat(ids.add(42, MEMORY + MINUTE - 1, MEMORY))
        .as("within the minute more an id may be kept")
        .isFalse();
    assertThat(ids.expire(MEMORY + MINUTE, MEMORY)).isTrue();
    assertThat(ids.add(42, MEMORY + MINUTE, MEMORY)).isTrue();
    assertThat(ids.add(42, MEMORY + MINUTE + 1, MEMORY))
        .as("remembered again from its new sighting")
        .isFalse();
  }

  @Test
  void thousandsOfIdsOverTimeAreEachFoundOnceAndTheOldOnesDropped() {
    RecentIds ids = RecentIds.empty();
    SplittableRandom random = new SplittableRandom(7);
    long[] fingerprints = random.longs(20_000).toArray();
    fingerprints[17] = 0; // the free-slot marker is a fingerprint like any other
    for (int i = 0; i < fingerprints.length; i++) {
      long now = i * 60L; // 20,000 ids over 20 minutes
      assertThat(ids.add(fingerprints[i], now, MEMORY)).as("id %d first seen", i).isTrue();
      if (i >= 100)
        assertThat(ids.add(fingerprints[i - 100], now, MEMORY))
            .as("id %d again", i - 100)
            .isFalse();
    }
    long end = fingerprints.length * 60L;
    ids.expire(end, MEMORY);
    // what is left covers the last memory, and at most a minute more
    assertThat(ids.size()).isBetween((int) (MEMORY / 60), (int) ((MEMORY + MINUTE) / 60) + 1);
    assertThat(ids.add(fingerprints[fingerprints.length - 1], end, MEMORY)).isFalse();
    assertThat(ids.add(fingerprints[0], end, MEMORY)).as("the first id, 20 minutes ago").isTrue();
    assertThat(ids.expire(end + 2 * MEMORY, MEMORY))
        .as("nothing left after a quiet memory")
        .isTrue();
  }
}
