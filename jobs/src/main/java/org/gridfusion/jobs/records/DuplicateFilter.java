package org.gridfusion.jobs.records;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
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
 *
 * <p>Two layouts of the same memory, by state backend ({@link #LAYOUT}, a global job parameter set
 * by {@code JobRunner.jobConfiguration}): on the heap one {@link RecentIds} table per grid (24
 * bytes an id; the heap backend reads and writes it as an object, no serialisation); on RocksDB,
 * where a value is deserialised on every read and serialised on every write, one map entry per id
 * (fingerprint → minute seen), so a record costs one point lookup and one small put instead of
 * rewriting the grid's whole table. A sweep also drops what the other layout left (a savepoint
 * moved between backends), so nothing is kept forever.
 */
public final class DuplicateFilter implements Serializable {
  /** How often a grid's remembered ids are swept for expired ones. */
  private static final long SWEEP_MS = 60_000L;

  /** Global job parameter naming the layout: {@link #PER_ID} or (default) one table per grid. */
  public static final String LAYOUT = "gridfusion.dedup.layout";

  /** The layout for RocksDB: one map entry per remembered id. */
  public static final String PER_ID = "per-id";

  private final long ttlMs;
  private transient boolean perId;
  private transient ValueState<RecentIds> seen;
  private transient MapState<Long, Integer> seenMinutes;
  private transient ValueState<Long> sweepAt;
  private transient Counter duplicates;

  public DuplicateFilter(Duration ttl) {
    if (ttl.isNegative())
      throw new IllegalArgumentException("the de-duplication TTL must not be negative, got " + ttl);
    this.ttlMs = ttl.toMillis();
  }

  public void open(RuntimeContext rc) {
    perId = PER_ID.equals(rc.getGlobalJobParameters().get(LAYOUT));
    seen = rc.getState(new ValueStateDescriptor<>("recent-ids", RecentIds.class));
    seenMinutes =
        rc.getMapState(new MapStateDescriptor<>("recent-id-minutes", Types.LONG, Types.INT));
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
    if (perId) {
      long f = fingerprint(recordId);
      Integer minute = seenMinutes.get(f);
      if (minute != null && !RecentIds.expired(minute, now, ttlMs)) {
        duplicates.inc();
        return false;
      }
      seenMinutes.put(f, RecentIds.minute(now));
    } else {
      RecentIds ids = seen.value();
      boolean firstOfGrid = ids == null;
      if (firstOfGrid) ids = RecentIds.empty();
      if (!ids.add(fingerprint(recordId), now, ttlMs)) {
        duplicates.inc();
        return false;
      }
      seen.update(ids);
      // a grid holding ids has its sweep scheduled (sweep sets and clears both together), so the
      // sweep's state is looked up for a grid's first id only: one keyed state lookup less per
      // record (issue 14)
      if (!firstOfGrid) return true;
    }
    if (sweepAt.value() == null) schedule(now, timers);
    return true;
  }

  /**
   * A processing-time timer of the current grid fired: forgets expired ids, drops the state when
   * none are left.
   */
  public void sweep(long now, TimerService timers) throws Exception {
    boolean empty;
    if (perId) {
      seen.clear(); // the other layout's, if any
      List<Long> expired = new ArrayList<>();
      int left = 0;
      for (Map.Entry<Long, Integer> e : seenMinutes.entries()) {
        if (RecentIds.expired(e.getValue(), now, ttlMs)) expired.add(e.getKey());
        else left++;
      }
      for (Long f : expired) seenMinutes.remove(f);
      empty = left == 0;
      if (empty) seenMinutes.clear();
    } else {
      seenMinutes.clear(); // the other layout's, if any
      RecentIds ids = seen.value();
      empty = ids == null || ids.expire(now, ttlMs);
      if (empty) seen.clear();
      else seen.update(ids);
    }
    if (empty) sweepAt.clear();
    else schedule(now, timers);
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
