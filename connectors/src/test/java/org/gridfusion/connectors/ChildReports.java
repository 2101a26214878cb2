package org.gridfusion.connectors;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * For the connector processes tests start: tells the parent a count it follows (readings stored,
 * peak heap) on standard output as {@code <label> <n>}, each time it has changed, looking at it
 * once every {@code every} on a thread of its own. The parent reads those lines to pick its moment
 * to kill or to check a figure; the child's main thread then only has to stay alive ({@link
 * #runUntilKilled}) until the test kills it or {@link ParentWatchdog} halts it.
 */
public final class ChildReports {
  private ChildReports() {}

  /** Starts telling {@code label} whenever {@code count} differs from what was told last. */
  public static void tellChanges(String label, LongSupplier count, Duration every) {
    ScheduledExecutorService reporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "report-" + label);
              t.setDaemon(true);
              return t;
            });
    long[] told = {Long.MIN_VALUE};
    reporter.scheduleWithFixedDelay(
        () -> {
          long now = count.getAsLong();
          if (now != told[0]) {
            System.out.println(label + " " + now);
            System.out.flush();
            told[0] = now;
          }
        },
        0,
        every.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Blocks the calling (main) thread for good: the process ends by SIGKILL from the test or by
   * {@link ParentWatchdog} once the test JVM is gone.
   */
  public static void runUntilKilled() throws InterruptedException {
    Thread.currentThread().join();
  }
}
