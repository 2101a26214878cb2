package org.gridfusion.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.gridfusion.embedded.CpuBreakdown;

/**
 * A textual flame summary of a JFR recording ({@code jdk.ExecutionSample}) of {@link
 * RecordsJobThroughput}: only the Flink job's threads (named as {@link CpuBreakdown} names them),
 * the methods with most samples on top of the stack (self), the methods with most samples anywhere
 * in the stack (subtree), and the job's parts: each sample goes to the part of its innermost frame
 * that belongs to one, so the Avro encode inside the chained gf.records sink counts as encode, not
 * as the rule operator that called it.
 *
 * <p>Run: {@code java -XX:StartFlightRecording=filename=run.jfr,settings=profile -cp
 * bench/target/benchmarks.jar org.gridfusion.bench.RecordsJobThroughput ...}, then {@code java -cp
 * bench/target/benchmarks.jar org.gridfusion.bench.FlameSummary run.jfr [top]}.
 */
public final class FlameSummary {
  private FlameSummary() {}

  /** A part of the job, recognised by one of its frames ("class.method" prefix). */
  private record Part(String name, Predicate<String> frame) {
    static Part of(String name, String... prefixes) {
      return new Part(
          name,
          f -> {
            for (String p : prefixes) if (f.startsWith(p)) return true;
            return false;
          });
    }
  }

  /** Innermost match wins, so the order here only breaks ties within one frame. */
  private static final List<Part> PARTS =
      List.of(
          Part.of(
              "Avro decode of the raw input (Kafka source)",
              "org.gridfusion.jobs.kafka.AvroRecordDeserializer.deserialize"),
          Part.of(
              "Avro encode for the Kafka sinks",
              "org.gridfusion.jobs.kafka.AvroValueSerializer.serialize"),
          Part.of(
              "Record (de)serialisation on the shuffle (Flink serializer)",
              "org.apache.flink.formats.avro.typeutils.AvroSerializer.",
              "org.gridfusion.jobs.serialization.DirectAvroSerializer."),
          Part.of(
              "other (de)serialisation between operators",
              "org.apache.flink.runtime.io.network.api.serialization.",
              "org.apache.flink.api.java.typeutils.runtime.",
              "org.apache.flink.api.common.typeutils.base."),
          Part.of(
              "Kafka producer (send, batching, transactions)",
              "org.apache.kafka.clients.producer.",
              "org.apache.flink.connector.kafka.sink."),
          Part.of(
              "Kafka consumer (fetch, records iterator)",
              "org.apache.kafka.clients.consumer.",
              "org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader"),
          Part.of(
              "normalise (validate, locate, pseudonymise)",
              "org.gridfusion.jobs.records.Normalise"),
          Part.of(
              "dedup (recent ids)",
              "org.gridfusion.jobs.records.DuplicateFilter",
              "org.gridfusion.jobs.records.RecentIds"),
          Part.of("rules", "org.gridfusion.jobs.rules."),
          Part.of(
              "device watch, risk, incidents, work orders",
              "org.gridfusion.jobs.devices.",
              "org.gridfusion.jobs.risk.",
              "org.gridfusion.jobs.alerts.",
              "org.gridfusion.jobs.workorders."),
          Part.of(
              "Flink network stack (buffers, netty, input gates)",
              "org.apache.flink.runtime.io.network.",
              "org.apache.flink.shaded.netty4."),
          Part.of(
              "keyed state lookups (heap state tables, timers)",
              "org.apache.flink.runtime.state.heap.",
              "org.apache.flink.runtime.state.ttl.",
              "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl"),
          Part.of(
              "checkpoints (snapshots on the task thread)",
              "org.apache.flink.runtime.checkpoint.",
              "org.apache.flink.runtime.state.",
              "org.apache.flink.streaming.runtime.tasks.SubtaskCheckpointCoordinatorImpl"));

  /** Threads that only take checkpoints: all their samples are the checkpoint's. */
  private static final String CHECKPOINT_THREADS = "checkpoints (async snapshot threads)";

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> subtree = new HashMap<>();
    Map<String, Long> parts = new LinkedHashMap<>();
    for (Part p : PARTS) parts.put(p.name(), 0L);
    parts.put(CHECKPOINT_THREADS, 0L);
    Map<String, Map<String, Long>> selfByPart = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    long samples = 0;
    long other = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
      String thread = e.getThread("sampledThread").getJavaName();
      if (thread == null || !CpuBreakdown.FLINK_JOB.equals(CpuBreakdown.part(thread))) continue;
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) continue;
      samples++;
      threads.merge(
          thread.replaceAll("\\(\\d+/\\d+\\)#\\d+", "").replaceAll("\\d+", "N"), 1L, Long::sum);
      List<RecordedFrame> frames = stack.getFrames(); // leaf first
      self.merge(name(frames.get(0)), 1L, Long::sum);
      Set<String> seen = new HashSet<>();
      String part =
          thread.startsWith("AsyncOperations") || thread.startsWith("flink-operator-serialization")
              ? CHECKPOINT_THREADS
              : null;
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (seen.add(n)) subtree.merge(n, 1L, Long::sum);
        if (part == null) {
          for (Part p : PARTS) {
            if (p.frame().test(n)) {
              part = p.name();
              break;
            }
          }
        }
      }
      if (part == null) other++;
      else parts.merge(part, 1L, Long::sum);
      selfByPart
          .computeIfAbsent(part == null ? "the rest" : part, k -> new HashMap<>())
          .merge(name(frames.get(0)), 1L, Long::sum);
    }
    System.out.printf(Locale.ROOT, "%,d samples of the job's threads in %s%n", samples, file);
    print("by thread", threads, samples, top);
    System.out.println("\nby part of the job (innermost frame that belongs to one)");
    for (Map.Entry<String, Long> p : parts.entrySet()) line(p.getKey(), p.getValue(), samples);
    line(
        "the rest (Flink runtime: mailbox, operator chain, watermarks, timers, metrics)",
        other,
        samples);
    for (Map.Entry<String, Map<String, Long>> p : selfByPart.entrySet())
      print("self time within: " + p.getKey(), p.getValue(), samples, 6);
    print("by self time (top of stack)", self, samples, top);
    print("by subtree (anywhere in the stack)", subtree, samples, top);
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> counts, long samples, int top) {
    System.out.println("\n" + title);
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size())))
      line(e.getKey(), e.getValue(), samples);
  }

  private static void line(String what, long n, long samples) {
    System.out.printf(
        Locale.ROOT, "%6.1f %%  %7d  %s%n", 100.0 * n / Math.max(1, samples), n, what);
  }
}
