package org.gridfusion.jobs.records;

/**
 * The record ids a grid has seen lately, as 64-bit fingerprints in one open-addressing hash table
 * with the minute each was seen: a lookup is one probe sequence, and a sweep rebuilds the table
 * without the ids older than the memory. An id is remembered for at least {@code memory} and at
 * most a minute longer.
 *
 * <p>Kept as one value per grid in keyed state (a Flink POJO of two primitive arrays): at most 24
 * bytes of heap per id, against ~150 for a map entry of boxed longs, and a checkpoint or a
 * copy-on-write copy is two array copies instead of a rebuilt map. Fingerprint collisions: two
 * different ids of one grid sharing 64 bits within one memory drop the second; at 3 million ids
 * that is one chance in a million.
 */
public class RecentIds {
  static final long MINUTE = 60_000L;
  private static final int INITIAL_CAPACITY = 16;

  /**
   * Fingerprints; 0 marks a free slot (a fingerprint of 0 is stored as 1). Length a power of two,
   * at most half full.
   */
  public long[] fingerprints;

  /** For each slot, the minute (epoch ms / 60,000) its id was seen. */
  public int[] minutes;

  public int size;

  public RecentIds() {}

  static RecentIds empty() {
    RecentIds ids = new RecentIds();
    ids.fingerprints = new long[INITIAL_CAPACITY];
    ids.minutes = new int[INITIAL_CAPACITY];
    return ids;
  }

  /**
   * Remembers {@code fingerprint} at {@code now}.
   *
   * @return false when it is remembered already (a duplicate)
   */
  boolean add(long fingerprint, long now, long memoryMs) {
    long f = fingerprint == 0 ? 1 : fingerprint;
    int mask = fingerprints.length - 1;
    int i = slot(f, mask);
    for (long x; (x = fingerprints[i]) != 0; i = (i + 1) & mask) {
      if (x == f) {
        if (!expired(minutes[i], now, memoryMs)) return false;
        minutes[i] = minute(now); // seen again after it was forgotten: a new first sighting
        return true;
      }
    }
    if ((size + 1) * 2 > fingerprints.length) {
      rebuild(fingerprints.length * 2, Long.MIN_VALUE, memoryMs);
      mask = fingerprints.length - 1;
      i = slot(f, mask);
      while (fingerprints[i] != 0) i = (i + 1) & mask;
    }
    fingerprints[i] = f;
    minutes[i] = minute(now);
    size++;
    return true;
  }

  /** Forgets the ids older than the memory; true when nothing is left. */
  boolean expire(long now, long memoryMs) {
    int live = 0;
    for (int i = 0; i < fingerprints.length; i++) {
      if (fingerprints[i] != 0 && !expired(minutes[i], now, memoryMs)) live++;
    }
    if (live < size) {
      int capacity = INITIAL_CAPACITY;
      while (live * 2 > capacity) capacity *= 2;
      rebuild(capacity, now, memoryMs);
    }
    return size == 0;
  }

  int size() {
    return size;
  }

  static int minute(long now) {
    return (int) (now / MINUTE);
  }

  /** Expired once the end of the minute it was seen in is a whole memory ago. */
  static boolean expired(int minute, long now, long memoryMs) {
    return (minute + 1L) * MINUTE + memoryMs <= now;
  }

  /**
   * A new table of {@code capacity} slots with the ids still remembered at {@code now} (all, for
   * Long.MIN_VALUE).
   */
  private void rebuild(int capacity, long now, long memoryMs) {
    long[] oldFingerprints = fingerprints;
    int[] oldMinutes = minutes;
    fingerprints = new long[capacity];
    minutes = new int[capacity];
    size = 0;
    int mask = capacity - 1;
    for (int j = 0; j < oldFingerprints.length; j++) {
      long f = oldFingerprints[j];
      if (f == 0 || now != Long.MIN_VALUE && expired(oldMinutes[j], now, memoryMs)) continue;
      int i = slot(f, mask);
      while (fingerprints[i] != 0) i = (i + 1) & mask;
      fingerprints[i] = f;
      minutes[i] = oldMinutes[j];
      size++;
    }
  }

  private static int slot(long f, int mask) {
    return (int) ((f * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
