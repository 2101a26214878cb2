package org.gridfusion.jobs.serialization;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.gridfusion.jobs.Records;
import org.gridfusion.schema.Record;

/**
 * Flink's own contract for serializers (copy, serialise individually and in sequences, reuse,
 * duplicates used by concurrent threads, snapshot and restore) on records of every source, with
 * optional fields null and set, non-ASCII text and attributes.
 */
class DirectAvroSerializerTest extends SerializerTestBase<Record> {

  @Override
  protected TypeSerializer<Record> createSerializer() {
    return new DirectAvroSerializer<>(Record.class);
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<Record> getTypeClass() {
    return Record.class;
  }

  @Override
  protected Record[] getTestData() {
    Instant t = Records.BEGINNING;
    Map<String, String> attributes = new HashMap<>();
    attributes.put("name", "张*");
    attributes.put("doorSensorId", "DOOR-0007");
    Record elderly = Records.sensor("DOOR", 1, t, "G-S01-C01-B01");
    elderly.setAttributes(attributes);
    elderly.setSubjectRef("s-0123456789abcdef");
    elderly.setBattery(17);
    Record department = Records.sensor("ELDERLY_LIVING_ALONE", 0, t.plusSeconds(5), "G-2");
    department.setSource(org.gridfusion.schema.Source.DEPARTMENT);
    department.setDepartment("民政局");
    department.setDeviceId(null);
    department.setValue(null);
    department.setDistrict("D1");
    return new Record[] {
      Records.sensor("WATER_LEVEL", 31.5, t, "G-S01-C01-B01"),
      Records.crowd(80, t.plusMillis(1), "G-S01-C01-B02"),
      elderly,
      department,
      Records.sensor("TEMPERATURE", -12.25, Instant.ofEpochMilli(-1), "G")
    };
  }
}
