package org.gridfusion.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition on something outside the test's own thread (a connector's metric, a file a
 * watcher moves, a port a child process opens) by looking at it again and again until it holds or
 * the timeout passes. Tests wait through this (or {@link KafkaProbe#readUntil}, {@link
 * ElasticsearchProbe#awaitHits}) and never sleep for a fixed time: a wait ends as soon as what it
 * waits for is there, and it never stands in for a proof that something did not happen (assert an
 * absence against a marker that comes later instead).
 */
public final class Await {
  /** Pause between two looks: what is polled here can notify nobody, so it is looked at. */
  private static final long PAUSE_MS = 20;

  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} when it does not hold within {@code timeout}
   */
  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    until(what, condition, timeout, () -> "");
  }

  /** As {@link #until(String, BooleanSupplier, Duration)}, with {@code state} in the failure. */
  public static void until(
      String what, BooleanSupplier condition, Duration timeout, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String s = state.get();
        throw new AssertionError(
            what + ": not so within " + timeout + (s.isEmpty() ? "" : "; " + s));
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
