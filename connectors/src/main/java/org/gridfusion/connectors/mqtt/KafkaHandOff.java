package org.gridfusion.connectors.mqtt;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the endpoint's records to Kafka from a thread of its own and reports each outcome.
 *
 * <p>Why not send from the socket threads: {@code KafkaProducer.send} blocks for up to {@code
 * max.block.ms} when it has no metadata for a topic (Kafka down at start, metadata expired), and a
 * blocked socket thread would stop answering PINGREQs and PUBACKs of every connection it serves.
 * Here only the hand-off waits; the readings it holds are bounded by the endpoint's in-flight
 * limits, which stop reading from sockets first.
 *
 * <p>A send that fails (the producer already retried it for {@code delivery.timeout.ms}) is tried
 * again every second for as long as {@code stillWanted} says so (the reading's connection is open:
 * its client waits for the PUBACK); otherwise it is given up and the client, which got no PUBACK,
 * sends it again. Nothing is ever reported stored that Kafka did not acknowledge.
 */
final class KafkaHandOff implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaHandOff.class);
  private static final long RETRY_DELAY_MS = 1_000;
  private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final KafkaPublisher kafka;
  private final ScheduledExecutorService thread;
  private final LongAdder retries;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);
  private volatile boolean closed;

  KafkaHandOff(KafkaPublisher kafka, LongAdder retries) {
    this.kafka = kafka;
    this.retries = retries;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-ingest-kafka");
              t.setDaemon(true);
              return t;
            });
  }

  /** What becomes of a record. Called on a Kafka client thread: keep it short. */
  interface Outcome {
    /** Kafka acknowledged it ({@code acks=all}). */
    void stored();

    /** Not stored, and no longer wanted (its connection closed, or QoS 0). */
    void abandoned(Throwable lastError);
  }

  void send(SensorReadingIngest.Delivery d, BooleanSupplier stillWanted, Outcome outcome) {
    try {
      thread.execute(() -> attempt(d, stillWanted, outcome));
    } catch (RuntimeException rejected) {
      outcome.abandoned(rejected); // shutting down
    }
  }

  private void attempt(SensorReadingIngest.Delivery d, BooleanSupplier stillWanted, Outcome o) {
    kafka
        .send(d.topic(), d.key(), d.value())
        .whenComplete(
            (metadata, error) -> {
              if (error == null) {
                o.stored();
              } else if (!closed && stillWanted.getAsBoolean()) {
                retries.increment();
                warn(error);
                try {
                  thread.schedule(
                      () -> attempt(d, stillWanted, o), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                } catch (RuntimeException rejected) {
                  o.abandoned(error);
                }
              } else {
                o.abandoned(error);
              }
            });
  }

  private void warn(Throwable error) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn(
          "Kafka did not take a reading ({}); the endpoint retries every second and sends no PUBACK "
              + "meanwhile ({} retries so far)",
          error.toString(),
          retries.sum());
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow();
  }
}
