package org.gridfusion.jobs.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets records on to Elasticsearch at about the pace they arrived, not all at once. gf.records is
 * transactional, so the indexing job reads a whole checkpoint interval of records (10 s, 50,000 at
 * 5,000 records/s) the moment the fusion job commits them; indexed as fast as they come, they kept
 * the one Elasticsearch node's write threads busy for seconds at a time, and an alert's bulk,
 * written meanwhile by the fusion job, queued behind them (the searchable latency's tail, issue
 * 14). Here each record waits until the time since the previous one, by when the connectors
 * received them ({@code receivedAt}), divided by {@code speed}, has passed: a commit's records take
 * {@code 1 / speed} of the interval they arrived in, so the indexing still gains on the input and
 * the next commit finds it done.
 *
 * <p>Only what arrives in step with the input is paced. A record received longer ago than {@code
 * catchUp} (a backlog: Elasticsearch was away, the job restarted) goes at once, as fast as
 * Elasticsearch takes it. Arrival gaps count from the latest {@code receivedAt} seen, so records of
 * two partitions read one batch after the other are not paced twice, and a quiet spell in the input
 * longer than {@link #MAX_GAP_MS} is not replayed. Time is the task's clock; only differences of
 * {@code receivedAt} are used, so a connector clock off by less than {@code catchUp} changes
 * nothing. The wait blocks the task thread (at most {@code MAX_GAP_MS / speed} per record), which
 * Flink sees as the sink being slow: the source reads no further meanwhile.
 */
public final class IndexingPace<T> extends ProcessFunction<T, T> {
  /** A longer gap between two records' arrival is replayed as this long. */
  static final long MAX_GAP_MS = 100;

  /** Waits shorter than this are left to add up with the next. */
  private static final long MIN_WAIT_MS = 2;

  /** Reads when the connectors received a value, epoch ms. */
  @FunctionalInterface
  public interface ReceivedAt<T> extends Serializable {
    long of(T value);
  }

  /** The task's clock and its way of waiting; a test's moves on its own. */
  interface Clock extends Serializable {
    long now();

    void sleep(long ms) throws InterruptedException;
  }

  private static final Clock SYSTEM =
      new Clock() {
        @Override
        public long now() {
          return System.currentTimeMillis();
        }

        @Override
        public void sleep(long ms) throws InterruptedException {
          Thread.sleep(ms);
        }
      };

  private final ReceivedAt<T> receivedAt;
  private final double speed;
  private final long catchUpMs;
  private final Clock clock;

  /** The latest arrival seen. */
  private transient long latest;

  /** When the previous record was let on (fractional ms: gaps divided by the speed). */
  private transient double released;

  private transient Counter heldMs;

  /**
   * @param speed how much faster than they arrived records are let on; at least 1
   * @param catchUp records received longer ago than this are let on at once
   */
  public IndexingPace(ReceivedAt<T> receivedAt, double speed, Duration catchUp) {
    this(receivedAt, speed, catchUp, SYSTEM);
  }

  IndexingPace(ReceivedAt<T> receivedAt, double speed, Duration catchUp, Clock clock) {
    if (!(speed >= 1))
      throw new IllegalArgumentException("the indexing pace must be at least 1, got " + speed);
    this.receivedAt = receivedAt;
    this.speed = speed;
    this.catchUpMs = catchUp.toMillis();
    this.clock = clock;
  }

  @Override
  public void open(OpenContext ctx) {
    latest = Long.MIN_VALUE;
    heldMs = getRuntimeContext().getMetricGroup().counter("indexingPaceHeldMs");
  }

  @Override
  public void processElement(T value, Context ctx, Collector<T> out) throws Exception {
    long received = receivedAt.of(value);
    long now = clock.now();
    if (now - received > catchUpMs || latest == Long.MIN_VALUE) {
      latest = Math.max(latest, received);
      released = now;
      out.collect(value);
      return;
    }
    long gap = received - latest;
    if (gap > 0) {
      latest = received;
      released += Math.min(gap, MAX_GAP_MS) / speed;
    }
    // no credit for time the input was quiet or the sink slow: the next burst is paced anew
    if (released < now) released = now;
    long wait = (long) released - now;
    if (wait >= MIN_WAIT_MS) {
      clock.sleep(wait);
      heldMs.inc(wait);
    }
    out.collect(value);
  }
}
