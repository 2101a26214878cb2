package org.gridfusion.common.kafka;

import java.util.List;

/**
 * Every Kafka topic GridFusion reads or writes. Names of the outputs are fixed by contract §4; the
 * raw input topics and {@code gf.rules} are internal (the connectors' Avro output, the jobs'
 * input).
 */
public final class Topics {
  private Topics() {}

  /** Camera events accepted by the HTTP ingest, Avro {@code CameraEvent}. */
  public static final String RAW_CAMERA = "gf.raw.camera";

  /** Sensor readings bridged from MQTT, Avro {@code SensorReading}. */
  public static final String RAW_SENSOR = "gf.raw.sensor";

  /** Department records from the inbox and the database, Avro {@code DepartmentRecord}. */
  public static final String RAW_DEPARTMENT = "gf.raw.department";

  public static final String RECORDS = "gf.records";
  public static final String ALERTS = "gf.alerts";
  public static final String RISK = "gf.risk";
  public static final String WORKORDERS = "gf.workorders";

  /** JSON dead letters (contract §3). */
  public static final String DEADLETTER = "gf.deadletter";

  /** JSON work-order commands (contract §2.4). */
  public static final String WORKORDER_COMMANDS = "gf.workorder-commands";

  /** Rule sets pushed with {@code gridfusion rules push} (compacted). */
  public static final String RULES = "gf.rules";

  /**
   * Reference data of contract §1 (grid map, device and address registries; compacted, one key
   * each) pushed with {@code gridfusion reference push}, read by every task that places records.
   */
  public static final String REFERENCE = "gf.reference";

  /** Keys of {@link #REFERENCE}: the whole file of each kind. */
  public static final String REFERENCE_GRID_MAP = "gridMap";

  public static final String REFERENCE_DEVICES = "devices";
  public static final String REFERENCE_ADDRESSES = "addresses";

  /** Largest reference file a push may carry (the topic's max.message.bytes). */
  public static final int REFERENCE_MAX_BYTES = 64 * 1024 * 1024;

  public static List<String> all() {
    return List.of(
        RAW_CAMERA,
        RAW_SENSOR,
        RAW_DEPARTMENT,
        RECORDS,
        ALERTS,
        RISK,
        WORKORDERS,
        DEADLETTER,
        WORKORDER_COMMANDS,
        RULES,
        REFERENCE);
  }
}
