package org.gridfusion.simulator.traffic;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A bound on unacknowledged sends: a sender takes a slot before sending and gives it back on the
 * acknowledgement, so memory stays bounded however fast traffic is generated; {@link #drain} waits
 * until every slot is back (a sink's flush).
 */
public final class InFlight {
  private final Semaphore slots;
  private final int max;

  public InFlight(int max) {
    this.max = max;
    this.slots = new Semaphore(max);
  }

  public void acquire() throws InterruptedException {
    slots.acquire();
  }

  /** False when no slot came free within {@code timeout}. */
  public boolean acquire(Duration timeout) throws InterruptedException {
    return slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void release() {
    slots.release();
  }

  /**
   * Waits until nothing is outstanding; after {@code timeout}, says on {@code log} how many sends
   * are.
   */
  public void drain(Duration timeout, Logger log, String what) {
    try {
      if (slots.tryAcquire(max, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        slots.release(max);
      } else {
        log.warn(
            "{}: {} still unacknowledged after {}", what, max - slots.availablePermits(), timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
