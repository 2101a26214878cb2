package org.gridfusion.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a loop that sends load (background traffic while a test breaks something) to one round per
 * interval, by deadline: each round is due one interval after the previous one was due, so the time
 * a send itself takes is not added to the pause. A loop that falls behind (a send that waited on a
 * restarting endpoint) starts again from now rather than bursting to catch up.
 *
 * <p>It paces; it never waits for something to happen: for that, {@link Await}.
 */
public final class Pacer {
  private final long intervalNanos;
  private long due;

  public Pacer(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("a pacer's interval must be positive: " + interval);
    }
    this.intervalNanos = interval.toNanos();
    this.due = System.nanoTime();
  }

  /**
   * Returns when the next round is due: at once the first time, then one interval after the
   * previous round was due.
   *
   * @throws InterruptedException when the thread is interrupted meanwhile (the loop is to stop)
   */
  public void awaitNext() throws InterruptedException {
    long now = System.nanoTime();
    if (due - now < -intervalNanos) due = now; // behind by more than a round: no burst
    long left;
    while ((left = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) throw new InterruptedException();
    }
    if (Thread.interrupted()) throw new InterruptedException();
    due += intervalNanos;
  }
}
