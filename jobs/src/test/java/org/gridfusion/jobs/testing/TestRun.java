package org.gridfusion.jobs.testing;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one job run of a test shares between the test thread, the {@link ScriptedSource}s and the
 * {@link CollectingSink}s: the outputs collected so far, the watermark each sink writer has seen,
 * which holds are released, and which partitions wait at a hold. The MiniCluster runs in the test's
 * JVM, so sources and sinks find it by its id in a static registry.
 *
 * <p>Every change (an output, a watermark, a release) completes {@link #nextChange()}, so sources
 * waiting for a condition and the test waiting for the end of event time are woken by what they
 * wait for, never by a clock.
 */
public final class TestRun {
  private static final Map<String, TestRun> RUNS = new ConcurrentHashMap<>();
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String id;
  private final Map<String, Appended> outputs = new LinkedHashMap<>();
  private final Map<String, Long> watermarks = new HashMap<>();
  private final Set<String> released = new HashSet<>();
  private final Set<String> held = new HashSet<>();
  private CompletableFuture<Void> change = new CompletableFuture<>();

  private TestRun(String id) {
    this.id = id;
  }

  /** A new run, with the given holds released from the start. */
  public static TestRun create(String name, Set<String> released) {
    TestRun run = new TestRun(name + "-" + IDS.incrementAndGet());
    run.released.addAll(released);
    RUNS.put(run.id, run);
    return run;
  }

  static TestRun get(String id) {
    TestRun run = RUNS.get(id);
    if (run == null) throw new IllegalStateException("no test run " + id);
    return run;
  }

  public String id() {
    return id;
  }

  /** Forgets the run (its outputs stay readable through the objects already handed out). */
  public void close() {
    RUNS.remove(id);
  }

  // ------------------------------------------------------------------ sinks

  synchronized void collect(String output, Object value) {
    outputs.computeIfAbsent(output, k -> new Appended()).add(value);
    changed();
  }

  synchronized void writer(String output, int subtask) {
    watermarks.putIfAbsent(output + "#" + subtask, Long.MIN_VALUE);
    changed();
  }

  synchronized void watermark(String output, int subtask, long watermark) {
    watermarks.merge(output + "#" + subtask, watermark, Math::max);
    changed();
  }

  /**
   * The outputs collected so far, as an immutable snapshot. Cheap (no element is copied): sources
   * check their conditions on it at every change.
   */
  public synchronized CollectedOutputs outputs() {
    Map<String, List<Object>> view = new LinkedHashMap<>();
    Map<String, long[]> times = new LinkedHashMap<>();
    outputs.forEach(
        (k, v) -> {
          view.put(k, v.snapshot());
          times.put(k, Arrays.copyOf(v.collectedAt, v.size));
        });
    return new CollectedOutputs(view, times);
  }

  /**
   * A list that only grows: a snapshot is the array and the size at the time, and slots below a
   * snapshot's size are never written again (a full array is replaced, not changed).
   */
  private static final class Appended {
    private Object[] items = new Object[64];
    // wall-clock millis each element reached its sink (detection delays, ScenarioSetITCase)
    private long[] collectedAt = new long[64];
    private int size;

    void add(Object o) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
        collectedAt = Arrays.copyOf(collectedAt, size * 2);
      }
      collectedAt[size] = System.currentTimeMillis();
      items[size++] = o;
    }

    List<Object> snapshot() {
      Object[] a = items;
      int n = size;
      return new AbstractList<>() {
        @Override
        public Object get(int i) {
          Objects.checkIndex(i, n);
          return a[i];
        }

        @Override
        public int size() {
          return n;
        }
      };
    }
  }

  /** True once {@code writers} sink writers exist and each has seen a watermark of {@code t}. */
  synchronized boolean allWritersReached(int writers, long t) {
    return watermarks.size() >= writers && watermarks.values().stream().allMatch(w -> w >= t);
  }

  synchronized String watermarksSeen() {
    return watermarks.toString();
  }

  // ------------------------------------------------------------------ sources

  public synchronized void release(String hold) {
    released.add(hold);
    changed();
  }

  synchronized boolean isReleased(String hold) {
    return released.contains(hold);
  }

  synchronized void holding(String partition) {
    if (held.add(partition)) changed();
  }

  synchronized Set<String> holding() {
    return Set.copyOf(held);
  }

  /** Completes at the next change of anything in this run. */
  synchronized CompletableFuture<Void> nextChange() {
    return change;
  }

  private void changed() {
    CompletableFuture<Void> done = change;
    change = new CompletableFuture<>();
    done.complete(null);
  }
}
