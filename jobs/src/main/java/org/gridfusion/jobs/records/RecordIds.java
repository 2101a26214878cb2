package org.gridfusion.jobs.records;

/**
 * Record ids are the source and its own id (contract §4, gf-records {@code _id}), so a replay or a
 * duplicate from an at-least-once connector maps to the same record. Sensors send no id: a reading
 * is identified by device, type and event time.
 */
public final class RecordIds {
  private RecordIds() {}

  public static String camera(String eventId) {
    return "CAMERA:" + eventId;
  }

  public static String sensor(String deviceId, String type, long ts) {
    return "SENSOR:" + deviceId + ":" + type + ":" + ts;
  }

  public static String department(String recordId) {
    return "DEPARTMENT:" + recordId;
  }
}
