package org.gridfusion.common.contract;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The accepted range of event time relative to the moment of receipt (contract §3): at most {@code
 * maxFuture} ahead (clock skew of devices), at most {@code horizon} behind.
 */
public record TimeWindow(Duration maxFuture, Duration horizon) implements Serializable {
  public static final TimeWindow CONTRACT_DEFAULT =
      new TimeWindow(Duration.ofMinutes(10), Duration.ofDays(30));

  void check(long ts, long receivedAt) {
    if (ts > receivedAt + maxFuture.toMillis()) {
      throw new InvalidInput(
          Reason.TS_IN_FUTURE,
          "ts "
              + Instant.ofEpochMilli(ts)
              + " is more than "
              + maxFuture.toMinutes()
              + " min ahead of receipt at "
              + Instant.ofEpochMilli(receivedAt));
    }
    if (ts < receivedAt - horizon.toMillis()) {
      throw new InvalidInput(
          Reason.TS_TOO_OLD,
          "ts "
              + Instant.ofEpochMilli(ts)
              + " is older than the horizon of "
              + horizon.toDays()
              + " days");
    }
  }
}
