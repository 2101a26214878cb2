package org.gridfusion.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.rules.RuleEngine;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.schema.Record;

/**
 * End-to-end rule evaluation throughput, outside JMH: the {@link RuleEngine} with all default rules
 * on Flink's keyed-broadcast operator test harness (heap state, one thread), fed a {@link
 * MixedRecordStream} with a watermark every 1,000 records. Timers (FIRE_SUSPECTED,
 * ELDERLY_INACTIVE, state clean-up) fire inside the measured time, as they do in the job. Records
 * are generated in batches outside the timed sections so the figure is the engine's, not the
 * generator's.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.gridfusion.bench.RuleThroughput [records]
 * [warmupRecords] [rounds]} (defaults 1,000,000, 400,000 and 3). The warm-up and every measured
 * round run on a fresh harness, so no round inherits another's state; the same seed makes every
 * round the same stream.
 */
public final class RuleThroughput {
  private static final int BATCH = 10_000;
  private static final int WATERMARK_EVERY = 1_000;

  /** The watermark trails the stream by the generator's disorder plus a margin. */
  private static final long WATERMARK_DELAY_MS = 5_000;

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private RuleThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(
        "rule engine, default rules, %d grids, watermark every %d records%n",
        MixedRecordStream.GRIDS, WATERMARK_EVERY);
    Result w = run(warmup, 1);
    System.out.printf(
        "warm-up:  %,d records in %.2f s = %,.0f records/s%n",
        warmup, w.seconds(), warmup / w.seconds());
    double[] rates = new double[rounds];
    Result r = null;
    for (int i = 0; i < rounds; i++) {
      r = run(n, 42);
      rates[i] = n / r.seconds();
      System.out.printf(
          "round %d:  %,d records in %.2f s = %,.0f records/s%n", i + 1, n, r.seconds(), rates[i]);
    }
    Arrays.sort(rates);
    System.out.printf(
        "median:   %,.0f records/s (min %,.0f, max %,.0f)%n",
        rates[rounds / 2], rates[0], rates[rounds - 1]);
    System.out.println("firings by rule (one round): " + r.firings());
  }

  /**
   * {@code seconds} of wall-clock time and {@code cpuSeconds} of the thread's CPU time in the timed
   * sections: on a shared machine the CPU time is the steadier figure (time the thread waited for a
   * core is not in it).
   */
  record Result(double seconds, double cpuSeconds, Map<String, Integer> firings) {}

  static Result run(int n, long seed) throws Exception {
    return run(n, seed, RuleSet.defaults());
  }

  static Result run(int n, long seed, RuleSet rules) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> h =
        FlinkRulePipeline.ruleEngineHarness(rules);
    try {
      MixedRecordStream stream = new MixedRecordStream(seed);
      Map<String, Integer> firings = new TreeMap<>();
      List<Record> batch = new ArrayList<>(BATCH);
      long[] watermarks = new long[BATCH / WATERMARK_EVERY];
      long nanos = 0;
      long cpuNanos = 0;
      for (int done = 0; done < n; done += batch.size()) {
        batch.clear();
        int size = Math.min(BATCH, n - done);
        for (int i = 0; i < size; i++) {
          batch.add(stream.next());
          if ((i + 1) % WATERMARK_EVERY == 0)
            watermarks[i / WATERMARK_EVERY] = stream.clock() - WATERMARK_DELAY_MS;
        }
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < size; i++) {
          Record r = batch.get(i);
          h.processElement(new StreamRecord<>(r, r.getTs().toEpochMilli()));
          if ((i + 1) % WATERMARK_EVERY == 0)
            h.processWatermark(new Watermark(watermarks[i / WATERMARK_EVERY]));
        }
        nanos += System.nanoTime() - start;
        cpuNanos += CPU.getCurrentThreadCpuTime() - cpuStart;
        // The harness keeps every output; drain it so memory stays flat over a million records.
        for (Object o : h.getOutput()) {
          if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof Firing f)
            firings.merge(f.ruleId(), 1, Integer::sum);
        }
        h.getOutput().clear();
      }
      return new Result(nanos / 1e9, cpuNanos / 1e9, firings);
    } finally {
      h.close();
    }
  }
}
