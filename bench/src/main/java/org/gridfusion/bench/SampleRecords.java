package org.gridfusion.bench;

import java.time.Instant;
import java.util.Map;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * The one record the serialization benchmarks measure: a sensor reading as the fusion job makes it
 * (grid, street, community, device, value, battery, no attributes), the same in every benchmark so
 * that their figures compare.
 */
final class SampleRecords {
  /** When the water level was measured. */
  static final Instant TS = Instant.parse("2026-11-24T08:15:30.123Z");

  /** When the ingress received it: 40 ms after {@link #TS}. */
  static final Instant RECEIVED_AT = TS.plusMillis(40);

  private SampleRecords() {}

  /** A water-level reading of device WL-0417, as a {@link Record}. */
  static Record waterLevel() {
    return Record.newBuilder()
        .setRecordId("SENSOR:WL-0417:" + TS.toEpochMilli())
        .setSource(Source.SENSOR)
        .setType("WATER_LEVEL")
        .setTs(TS)
        .setLat(43.651234)
        .setLon(122.243456)
        .setGridId("G-S07-C12-B03")
        .setGridKind("BASIC")
        .setStreet("S07")
        .setCommunity("S07-C12")
        .setValue(7.25)
        .setBattery(88)
        .setDeviceId("WL-0417")
        .setAttributes(Map.of())
        .setReceivedAt(RECEIVED_AT)
        .build();
  }
}
