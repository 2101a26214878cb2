package org.gridfusion.jobs.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;

/**
 * Raw inputs as the connectors put them on the raw topics (contract §2), received at their own
 * event time so that everything about them is fixed by the test.
 */
public final class Raw {
  private Raw() {}

  public static SensorReading sensor(String deviceId, String type, double value, Instant ts) {
    return SensorReading.newBuilder()
        .setDeviceId(deviceId)
        .setType(type)
        .setTs(ts)
        .setValue(value)
        .setBattery(null)
        .setReceivedAt(ts)
        .build();
  }

  /** The record id the job gives a sensor reading. */
  public static String sensorId(String deviceId, String type, Instant ts) {
    return "SENSOR:" + deviceId + ":" + type + ":" + ts.toEpochMilli();
  }

  public static CameraEvent camera(
      String eventId, String cameraId, String type, Instant ts, double confidence) {
    return camera(eventId, cameraId, type, ts, confidence, 0);
  }

  public static CameraEvent camera(
      String eventId,
      String cameraId,
      String type,
      Instant ts,
      double confidence,
      int objectCount) {
    return CameraEvent.newBuilder()
        .setEventId(eventId)
        .setCameraId(cameraId)
        .setType(type)
        .setTs(ts)
        .setConfidence(confidence)
        .setObjectCount(objectCount)
        .setLat(null)
        .setLon(null)
        .setAttributes(new LinkedHashMap<>())
        .setReceivedAt(ts)
        .build();
  }

  public static DepartmentRecord department(
      String recordId,
      String department,
      String recordType,
      Instant ts,
      String addressCode,
      String subjectId,
      Map<String, String> attributes) {
    return DepartmentRecord.newBuilder()
        .setRecordId(recordId)
        .setDepartment(department)
        .setRecordType(recordType)
        .setTs(ts)
        .setAddressCode(addressCode)
        .setSubjectId(subjectId)
        .setLat(null)
        .setLon(null)
        .setAttributes(new LinkedHashMap<>(attributes))
        .setReceivedAt(ts)
        .setOrigin(null)
        .build();
  }

  /** A work-order command as the command platform sends it (contract §2.4). */
  public static String command(String orderId, String action, Instant ts, String extra) {
    return "{\"orderId\":\""
        + orderId
        + "\",\"action\":\""
        + action
        + "\",\"actor\":\"street:S01\",\"ts\":\""
        + ts
        + "\""
        + (extra == null ? "" : "," + extra)
        + "}";
  }
}
