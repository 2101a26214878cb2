package org.gridfusion.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskFactor;
import org.gridfusion.schema.RiskLevel;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.Source;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;
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
 * Avro single-object encoding ({@link AvroCodec}) of every schema on the wire: the raw inputs
 * ({@link SensorReading}, {@link CameraEvent}, {@link DepartmentRecord}), the normalised {@link
 * Record} (a camera event with attributes), an {@link Alert} with a few pieces of evidence, a
 * {@link RiskScore} with its factors, a {@link WorkOrder} three steps into its life and a {@link
 * WorkOrderCommand}. Decoding includes the fingerprint lookup of the writer schema.
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
  private final AvroCodec<CameraEvent> cameraEvents = AvroCodec.of(CameraEvent.class);
  private final AvroCodec<DepartmentRecord> departmentRecords =
      AvroCodec.of(DepartmentRecord.class);
  private final AvroCodec<RiskScore> riskScores = AvroCodec.of(RiskScore.class);
  private final AvroCodec<WorkOrder> workOrders = AvroCodec.of(WorkOrder.class);
  private final AvroCodec<WorkOrderCommand> commands = AvroCodec.of(WorkOrderCommand.class);
  private CameraEvent cameraEvent;
  private DepartmentRecord departmentRecord;
  private RiskScore riskScore;
  private WorkOrder workOrder;
  private WorkOrderCommand command;
  private byte[] cameraEventBytes;
  private byte[] departmentRecordBytes;
  private byte[] riskScoreBytes;
  private byte[] workOrderBytes;
  private byte[] commandBytes;

  private Record record;
  private Alert alert;
  private SensorReading reading;
  private byte[] recordBytes;
  private byte[] alertBytes;
  private byte[] readingBytes;

  @Setup(Level.Trial)
  public void setUp() {
    record =
        Record.newBuilder()
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
    alert =
        Alert.newBuilder()
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
            .setEvidence(
                List.of(
                    "CAMERA:e-20261124-000101",
                    "CAMERA:e-20261124-000112",
                    "CAMERA:e-20261124-000123"))
            .setDetectedAt(TS.plusSeconds(301))
            .build();
    reading =
        SensorReading.newBuilder()
            .setDeviceId("WL-0042")
            .setType("WATER_LEVEL")
            .setTs(TS)
            .setValue(12.5)
            .setBattery(87)
            .setReceivedAt(TS.plusMillis(40))
            .build();
    cameraEvent =
        CameraEvent.newBuilder()
            .setEventId("e-20261124-000123")
            .setCameraId("CAM-0417")
            .setType("CROWD")
            .setTs(TS)
            .setConfidence(0.91)
            .setObjectCount(64)
            .setLat(43.651234)
            .setLon(122.243456)
            .setAttributes(Map.of("zone", "north gate"))
            .setReceivedAt(TS.plusMillis(250))
            .build();
    departmentRecord =
        DepartmentRecord.newBuilder()
            .setRecordId("ca-2031")
            .setDepartment("CIVIL_AFFAIRS")
            .setRecordType("ELDERLY_LIVING_ALONE")
            .setTs(TS)
            .setAddressCode("150502-001-0042")
            .setSubjectId("110101194001011234")
            .setAttributes(Map.of("doorSensorId", "DOOR-0042"))
            .setReceivedAt(TS.plusMillis(900))
            .setOrigin("inbox/ca.jsonl:12")
            .build();
    riskScore =
        RiskScore.newBuilder()
            .setGridId("S07-C12-G03")
            .setTs(TS)
            .setScore(66.0)
            .setLevel(RiskLevel.HIGH)
            .setFactors(
                List.of(
                    new RiskFactor("alert:FIRE_CONFIRMED", 50.0),
                    new RiskFactor("record:FIRE_SMOKE", 8.0),
                    new RiskFactor("record:SMOKE", 6.0),
                    new RiskFactor("grid:population", 2.0)))
            .setOpenAlerts(1)
            .setStreet("S07")
            .setCommunity("S07-C12")
            .setLat(43.65)
            .setLon(122.24)
            .setGridName("Grid 3")
            .setGridKind("BASIC")
            .build();
    workOrder =
        WorkOrder.newBuilder()
            .setOrderId("WO.GAS_LEAK.S07-C12-G03.1764000000000")
            .setAlertId("GAS_LEAK.S07-C12-G03.1764000000000")
            .setRuleId("GAS_LEAK")
            .setLevel(Severity.URGENT)
            .setCategory("URGENT")
            .setStatus(WorkOrderStatus.JOINED)
            .setGridId("S07-C12-G03")
            .setStreet("S07")
            .setCommunity("S07-C12")
            .setAssignee("street:S07")
            .setDepartments(List.of("EMERGENCY_MANAGEMENT"))
            .setHistory(
                List.of(
                    new WorkOrderEvent("REPORTED", null, null, TS, "Gas leak"),
                    new WorkOrderEvent(
                        "GRAB", "street:S07", "street:S07", TS.plusSeconds(90), null),
                    new WorkOrderEvent(
                        "JOIN", "street:S07", null, TS.plusSeconds(300), "gas company called")))
            .setCreatedAt(TS)
            .setDueAt(TS.plusSeconds(7200))
            .setGrabDeadline(null)
            .setOverdue(false)
            .setRating(null)
            .build();
    command =
        WorkOrderCommand.newBuilder()
            .setOrderId(workOrder.getOrderId())
            .setAction(WorkOrderAction.FEEDBACK)
            .setActor("street:S07")
            .setTs(TS.plusSeconds(3000))
            .setComment("valve closed, area ventilated")
            .build();
    cameraEventBytes = cameraEvents.encode(cameraEvent);
    departmentRecordBytes = departmentRecords.encode(departmentRecord);
    riskScoreBytes = riskScores.encode(riskScore);
    workOrderBytes = workOrders.encode(workOrder);
    commandBytes = commands.encode(command);
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

  @Benchmark
  public byte[] encodeCameraEvent() {
    return cameraEvents.encode(cameraEvent);
  }

  @Benchmark
  public CameraEvent decodeCameraEvent() throws IOException {
    return cameraEvents.decode(cameraEventBytes);
  }

  @Benchmark
  public byte[] encodeDepartmentRecord() {
    return departmentRecords.encode(departmentRecord);
  }

  @Benchmark
  public DepartmentRecord decodeDepartmentRecord() throws IOException {
    return departmentRecords.decode(departmentRecordBytes);
  }

  @Benchmark
  public byte[] encodeRiskScore() {
    return riskScores.encode(riskScore);
  }

  @Benchmark
  public RiskScore decodeRiskScore() throws IOException {
    return riskScores.decode(riskScoreBytes);
  }

  @Benchmark
  public byte[] encodeWorkOrder() {
    return workOrders.encode(workOrder);
  }

  @Benchmark
  public WorkOrder decodeWorkOrder() throws IOException {
    return workOrders.decode(workOrderBytes);
  }

  @Benchmark
  public byte[] encodeWorkOrderCommand() {
    return commands.encode(command);
  }

  @Benchmark
  public WorkOrderCommand decodeWorkOrderCommand() throws IOException {
    return commands.decode(commandBytes);
  }
}
