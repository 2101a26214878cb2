package org.gridfusion.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The duplicate filter in both of its layouts, each on the state backend it is meant for: drops a
 * redelivery within the TTL, passes it after, and leaves no state and no timer once a grid's ids
 * have expired.
 */
class DuplicateFilterTest {
  private static final long MINUTE = 60_000L;

  /** A keyed-by-grid function that only de-duplicates: what the rule engine does first. */
  private static final class Dedup extends KeyedProcessFunction<String, String, String> {
    private final DuplicateFilter filter = new DuplicateFilter(Duration.ofMinutes(10));

    @Override
    public void open(OpenContext ctx) {
      filter.open(getRuntimeContext());
    }

    @Override
    public void processElement(String id, Context ctx, Collector<String> out) throws Exception {
      if (filter.firstSighting(id, ctx.timerService())) out.collect(id);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<String> out) throws Exception {
      filter.sweep(t, ctx.timerService());
    }
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of("table per grid on the heap", new HashMapStateBackend(), null, "recent-ids"),
        Arguments.of(
            "entry per id on RocksDB",
            new EmbeddedRocksDBStateBackend(),
            DuplicateFilter.PER_ID,
            "recent-id-minutes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void dropsRedeliveriesWithinTheTtlAndForgetsEverythingAfter(
      String name, StateBackend backend, String layout, String state) throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Dedup()), DuplicateFilterTest::grid, Types.STRING)) {
      h.setStateBackend(backend);
      if (layout != null) {
        h.getExecutionConfig()
            .setGlobalJobParameters(Configuration.fromMap(Map.of(DuplicateFilter.LAYOUT, layout)));
      }
      h.open();
      h.setProcessingTime(0);
      for (String id : List.of("G1:a", "G1:b", "G2:a", "G1:a", "G2:a")) h.processElement(id, 0);
      assertThat(h.extractOutputValues()).containsExactly("G1:a", "G1:b", "G2:a");
      assertThat(grids(h, state)).containsExactlyInAnyOrder("G1", "G2");

      h.setProcessingTime(5 * MINUTE);
      h.processElement("G1:b", 0); // still remembered
      h.setProcessingTime(12 * MINUTE); // a whole TTL after the minute G1:a was seen
      h.processElement("G1:a", 0);
      assertThat(h.extractOutputValues()).containsExactly("G1:a", "G1:b", "G2:a", "G1:a");

      h.setProcessingTime(30 * MINUTE);
      assertThat(grids(h, state)).as("state left after expiry").isEmpty();
      assertThat(h.numProcessingTimeTimers()).isZero();

      h.processElement("G1:c", 0); // the grid's first id again: its sweep is scheduled again
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      h.processElement("G1:d", 0);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      h.setProcessingTime(50 * MINUTE);
      assertThat(grids(h, state)).as("swept again").isEmpty();
      assertThat(h.numProcessingTimeTimers()).isZero();
    }
  }

  private static String grid(String id) {
    return id.substring(0, id.indexOf(':'));
  }

  private static List<String> grids(
      KeyedOneInputStreamOperatorTestHarness<String, String, String> h, String state) {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
      return keys.toList();
    }
  }
}
