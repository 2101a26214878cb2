package org.gridfusion.connectors.mqtt;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoint-wide bound on readings waiting for Kafka ({@code ingest.mqtt.maxInflight}).
 *
 * <p>A connection that takes a reading over the bound stops reading from its socket and {@link
 * #park parks} here; as Kafka acknowledges readings and the count falls below three quarters of the
 * bound, every parked connection is woken to resume. So when Kafka slows down, memory holds at most
 * the bound plus what the sockets had already read, and TCP's own flow control pushes back on the
 * sensors.
 */
final class InFlightLimit {
  private final int max;
  private final int resumeBelow;
  private final AtomicInteger count = new AtomicInteger();
  private final Queue<Runnable> parked = new ConcurrentLinkedQueue<>();

  InFlightLimit(int max) {
    this.max = max;
    this.resumeBelow = Math.max(1, max - max / 4);
  }

  /** Counts one more reading; false when that took the count over the bound. */
  boolean acquire() {
    return count.incrementAndGet() <= max;
  }

  void release() {
    if (count.decrementAndGet() < resumeBelow) wakeAll();
  }

  /** Whether a parked connection may resume reading. */
  boolean hasRoom() {
    return count.get() < resumeBelow;
  }

  /** {@code wake} runs once the count has fallen (or at once, should it already have). */
  void park(Runnable wake) {
    parked.add(wake);
    // The count may have fallen between the caller's check and this add.
    if (hasRoom()) wakeAll();
  }

  private void wakeAll() {
    Runnable r;
    while ((r = parked.poll()) != null) r.run();
  }

  int inFlight() {
    return count.get();
  }

  int parkedConnections() {
    return parked.size();
  }
}
