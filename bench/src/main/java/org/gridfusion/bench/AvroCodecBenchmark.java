package org.gridfusion.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.Source;
import org.gridfusion.schema.codec.AvroCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Avro single-object encoding ({@link AvroCodec}) of the three values that dominate Kafka traffic: a raw
 * {@link SensorReading}, a normalised {@link Record} (a camera event with attributes) and an
 * {@link Alert} with a few pieces of evidence. Decoding includes the fingerprint lookup of the writer
 * schema.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AvroCodecBenchmark {
  private static final Instant TS = Instant.parse("2026-11-24T08:15:30Z");

  private final AvroCodec<Record> records = AvroCodec.of(Record.class);
  private final AvroCodec<Alert> alerts = AvroCodec.of(Alert.class);
  private final AvroCodec<SensorReading> readings = AvroCodec.of(SensorReading.class);

  private Record record;
  private Alert alert;
  private SensorReading reading;
  private byte[] recordBytes;
  private byte[] alertBytes;
  private byte[] readingBytes;

  @Setup(Level.Trial)
  public void setUp() {
    record = Record.newBuilder()
        .setRecordId("CAMERA:e-20261124-000123")
        .setSource(Source.CAMERA)
        .setType("CROWD")
        .setTs(TS)
        .setLat(43.651234)
        .setLon(122.243456)
        .setGridId("S07-C12-G03")
        .setGridKind("BASIC")
        .setDistrict("Horqin")
        .setStreet("S07")
        .setCommunity("S07-C12")
        .setConfidence(0.91)
        .setObjectCount(64)
        .setDeviceId("CAM-0417")
        .setAttributes(Map.of("zone", "north gate", "model", "yolo-v8"))
        .setReceivedAt(TS.plusMillis(250))
        .build();
    alert = Alert.newBuilder()
        .setAlertId("CROWD_GATHERING:S07-C12-G03:-:1764000000000")
        .setRuleId("CROWD_GATHERING")
        .setRuleVersion("default-1")
        .setTitle("Crowd gathering")
        .setSeverity(Severity.IMPORTANT)
        .setGridId("S07-C12-G03")
        .setGridKind("BASIC")
        .setStreet("S07")
        .setCommunity("S07-C12")
        .setLat(43.651234)
        .setLon(122.243456)
        .setFirstSeen(TS)
        .setLastSeen(TS.plusSeconds(300))
        .setCount(3)
        .setEvidence(List.of("CAMERA:e-20261124-000101", "CAMERA:e-20261124-000112", "CAMERA:e-20261124-000123"))
        .setDetectedAt(TS.plusSeconds(301))
        .build();
    reading = SensorReading.newBuilder()
        .setDeviceId("WL-0042")
        .setType("WATER_LEVEL")
        .setTs(TS)
        .setValue(12.5)
        .setBattery(87)
        .setReceivedAt(TS.plusMillis(40))
        .build();
    recordBytes = records.encode(record);
    alertBytes = alerts.encode(alert);
    readingBytes = readings.encode(reading);
  }

  @Benchmark
  public byte[] encodeRecord() {
    return records.encode(record);
  }

  @Benchmark
  public Record decodeRecord() throws IOException {
    return records.decode(recordBytes);
  }

  @Benchmark
  public byte[] encodeAlert() {
    return alerts.encode(alert);
  }

  @Benchmark
  public Alert decodeAlert() throws IOException {
    return alerts.decode(alertBytes);
  }

  @Benchmark
  public byte[] encodeSensorReading() {
    return readings.encode(reading);
  }

  @Benchmark
  public SensorReading decodeSensorReading() throws IOException {
    return readings.decode(readingBytes);
  }
}
