package org.gridfusion.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;

/**
 * Before and after of the record serialisation, fair on a machine shared with other work: both
 * variants of each operation run in one JVM on one thread, alternating in short slices (50 ms) for
 * many rounds, and each slice is measured in the thread's own CPU time, so a variant is neither
 * helped by a quiet moment nor hurt by a busy one that the other did not see. JMH cannot give that
 * on this machine: its iterations are seconds apart and the load changes faster.
 *
 * <p>"avro" is what the job used before issue 14: Avro's {@code BinaryMessageEncoder}/{@code
 * BinaryMessageDecoder} (what {@code AvroCodec} wrapped) and Flink's {@code AvroSerializer} (from
 * {@code AvroTypeInfo}); "direct" is {@code AvroCodec} and {@code DirectAvroSerializer} today.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.gridfusion.bench.SerializationAB [rounds]
 * [resultFile]}.
 */
public final class SerializationAB {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long SLICE_NANOS = 50_000_000L;

  private SerializationAB() {}

  /** One operation, run in a loop of {@code n}; returns something so the JIT keeps the work. */
  @FunctionalInterface
  interface Op {
    Object run() throws IOException;
  }

  record Case(String name, Op avro, Op direct) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path result = Path.of(args.length > 1 ? args[1] : "bench/results/serialization-ab.json");
    Record record = SampleRecords.waterLevel();
    SensorReading reading =
        SensorReading.newBuilder()
            .setDeviceId("WL-0417")
            .setType("WATER_LEVEL")
            .setTs(SampleRecords.TS)
            .setValue(7.25)
            .setBattery(88)
            .setReceivedAt(SampleRecords.RECEIVED_AT)
            .build();

    List<Case> cases = new ArrayList<>();
    cases.addAll(codecCases("Record", Record.class, record));
    cases.addAll(codecCases("SensorReading", SensorReading.class, reading));
    TypeSerializer<Record> avro =
        new AvroTypeInfo<>(Record.class).createSerializer(new SerializerConfigImpl());
    TypeSerializer<Record> direct = RecordType.INFO.createSerializer(new SerializerConfigImpl());
    cases.add(
        new Case(
            "shuffle Record (serialize + deserialize)",
            roundTrip(avro, record),
            roundTrip(direct, record)));
    cases.add(
        new Case(
            "copy Record (Flink serializer)", () -> avro.copy(record), () -> direct.copy(record)));

    // warm-up: every operation compiled before any slice counts
    for (Case c : cases) {
      slice(c.avro());
      slice(c.direct());
    }
    for (int w = 0; w < 20; w++) for (Case c : cases) slice(w % 2 == 0 ? c.avro() : c.direct());

    Map<String, double[]> totals = new LinkedHashMap<>(); // ops avro, cpu avro, ops direct, cpu
    for (Case c : cases) totals.put(c.name(), new double[4]);
    for (int r = 0; r < rounds; r++) {
      for (Case c : cases) {
        double[] t = totals.get(c.name());
        boolean avroFirst = r % 2 == 0; // neither always runs first
        for (int k = 0; k < 2; k++) {
          boolean isAvro = (k == 0) == avroFirst;
          long[] s = slice(isAvro ? c.avro() : c.direct());
          t[isAvro ? 0 : 2] += s[0];
          t[isAvro ? 1 : 3] += s[1] / 1e9;
        }
      }
    }

    StringBuilder json = new StringBuilder();
    json.append(
        String.format(
            Locale.ROOT,
            "{\n  \"benchmark\": \"SerializationAB (before/after interleaved in 50 ms slices, thread CPU"
                + " time)\",\n  \"date\": \"%s\",\n  \"rounds\": %d,\n  \"loadAverageAtEnd\": %.2f,\n  \"cases\": [",
            Instant.now(),
            rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    boolean first = true;
    for (Map.Entry<String, double[]> e : totals.entrySet()) {
      double[] t = e.getValue();
      double a = t[0] / t[1];
      double d = t[2] / t[3];
      System.out.printf(
          Locale.ROOT,
          "%-45s avro %,12.0f  direct %,12.0f ops per CPU-second  (x%.2f)%n",
          e.getKey(),
          a,
          d,
          d / a);
      json.append(first ? "\n" : ",\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "    {\"case\": \"%s\", \"avroOpsPerCpuSecond\": %.0f, \"directOpsPerCpuSecond\": %.0f,"
                      + " \"ratio\": %.2f, \"cpuSecondsEach\": [%.2f, %.2f]}",
                  e.getKey(),
                  a,
                  d,
                  d / a,
                  t[1],
                  t[3]));
      first = false;
    }
    json.append("\n  ]\n}\n");
    Files.createDirectories(result.toAbsolutePath().getParent());
    Files.writeString(result, json);
    System.out.println(
        "load average now "
            + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
            + " -> "
            + result);
  }

  private static <T extends SpecificRecordBase> List<Case> codecCases(
      String name, Class<T> type, T value) throws IOException {
    AvroCodec<T> codec = AvroCodec.of(type);
    BinaryMessageEncoder<T> encoder =
        new BinaryMessageEncoder<>(
            SpecificData.getForClass(type), SpecificData.get().getSchema(type));
    BinaryMessageDecoder<T> decoder =
        new BinaryMessageDecoder<>(
            SpecificData.getForClass(type), SpecificData.get().getSchema(type));
    byte[] bytes = codec.encode(value);
    ByteBuffer check = encoder.encode(value);
    byte[] avroBytes = new byte[check.remaining()];
    check.get(avroBytes);
    if (!java.util.Arrays.equals(bytes, avroBytes))
      throw new IllegalStateException("AvroCodec and Avro write different bytes for " + name);
    return List.of(
        new Case(
            "encode " + name + " (AvroCodec)",
            () -> {
              ByteBuffer b = encoder.encode(value);
              byte[] out = new byte[b.remaining()];
              b.get(out);
              return out;
            },
            () -> codec.encode(value)),
        new Case(
            "decode " + name + " (AvroCodec)",
            () -> decoder.decode(bytes),
            () -> codec.decode(bytes)));
  }

  private static Op roundTrip(TypeSerializer<Record> serializer, Record record) {
    DataOutputSerializer out = new DataOutputSerializer(512);
    DataInputDeserializer in = new DataInputDeserializer();
    return () -> {
      out.clear();
      serializer.serialize(record, out);
      in.setBuffer(out.getSharedBuffer(), 0, out.length());
      return serializer.deserialize(in);
    };
  }

  static volatile Object sink;

  /** Runs the operation for one slice of CPU time; returns {operations, CPU nanoseconds}. */
  static long[] slice(Op op) throws IOException {
    long start = THREADS.getCurrentThreadCpuTime();
    long ops = 0;
    long now;
    do {
      for (int k = 0; k < 256; k++) sink = op.run();
      ops += 256;
      now = THREADS.getCurrentThreadCpuTime();
    } while (now - start < SLICE_NANOS);
    return new long[] {ops, now - start};
  }
}
