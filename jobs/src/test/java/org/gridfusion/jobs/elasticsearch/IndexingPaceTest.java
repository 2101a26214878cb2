package org.gridfusion.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexingPace} on a clock of the test's own: values are their own {@code receivedAt}, and
 * the test sees when each was let on and how long the task slept.
 */
class IndexingPaceTest {
  private static final long T0 = 1_764_000_000_000L;

  /** Static: the harness may copy the function, and its clock with it. */
  private static long now;

  private static long slept;
  private static final List<Long> LET_ON_AT = new ArrayList<>();

  private static final class TestClock implements IndexingPace.Clock {
    @Override
    public long now() {
      return now;
    }

    @Override
    public void sleep(long ms) {
      now += ms;
      slept += ms;
    }
  }

  @BeforeEach
  void reset() {
    now = T0;
    slept = 0;
    LET_ON_AT.clear();
  }

  private static OneInputStreamOperatorTestHarness<Long, Long> pace(double speed) throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(
        new IndexingPace<Long>(r -> r, speed, Duration.ofSeconds(30), new TestClock()));
  }

  /** Offers every value as one commit would hand them over, noting when each is let on. */
  private static void offer(OneInputStreamOperatorTestHarness<Long, Long> h, List<Long> values)
      throws Exception {
    for (long v : values) {
      h.processElement(v, v);
      LET_ON_AT.add(now);
    }
  }

  private static List<Long> arrivals(long from, int n, long everyMs) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(from + i * everyMs);
    return out;
  }

  @Test
  void aCommitsRecordsTakeTheirIntervalDividedByTheSpeed() throws Exception {
    try (OneInputStreamOperatorTestHarness<Long, Long> h = pace(1.25)) {
      // 10 s of input, one record every 2 ms, committed (handed over) at once right after
      List<Long> commit = arrivals(T0 - 10_000, 5_000, 2);
      offer(h, commit);

      assertThat(h.extractOutputValues()).isEqualTo(commit); // all of them, in order
      // 9,998 ms of arrivals at 1.25x: 8 s, give or take the last unslept 2 ms
      assertThat(slept).isBetween(7_990L, 8_000L);
      // evenly: the first half of the arrivals in the first half of the time
      assertThat(LET_ON_AT.get(2_500) - T0).isBetween(3_990L, 4_010L);
    }
  }

  @Test
  void aBacklogGoesAtOnce() throws Exception {
    try (OneInputStreamOperatorTestHarness<Long, Long> h = pace(1.25)) {
      // received a minute ago and more: Elasticsearch was away, the input waited in Kafka
      offer(h, arrivals(T0 - 70_000, 5_000, 2));

      assertThat(h.extractOutputValues()).hasSize(5_000);
      assertThat(slept).isZero();
    }
  }

  @Test
  void partitionsReadOneAfterTheOtherArePacedOnce() throws Exception {
    try (OneInputStreamOperatorTestHarness<Long, Long> h = pace(1.0)) {
      // the same second of two partitions, one batch each: not two seconds
      List<Long> batches = new ArrayList<>(arrivals(T0 - 1_000, 500, 2));
      batches.addAll(arrivals(T0 - 999, 500, 2));
      offer(h, batches);

      assertThat(h.extractOutputValues()).hasSize(1_000);
      assertThat(slept).isBetween(995L, 1_000L);
    }
  }

  @Test
  void quietSpellsAndSlowSinksAreNotMadeUpFor() throws Exception {
    try (OneInputStreamOperatorTestHarness<Long, Long> h = pace(1.0)) {
      // two records a minute apart in arrival, handed over together: replayed as 100 ms apart
      offer(h, List.of(T0 - 20_000, T0 - 20_000 + 60_000 - 50_000));
      assertThat(slept).isEqualTo(IndexingPace.MAX_GAP_MS);

      // time passed while nothing came (or the sink was slow): the next burst gets no credit
      now += 5_000;
      slept = 0;
      offer(h, arrivals(now - 1_000, 101, 10));
      assertThat(slept).isBetween(995L, 1_000L);
    }
  }

  @Test
  void aPaceBelowOneIsRefused() {
    assertThatThrownBy(() -> new IndexingPace<Long>(r -> r, 0.5, Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
