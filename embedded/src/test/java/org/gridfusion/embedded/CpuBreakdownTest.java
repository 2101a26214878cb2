package org.gridfusion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch measured = new CountDownLatch(1);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Thread busy =
        new Thread(
            () -> {
              // 150 ms of CPU, however long a busy machine takes to grant them
              long x = 0;
              while (threads.getCurrentThreadCpuTime() < 150_000_000L) x += System.nanoTime() % 7;
              if (x == 42) System.out.println(x);
              spun.countDown();
              try {
                measured.await(); // alive until measured: ended threads are not seen
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bench-busy");
    busy.start();
    assertThat(spun.await(60, TimeUnit.SECONDS)).isTrue();
    CpuBreakdown.Snapshot to = CpuBreakdown.take();
    measured.countDown();
    busy.join();
    Map<String, Double> cores = CpuBreakdown.cores(from, to);
    assertThat(cores)
        .containsKeys(
            CpuBreakdown.FLINK_JOB, CpuBreakdown.ELASTICSEARCH_NODE, CpuBreakdown.JVM_GC_AND_JIT);
    double wall = (to.nanoTime() - from.nanoTime()) / 1e9;
    assertThat(cores.get(CpuBreakdown.LOAD_GENERATOR) * wall)
        .as("CPU seconds of the spinning thread, as cores over the window")
        .isGreaterThan(0.14);
  }
}
