package org.gridfusion.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.gridfusion.schema.Record;

/**
 * The input of {@link RuleEngineVsEsper}, built once in memory so both engines get exactly the same
 * records and watermarks: a {@link MixedRecordStream} with, every {@value #INCIDENT_EVERY} records,
 * one incident of the next default rule ({@link Incidents}) in a random grid, starting at {@link
 * #START} so that a run of a few hundred thousand records already reaches the night, and a
 * watermark every {@value #WATERMARK_EVERY} records trailing the stream by {@value
 * #WATERMARK_DELAY_MS} ms.
 *
 * <p>The run ends with a watermark a day past the last record, as if the stream had stopped and
 * time went on: it fires every pending timer (suspected fires, the 24 h silences of watched doors),
 * so the measured work includes what event time triggers and not only what records trigger.
 */
final class RuleBenchStream {
  static final int WATERMARK_EVERY = 1_000;
  static final int INCIDENT_EVERY = 2_000;

  /** The background's disorder (2 s) plus a margin: no record is ever behind the watermark. */
  static final long WATERMARK_DELAY_MS = 5_000;

  static final Duration FLUSH = Duration.ofHours(25);

  /** 18:00 in Shanghai: the night (NIGHT_NOISE's 22:00-06:00) starts some 290,000 records in. */
  static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  final List<Record> records;

  /** watermarks[i] follows records[(i + 1) * WATERMARK_EVERY - 1]. */
  final long[] watermarks;

  /** The stream's clock after its last record. */
  final long last;

  private RuleBenchStream(List<Record> records, long[] watermarks, long last) {
    this.records = records;
    this.watermarks = watermarks;
    this.last = last;
  }

  static RuleBenchStream build(int n, long seed) {
    return build(n, seed, START);
  }

  static RuleBenchStream build(int n, long seed, Instant start) {
    MixedRecordStream background = new MixedRecordStream(seed, start);
    SplittableRandom random = new SplittableRandom(seed + 1);
    PriorityQueue<Record> incidents = new PriorityQueue<>(Comparator.comparing(Record::getTs));
    List<Record> records = new ArrayList<>(n);
    long[] watermarks = new long[n / WATERMARK_EVERY];
    int k = 0;
    while (records.size() < n) {
      if (records.size() % INCIDENT_EVERY == 0 && incidents.size() < 100) {
        int grid = random.nextInt(MixedRecordStream.GRIDS);
        Incidents.Place p =
            new Incidents.Place(
                MixedRecordStream.gridId(grid), MixedRecordStream.gridKind(grid), "X" + k);
        incidents.addAll(
            Incidents.of(
                Incidents.RULES.get(k % Incidents.RULES.size()),
                p,
                Instant.ofEpochMilli(background.clock() + 1_000)));
        k++;
      }
      Record next =
          !incidents.isEmpty() && incidents.peek().getTs().toEpochMilli() <= background.clock()
              ? incidents.poll()
              : background.next();
      records.add(next);
      if (records.size() % WATERMARK_EVERY == 0) {
        watermarks[records.size() / WATERMARK_EVERY - 1] = background.clock() - WATERMARK_DELAY_MS;
      }
    }
    return new RuleBenchStream(records, watermarks, background.clock());
  }

  /** Feeds the first {@code n} records with their watermarks, then the closing watermark. */
  void feed(RulePipeline p, int n) throws Exception {
    feed(p, n, FLUSH);
  }

  /**
   * As {@link #feed(RulePipeline, int)}, the closing watermark {@code flush} past the last record:
   * past the longest silence of the rule set, so that no silence falls due within the minute
   * GridFusion rounds its silence checks to (Esper checks to the millisecond).
   */
  void feed(RulePipeline p, int n, Duration flush) throws Exception {
    for (int i = 0; i < n; i++) {
      p.accept(records.get(i));
      if ((i + 1) % WATERMARK_EVERY == 0) p.watermark(watermarks[i / WATERMARK_EVERY]);
    }
    p.watermark(
        (n == records.size() ? last : records.get(n - 1).getTs().toEpochMilli())
            + flush.toMillis());
  }
}
