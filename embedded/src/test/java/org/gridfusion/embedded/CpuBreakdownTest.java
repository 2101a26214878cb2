package org.gridfusion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuBreakdownTest {
  @Test
  void threadsAreGroupedByThePartTheirNamesBelongTo() {
    assertThat(
            CpuBreakdown.part(
                "deduplicate and evaluate rules per grid -> (gf.records: Writer) (1/2)#0"))
        .isEqualTo(CpuBreakdown.FLINK_JOB);
    assertThat(CpuBreakdown.part("kafka-producer-network-thread | producer-gf-records-1-2"))
        .isEqualTo(CpuBreakdown.FLINK_JOB);
    assertThat(CpuBreakdown.part("kafka-producer-network-thread | gridfusion-bridge-e2e"))
        .isEqualTo(CpuBreakdown.CONNECTORS);
    assertThat(CpuBreakdown.part("MQTT Call: gridfusion-bridge-1"))
        .isEqualTo(CpuBreakdown.CONNECTORS);
    assertThat(CpuBreakdown.part("mqtt-ingest-io-2")).isEqualTo(CpuBreakdown.MQTT_ENDPOINT);
    assertThat(CpuBreakdown.part("kafka-producer-network-thread | gridfusion-mqtt-ingest"))
        .isEqualTo(CpuBreakdown.MQTT_ENDPOINT);
    assertThat(CpuBreakdown.part("MQTT Snd: gridfusion-bench-s16_x"))
        .isEqualTo(CpuBreakdown.LOAD_GENERATOR);
    assertThat(CpuBreakdown.part("data-plane-kafka-request-handler-3"))
        .isEqualTo(CpuBreakdown.KAFKA_BROKER);
    assertThat(CpuBreakdown.part("elasticsearch-rest-client-3-thread-2"))
        .isEqualTo(CpuBreakdown.ELASTICSEARCH_CLIENT);
    assertThat(CpuBreakdown.part("bench-traffic")).isEqualTo(CpuBreakdown.LOAD_GENERATOR);
    assertThat(CpuBreakdown.part("something else")).isEqualTo(CpuBreakdown.OTHER);
  }

  @Test
  void busyThreadsShowAsCoresOfTheirPart() throws Exception {
    CpuBreakdown.Snapshot from = CpuBreakdown.take();
    Thread busy =
        new Thread(
            () -> {
              long end = System.nanoTime() + 300_000_000L;
              long x = 0;
              while (System.nanoTime() < end) x += System.nanoTime() % 7;
              if (x == 42) System.out.println(x);
            },
            "bench-busy");
    busy.start();
    Thread.sleep(200); // measured while the thread is alive: ended threads are not seen
    Map<String, Double> cores = CpuBreakdown.cores(from, CpuBreakdown.take());
    busy.join();
    assertThat(cores)
        .containsKeys(
            CpuBreakdown.FLINK_JOB, CpuBreakdown.ELASTICSEARCH_NODE, CpuBreakdown.JVM_GC_AND_JIT);
    assertThat(cores.get(CpuBreakdown.LOAD_GENERATOR))
        .as("one spinning thread over the window")
        .isGreaterThan(0.1);
  }
}
