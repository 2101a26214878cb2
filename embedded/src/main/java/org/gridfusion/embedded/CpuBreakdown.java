package org.gridfusion.embedded;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of the embedded stack goes: this process's threads grouped by the part they belong
 * to (by thread name), the JVM's own work that no Java thread shows (garbage collection, JIT
 * compilation), and the child processes (the embedded Elasticsearch node). Benchmarks take a {@link
 * Snapshot} at the start and the end of a window and report {@link #cores} per part, so a result
 * says not only that the machine was busy but with what.
 */
public final class CpuBreakdown {
  public static final String FLINK_JOB = "flinkJob";
  public static final String ELASTICSEARCH_CLIENT = "elasticsearchClient";
  public static final String KAFKA_BROKER = "kafkaBroker";

  /** GridFusion's MQTT ingest endpoint: socket I/O, MQTT decoding and its Kafka hand-off. */
  public static final String MQTT_ENDPOINT = "mqttEndpoint";

  public static final String CONNECTORS = "connectors";
  public static final String LOAD_GENERATOR = "loadGenerator";
  public static final String JVM_GC_AND_JIT = "jvmGcAndJit";
  public static final String ELASTICSEARCH_NODE = "elasticsearchNode";
  public static final String OTHER = "other";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * CPU seconds so far per thread (by id), with each thread's part, and of the process and its
   * children.
   */
  public record Snapshot(
      long nanoTime,
      Map<Long, Double> threadSeconds,
      Map<Long, String> parts,
      double processSeconds,
      double childSeconds) {}

  private CpuBreakdown() {}

  public static Snapshot take() {
    Map<Long, Double> seconds = new HashMap<>();
    Map<Long, String> parts = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) continue;
      long ns = THREADS.getThreadCpuTime(info.getThreadId());
      if (ns < 0) continue;
      seconds.put(info.getThreadId(), ns / 1e9);
      parts.put(info.getThreadId(), part(info.getThreadName()));
    }
    double process =
        ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
            ? os.getProcessCpuTime() / 1e9
            : -1;
    double children =
        ProcessHandle.current()
            .descendants()
            .mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9)
            .sum();
    return new Snapshot(System.nanoTime(), seconds, parts, process, children);
  }

  /**
   * Cores used per part between two snapshots (CPU seconds / wall seconds), parts in a fixed order;
   * a thread started in between counts from zero, one that ended in between is not seen.
   */
  public static Map<String, Double> cores(Snapshot from, Snapshot to) {
    double wall = Math.max(1e-9, (to.nanoTime() - from.nanoTime()) / 1e9);
    Map<String, Double> seconds = new TreeMap<>();
    double threads = 0;
    for (Map.Entry<Long, Double> e : to.threadSeconds().entrySet()) {
      double used = e.getValue() - from.threadSeconds().getOrDefault(e.getKey(), 0.0);
      threads += used;
      seconds.merge(to.parts().get(e.getKey()), used, Double::sum);
    }
    if (to.processSeconds() >= 0 && from.processSeconds() >= 0) {
      seconds.put(
          JVM_GC_AND_JIT, Math.max(0, to.processSeconds() - from.processSeconds() - threads));
    }
    seconds.put(ELASTICSEARCH_NODE, Math.max(0, to.childSeconds() - from.childSeconds()));
    Map<String, Double> cores = new LinkedHashMap<>();
    for (String part :
        new String[] {
          FLINK_JOB,
          ELASTICSEARCH_CLIENT,
          KAFKA_BROKER,
          MQTT_ENDPOINT,
          CONNECTORS,
          LOAD_GENERATOR,
          JVM_GC_AND_JIT,
          ELASTICSEARCH_NODE,
          OTHER
        }) {
      double s = seconds.getOrDefault(part, 0.0);
      cores.put(part, Math.round(s / wall * 1000) / 1000.0);
    }
    return cores;
  }

  /**
   * The part a thread belongs to, by the names Flink, Kafka, Paho and GridFusion give their
   * threads.
   */
  public static String part(String name) {
    if (name.startsWith("bench-")
        || name.contains("gridfusion-bench")
        || name.contains("gridfusion-simulator")
        || name.contains("preload")
        || name.equals("main")) {
      return LOAD_GENERATOR;
    }
    if (name.startsWith("elasticsearch-rest-client") || name.startsWith("es-sink"))
      return ELASTICSEARCH_CLIENT;
    if (name.startsWith("data-plane-kafka")
        || name.startsWith("kafka-")
            && !name.startsWith("kafka-producer")
            && !name.startsWith("kafka-coordinator")
            && !name.startsWith("kafka-admin")
        || name.startsWith("quorum-")
        || name.contains("raft")
        || name.startsWith("ExpirationReaper")
        || name.startsWith("broker-")
        || name.startsWith("controller-")
        || name.startsWith("LogDirFailureHandler")
        || name.startsWith("group-coordinator")
        || name.startsWith("transaction-")
        || name.startsWith("TxnMarkerSenderThread")
        || name.startsWith("share-")
        || name.startsWith("executor-")
        || name.startsWith("metadata-")
        || name.startsWith("ReplicaFetcher")) {
      return KAFKA_BROKER;
    }
    if (name.startsWith("mqtt-ingest") || name.contains("gridfusion-mqtt-ingest")) {
      return MQTT_ENDPOINT;
    }
    if (name.startsWith("MQTT")
        || name.startsWith("http-ingest")
        || name.startsWith("inbox")
        || name.startsWith("jdbc")
        || name.startsWith("bridge")
        || name.contains("gridfusion-bridge")
        || name.contains("gridfusion-http")
        || name.contains("gridfusion-inbox")
        || name.contains("gridfusion-jdbc")
        || name.startsWith("HTTP-Dispatcher")) {
      return CONNECTORS;
    }
    if (name.contains("(") && name.contains("/")
        || name.startsWith("Source Data Fetcher")
        || name.startsWith("kafka-producer-network-thread")
        || name.startsWith("kafka-coordinator")
        || name.startsWith("AsyncOperations")
        || name.startsWith("flink-")
        || name.startsWith("jobmanager")
        || name.startsWith("Flink")
        || name.startsWith("Checkpoint")
        || name.startsWith("OutputFlusher")
        || name.startsWith("Timer")
        || name.startsWith("pool-")) {
      return FLINK_JOB;
    }
    return OTHER;
  }
}
