package org.gridfusion.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleSetCacheTest {
  private static final String TEXT = RuleSet.defaults().source();

  @Test
  void aSetIsParsedOnceAndItsIndexesAreSharedByTheTasksOfTheJvm() {
    RuleSet first = RuleSetCache.parse(TEXT, "task 1");
    RuleSet second = RuleSetCache.parse(TEXT, "task 2");
    assertThat(second).isSameAs(first);
    RuleIndex one = new GridRules().indexFor(first, "G-1", "BASIC");
    RuleIndex other = new GridRules().indexFor(second, "G-2", "BASIC");
    assertThat(other).as("another task's grid, the same rules").isSameAs(one);
  }

  @Test
  void aSetNotReadThroughTheCacheGetsItsOwnIndexes() {
    RuleSet own = RuleSet.parse(TEXT, "own");
    RuleSet cached = RuleSetCache.parse(TEXT, "cached");
    assertThat(new GridRules().indexFor(own, "G-1", "BASIC"))
        .isNotSameAs(new GridRules().indexFor(cached, "G-1", "BASIC"));
  }

  @Test
  void aBadSetIsRefusedEveryTime() {
    String bad = TEXT.replace("severity: URGENT", "severity: SOON");
    for (int attempt = 0; attempt < 2; attempt++)
      assertThatThrownBy(() -> RuleSetCache.parse(bad, "gf.rules"))
          .isInstanceOf(RuleSet.InvalidRuleSet.class)
          .hasMessageContaining("SOON");
  }
}
