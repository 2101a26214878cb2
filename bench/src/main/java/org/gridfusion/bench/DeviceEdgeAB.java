package org.gridfusion.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.gridfusion.bench.SerializationAB.Op;
import org.gridfusion.jobs.devices.DeviceStatus;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Record;

/**
 * The fusion job's second shuffle, by device to the device watch: what one sensor reading costs
 * there as the whole {@link Record} (its {@code DirectAvroSerializer}, what the job sends) and as
 * the projection issue 14 tried, the record's {@code HEARD} {@link DeviceStatus} (the fields the
 * device watch reads; Flink's POJO serializer), projection included. The projection lost: 0.80x and
 * 3 bytes more (bench/README.md), as the watch reads 8 of the record's strings. Measured as {@link
 * SerializationAB} does: both in one JVM on one thread, alternating in 50 ms slices of the thread's
 * own CPU time.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.gridfusion.bench.DeviceEdgeAB [rounds]
 * [resultFile]}.
 */
public final class DeviceEdgeAB {
  private DeviceEdgeAB() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path result = Path.of(args.length > 1 ? args[1] : "bench/results/device-edge-ab.json");
    Record record = SampleRecords.waterLevel();
    TypeSerializer<Record> records = RecordType.INFO.createSerializer(new SerializerConfigImpl());
    TypeSerializer<DeviceStatus> statuses =
        TypeInformation.of(DeviceStatus.class).createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(512);
    DataInputDeserializer in = new DataInputDeserializer();
    Op before =
        () -> {
          out.clear();
          records.serialize(record, out);
          in.setBuffer(out.getSharedBuffer(), 0, out.length());
          return records.deserialize(in);
        };
    Op after =
        () -> {
          out.clear();
          statuses.serialize(DeviceStatus.heard(record), out);
          in.setBuffer(out.getSharedBuffer(), 0, out.length());
          return statuses.deserialize(in);
        };
    out.clear();
    records.serialize(record, out);
    int recordBytes = out.length();
    out.clear();
    statuses.serialize(DeviceStatus.heard(record), out);
    int statusBytes = out.length();

    for (int w = 0; w < 40; w++) SerializationAB.slice(w % 2 == 0 ? before : after);
    double[] t = new double[4]; // ops before, cpu before, ops after, cpu after
    for (int r = 0; r < rounds; r++) {
      boolean beforeFirst = r % 2 == 0; // neither always runs first
      for (int k = 0; k < 2; k++) {
        boolean isBefore = (k == 0) == beforeFirst;
        long[] s = SerializationAB.slice(isBefore ? before : after);
        t[isBefore ? 0 : 2] += s[0];
        t[isBefore ? 1 : 3] += s[1] / 1e9;
      }
    }
    double b = t[0] / t[1];
    double a = t[2] / t[3];
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String json =
        String.format(
            Locale.ROOT,
            """
            {
              "benchmark": "DeviceEdgeAB (the shuffle by device: Record before, its HEARD DeviceStatus after; serialize + deserialize, 50 ms slices of thread CPU time)",
              "date": "%s", "rounds": %d, "loadAverageAtEnd": %.2f,
              "bytes": {"record": %d, "heardStatus": %d},
              "beforeOpsPerCpuSecond": %.0f, "afterOpsPerCpuSecond": %.0f, "ratio": %.2f,
              "cpuSecondsEach": [%.2f, %.2f]
            }
            """,
            Instant.now(),
            rounds,
            load,
            recordBytes,
            statusBytes,
            b,
            a,
            a / b,
            t[1],
            t[3]);
    Files.createDirectories(result.toAbsolutePath().getParent());
    Files.writeString(result, json);
    System.out.printf(
        Locale.ROOT,
        "shuffle by device, per CPU-second: Record %,.0f, HEARD status %,.0f (x%.2f); %d vs %d bytes;"
            + " load average %.2f -> %s%n",
        b,
        a,
        a / b,
        recordBytes,
        statusBytes,
        load,
        result);
  }
}
