package org.gridfusion.launcher.bench;

import java.util.List;
import java.util.Map;

/**
 * The figures of one run at one offered rate, as written to the result file. Rates are per second
 * over the measured window (after warm-up); CPU in percent of the whole machine; heap in MiB.
 *
 * @param keptUp the pipeline kept up: it accepted at least {@link EndToEndBench#KEEP_UP} of the
 *     offered rate and committed at least that share of what it accepted
 */
public record RunResult(
    String ingress,
    double offeredPerSecond,
    double warmupSeconds,
    double measuredSeconds,
    Input input,
    Output output,
    Latency latency,
    Cpu cpu,
    Heap heap,
    boolean keptUp,
    List<Point> series) {

  /**
   * What the simulated sources handed over.
   *
   * @param sentPerSecond handed to MQTT, HTTP, the inbox or Kafka
   * @param acceptedPerSecond acknowledged: PUBACK, HTTP 202, inbox file in place, Kafka ack
   * @param failed given up on in the window (connection lost, non-202, timeout)
   * @param rejected acknowledged but refused as invalid (dead-lettered)
   * @param acceptedPerSecondBySource SENSOR, CAMERA, DEPARTMENT
   * @param forwardedPerSecondBySource what reached the raw topics (gf.raw.sensor, ...): behind the
   *     accepted rate, the connector in between is the bottleneck (the MQTT broker queues what its
   *     bridge has not taken yet)
   */
  public record Input(
      double sentPerSecond,
      double acceptedPerSecond,
      long failed,
      long rejected,
      Map<String, Double> acceptedPerSecondBySource,
      Map<String, Double> forwardedPerSecondBySource) {}

  /**
   * What the job wrote.
   *
   * @param recordsPerSecond sustained rate into gf.records: committed records between the first and
   *     the last transaction commit seen in the window (commits come at checkpoints)
   * @param recordsPerSecondWindow committed records over the whole window (a checkpoint interval
   *     coarse)
   * @param indexedPerSecond documents that became searchable in gf-records-* over the window
   */
  public record Output(
      double recordsPerSecond, double recordsPerSecondWindow, double indexedPerSecond) {}

  /**
   * Event→alert latency of the probes accepted in the window, in ms: from accepted (PUBACK / 202 /
   * Kafka ack) to their alert being searchable in gf-alerts-*. A probe not found within 30 s is
   * lost and counts as 30,000 ms in the percentiles and the mean (a lower bound). {@code onKafka}
   * is the other arrival, measured separately: the alert committed on gf.alerts.
   *
   * @param acceptedToDetectedP50 median of accepted → the job's detectedAt (ingress, Kafka, Flink)
   * @param detectedToSearchableP50 median of detectedAt → found (Elasticsearch sink buffer,
   *     refresh, poll)
   * @param byRule per probe rule, so per ingress path (MQTT sensors, HTTP cameras)
   */
  public record Latency(
      int probesSent,
      int probesFound,
      int probesLost,
      long p50,
      long p95,
      long p99,
      long max,
      long mean,
      long acceptedToDetectedP50,
      long detectedToSearchableP50,
      Map<String, ByRule> byRule,
      OnKafka onKafka) {}

  /**
   * Event→alert latency to Kafka, in ms: from accepted to a {@code read_committed} consumer of
   * gf.alerts seeing the probe's alert (the transaction committed with the job's checkpoint). A
   * probe not seen within 30 s counts as 30,000 ms.
   */
  public record OnKafka(int found, int lost, long p50, long p95, long p99, long max) {}

  /** The probes of one rule: one ingress path. */
  public record ByRule(int sent, int found, int lost, long p50, long p99) {}

  /**
   * Process CPU of this JVM (Kafka, MQTT, Flink, connectors, bench; not Elasticsearch) and of the
   * whole system.
   *
   * @param coresByPart cores used over the window by each part of the stack ({@link
   *     org.gridfusion.embedded.CpuBreakdown}): the Flink job, its Elasticsearch client, the Kafka
   *     and MQTT brokers, the connectors, the load generator (simulated traffic and probes), the
   *     JVM's GC and JIT, the Elasticsearch node
   */
  public record Cpu(
      double processAvgPercent,
      double processMaxPercent,
      double systemAvgPercent,
      double systemMaxPercent,
      double loadAverageStart,
      double loadAverageEnd,
      Map<String, Double> coresByPart) {}

  /**
   * @param afterGcSlopeMibPerMinute least-squares slope of heap-after-GC over the window: flat is
   *     ~0
   */
  public record Heap(
      long afterGcAvgMib,
      long afterGcMaxMib,
      long usedMaxMib,
      long maxHeapMib,
      double afterGcSlopeMibPerMinute) {}

  /** One point of the time series, every sample interval: totals since the run started. */
  public record Point(
      long second,
      long sent,
      long accepted,
      long committedRecords,
      long indexedRecords,
      long heapAfterGcMib,
      double processCpuPercent,
      int probesFound) {}
}
