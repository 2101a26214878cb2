package org.gridfusion.jobs.records;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;

/**
 * Drops a record whose id the grid has already seen: connectors deliver at least once (an MQTT
 * redelivery, an HTTP client retry, a connector restarting after Kafka took a batch it had not yet
 * acknowledged). For a keyed-by-grid function, which calls {@link #firstSighting} per record and
 * hands it its processing-time timers ({@link #sweep}).
 *
 * <p>A TTL of 0 turns it off. The memory of an id lasts the TTL ({@code job.dedupTtl}, default 10
 * minutes; up to a minute longer), so state stays bounded by the ids of one TTL: at 5,000 records/s
 * that is 3 million 64-bit fingerprints in {@link RecentIds}, under 60 MB of heap. A redelivery
 * later than that passes; its Elasticsearch document is rewritten under the same id, and windowed
 * rules ignore a record id they already hold. Expiry is by a processing-time sweep per grid each
 * minute rather than state TTL, whose incremental clean-up rebuilt a grid's whole map of ids on
 * each visit.
 */
public final class DuplicateFilter implements Serializable {
  /** How often a grid's remembered ids are swept for expired ones. */
  private static final long SWEEP_MS = 60_000L;

  private final long ttlMs;
  private transient ValueState<RecentIds> seen;
  private transient ValueState<Long> sweepAt;
  private transient Counter duplicates;

  public DuplicateFilter(Duration ttl) {
    if (ttl.isNegative())
      throw new IllegalArgumentException("the de-duplication TTL must not be negative, got " + ttl);
    this.ttlMs = ttl.toMillis();
  }

  public void open(RuntimeContext rc) {
    seen = rc.getState(new ValueStateDescriptor<>("recent-ids", RecentIds.class));
    sweepAt = rc.getState(new ValueStateDescriptor<>("recent-ids-sweep", Long.class));
    duplicates = rc.getMetricGroup().counter("duplicatesDropped");
  }

  /**
   * True the first time the current grid sees {@code recordId} within the TTL; false (and counted)
   * after.
   */
  public boolean firstSighting(String recordId, TimerService timers) throws Exception {
    if (ttlMs == 0) return true; // off: the inputs are known to be free of redeliveries
    long now = timers.currentProcessingTime();
    RecentIds ids = seen.value();
    if (ids == null) ids = RecentIds.empty();
    if (!ids.add(fingerprint(recordId), now, ttlMs)) {
      duplicates.inc();
      return false;
    }
    seen.update(ids);
    if (sweepAt.value() == null) schedule(now, timers);
    return true;
  }

  /**
   * A processing-time timer of the current grid fired: forgets expired ids, drops the state when
   * none are left.
   */
  public void sweep(long now, TimerService timers) throws Exception {
    RecentIds ids = seen.value();
    if (ids == null || ids.expire(now, ttlMs)) {
      seen.clear();
      sweepAt.clear();
    } else {
      seen.update(ids);
      schedule(now, timers);
    }
  }

  private void schedule(long now, TimerService timers) throws Exception {
    long at = now + Math.min(SWEEP_MS, ttlMs);
    timers.registerProcessingTimeTimer(at);
    sweepAt.update(at);
  }

  /**
   * A 64-bit fingerprint of the record id, kept instead of the id. Two ids of one grid sharing a
   * fingerprint within one TTL (odds about n²/2⁶⁵, one in a million at 3 million ids) would drop
   * the second record.
   */
  static long fingerprint(String recordId) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (int i = 0; i < recordId.length(); i++) {
      h ^= recordId.charAt(i);
      h *= 0x100000001b3L;
    }
    return h ^ ((long) recordId.hashCode() << 32);
  }
}
