package org.gridfusion.jobs;

import java.time.Instant;
import java.util.Map;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/** Factory for normalised records in tests, with named instants. */
public final class Records {
  public static final Instant BEGINNING = Instant.parse("2026-11-24T08:00:00Z");

  private Records() {}

  public static Record sensor(String type, double value, Instant ts, String gridId) {
    return Record.newBuilder()
        .setRecordId("SENSOR:D-1:" + type + ":" + ts.toEpochMilli())
        .setSource(Source.SENSOR)
        .setType(type)
        .setTs(ts)
        .setLat(TestDistrict.WEST_LAT)
        .setLon(TestDistrict.WEST_LON)
        .setGridId(gridId)
        .setGridKind("BASIC")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setValue(value)
        .setDeviceId("D-1")
        .setAttributes(Map.of())
        .setReceivedAt(ts)
        .build();
  }

  public static Record sensor(String device, String type, double value, Instant ts, String gridId) {
    return Record.newBuilder(sensor(type, value, ts, gridId))
        .setRecordId("SENSOR:" + device + ":" + type + ":" + ts.toEpochMilli())
        .setDeviceId(device)
        .build();
  }

  public static Record crowd(int people, Instant ts, String gridId) {
    return Record.newBuilder(camera("CROWD", 0.9, ts, gridId)).setObjectCount(people).build();
  }

  public static Record department(
      String id, String type, Instant ts, String gridId, Map<String, String> attributes) {
    return Record.newBuilder(sensor(type, 0, ts, gridId))
        .setRecordId("DEPARTMENT:" + id)
        .setSource(Source.DEPARTMENT)
        .setDepartment("CIVIL_AFFAIRS")
        .setValue(null)
        .setDeviceId(null)
        .setSubjectRef("sr-" + id)
        .setAttributes(attributes)
        .build();
  }

  public static Record camera(String type, double confidence, Instant ts, String gridId) {
    return Record.newBuilder(sensor(type, 0, ts, gridId))
        .setRecordId("CAMERA:e-" + type + "-" + ts.toEpochMilli())
        .setSource(Source.CAMERA)
        .setValue(null)
        .setConfidence(confidence)
        .build();
  }
}
