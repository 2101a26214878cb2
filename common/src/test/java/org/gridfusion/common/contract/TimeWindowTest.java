package org.gridfusion.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A device's clock may run ahead of the receiving connector's by up to the tolerance ({@code
 * validation.maxFuture}, contract §3: 10 minutes): such a record is taken with its own {@code ts},
 * not corrected; one further ahead is dead-lettered {@code TS_IN_FUTURE}. A clock running behind
 * only makes records late, down to the horizon.
 */
class TimeWindowTest {
  private static final long NOW = 1_764_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final TimeWindow WINDOW = TimeWindow.CONTRACT_DEFAULT;

  @Test
  void aClockAheadByUpToTenMinutesIsAccepted() {
    assertThatCode(() -> WINDOW.check(NOW + 9 * MINUTE, NOW)).doesNotThrowAnyException();
    assertThatCode(() -> WINDOW.check(NOW + 10 * MINUTE, NOW)).doesNotThrowAnyException();
  }

  @Test
  void aClockFurtherAheadIsDeadLetteredAsInTheFuture() {
    InvalidInput refused =
        catchThrowableOfType(InvalidInput.class, () -> WINDOW.check(NOW + 10 * MINUTE + 1, NOW));
    assertThat(refused.reason).isEqualTo(Reason.TS_IN_FUTURE);
    assertThat(refused.getMessage()).contains("more than 10 min ahead");
  }

  @Test
  void aClockBehindIsAcceptedDownToTheHorizon() {
    long horizon = Duration.ofDays(30).toMillis();
    assertThatCode(() -> WINDOW.check(NOW - 2 * 60 * MINUTE, NOW)).doesNotThrowAnyException();
    assertThatCode(() -> WINDOW.check(NOW - horizon, NOW)).doesNotThrowAnyException();
    InvalidInput refused =
        catchThrowableOfType(InvalidInput.class, () -> WINDOW.check(NOW - horizon - 1, NOW));
    assertThat(refused.reason).isEqualTo(Reason.TS_TOO_OLD);
  }

  @Test
  void theToleranceIsConfigurable() {
    TimeWindow strict = new TimeWindow(Duration.ofMinutes(1), Duration.ofDays(30));
    InvalidInput refused =
        catchThrowableOfType(InvalidInput.class, () -> strict.check(NOW + 2 * MINUTE, NOW));
    assertThat(refused.reason).isEqualTo(Reason.TS_IN_FUTURE);
  }
}
