package org.gridfusion.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
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

  /** Pause between two {@link Look}s: each is a request to another process, kept off its back. */
  private static final long LOOK_PAUSE_MS = 100;

  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} when it does not hold within {@code timeout}
   */
  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    until(what, condition, timeout, () -> "");
  }

  /**
   * A look at something that may fail while it is briefly away: a REST endpoint whose process is
   * being restarted, an index not yet created.
   */
  @FunctionalInterface
  public interface Look<T> {
    T get() throws Exception;
  }

  /**
   * Returns the first value {@code look} gives that {@code ok} accepts. A look that throws counts
   * as "not yet" (what is looked at may be restarting, which is often the very thing a test waits
   * out); the last value or exception seen is named in the failure.
   *
   * @throws AssertionError naming {@code what} when no accepted value comes within {@code timeout}
   */
  public static <T> T until(String what, Look<T> look, Predicate<? super T> ok, Duration timeout) {
    return until(what, look, ok, timeout, String::valueOf);
  }

  /** As {@link #until(String, Look, Predicate, Duration)}, the last value told by {@code tell}. */
  public static <T> T until(
      String what,
      Look<T> look,
      Predicate<? super T> ok,
      Duration timeout,
      Function<? super T, String> tell) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = "nothing";
    while (true) {
      try {
        T value = look.get();
        if (ok.test(value)) return value;
        last = tell.apply(value);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError failure =
            new AssertionError(what + ": not so within " + timeout + "; last seen: " + last);
        if (last instanceof Exception e) failure.initCause(e);
        throw failure;
      }
      pause(what, LOOK_PAUSE_MS);
    }
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
      pause(what, PAUSE_MS);
    }
  }

  private static void pause(String what, long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }
}
