package org.gridfusion.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one job run an ITCase's tests share. It is played by the first test's {@code @BeforeEach}
 * (the MiniCluster extension makes its cluster the context of tests only, not of
 * {@code @BeforeAll}); every later test checks that it gave outputs, so that a failed run fails
 * each test with a pointer to the first one instead of being played again.
 */
public final class SharedRun {
  private boolean played;

  /**
   * True the first time: the caller plays the run now. After that false, once {@code outputs} (what
   * the first time gave) is asserted to be there.
   */
  public boolean playNow(CollectedOutputs outputs) {
    if (played) {
      assertThat(outputs).as("the class's job run failed: see the first test").isNotNull();
      return false;
    }
    played = true;
    return true;
  }
}
