package org.gridfusion.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Record;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link Record} through Flink's serializer as the fusion job's shuffles use it: serialised
 * into a buffer and read back ({@code roundTrip}, what one record costs the sending and the
 * receiving task together), and copied ({@code copy}). {@code serializer=avro} is Flink's generic
 * {@code AvroSerializer} (what {@code AvroTypeInfo} gives, the job's type before issue 14), {@code
 * direct} the job's {@code DirectAvroSerializer}. The record is a sensor reading as the job makes
 * it (the bench's stream): grid, street, community, device, value, battery, no attributes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RecordShuffleBenchmark {
  @Param({"avro", "direct"})
  public String serializer;

  private TypeSerializer<Record> types;
  private Record record;
  private final DataOutputSerializer out = new DataOutputSerializer(512);
  private final DataInputDeserializer in = new DataInputDeserializer();

  @Setup(Level.Trial)
  public void setUp() {
    types =
        switch (serializer) {
          case "avro" ->
              new AvroTypeInfo<>(Record.class).createSerializer(new SerializerConfigImpl());
          case "direct" -> RecordType.INFO.createSerializer(new SerializerConfigImpl());
          default -> throw new IllegalArgumentException(serializer);
        };
    record = SampleRecords.waterLevel();
  }

  @Benchmark
  public Record roundTrip() throws IOException {
    out.clear();
    types.serialize(record, out);
    in.setBuffer(out.getSharedBuffer(), 0, out.length());
    return types.deserialize(in);
  }

  @Benchmark
  public Record copy() {
    return types.copy(record);
  }
}
