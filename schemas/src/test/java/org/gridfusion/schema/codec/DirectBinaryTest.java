package org.gridfusion.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.Source;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectBinary} writes exactly Avro's bytes and reads them back, including what Avro's
 * schema resolution does when the writer's schema is older or newer than the class.
 */
class DirectBinaryTest {
  private static final DirectBinary<Record> RECORDS = DirectBinary.of(Record.class, Record::new);

  @Test
  void writesAvrosBytesForRecordsWithEveryShape() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      Record r = randomRecord(random);
      byte[] direct = RECORDS.toBytes(r);
      assertThat(direct).as("record %d: %s", i, r).isEqualTo(avro(Record.getClassSchema(), r));
      Record back = RECORDS.decode(direct, 0, direct.length);
      assertSame(back, r);
    }
  }

  @Test
  void readsAndWritesSensorReadingsAsAvroDoes() throws IOException {
    SensorReading s =
        SensorReading.newBuilder()
            .setDeviceId("WL-0001")
            .setType("WATER_LEVEL")
            .setTs(Instant.ofEpochMilli(1_764_000_000_123L))
            .setValue(-0.0)
            .setBattery(null)
            .setReceivedAt(Instant.ofEpochMilli(-5))
            .build();
    DirectBinary<SensorReading> direct = DirectBinary.of(SensorReading.class, SensorReading::new);
    byte[] bytes = direct.toBytes(s);
    assertThat(bytes).isEqualTo(avro(SensorReading.getClassSchema(), s));
    assertThat(direct.decode(bytes, 0, bytes.length)).isEqualTo(s);
  }

  @Test
  void dataWrittenBeforeAFieldWasAddedReadsWithItsDefault() throws IOException {
    // Record as it was without battery and attributes: both have defaults today
    Schema older = without(Record.getClassSchema(), "battery", "attributes");
    GenericRecord old = new GenericData.Record(older);
    Record full = randomRecord(new SplittableRandom(3));
    for (Schema.Field f : older.getFields()) old.put(f.name(), generic(full.get(f.name())));
    byte[] bytes = genericBytes(older, old);

    Record read =
        DirectBinary.reading(older, Record.class, Record::new).decode(bytes, 0, bytes.length);

    assertThat(read.getBattery()).isNull();
    assertThat(read.getAttributes()).isEmpty();
    assertThat(read.getRecordId()).isEqualTo(full.getRecordId());
    assertThat(read.getSource()).isEqualTo(full.getSource());
    assertThat(read.getTs()).isEqualTo(full.getTs());
    assertThat(read.getValue()).isEqualTo(full.getValue());
  }

  @Test
  void dataWrittenAfterAFieldWasAddedReadsWithoutIt() throws IOException {
    Schema newer =
        new Schema.Parser()
            .parse(
                Record.getClassSchema()
                    .toString()
                    .replace(
                        "\"name\":\"receivedAt\"",
                        "\"name\":\"upgradeNote\",\"type\":[\"null\",\"string\"],\"default\":null},"
                            + "{\"name\":\"receivedAt\""));
    Record r = randomRecord(new SplittableRandom(5));
    GenericRecord g = new GenericData.Record(newer);
    for (Schema.Field f : Record.getClassSchema().getFields())
      g.put(f.name(), generic(r.get(f.name())));
    g.put("upgradeNote", "only in the newer version");
    byte[] bytes = genericBytes(newer, g);

    Record read =
        DirectBinary.reading(newer, Record.class, Record::new).decode(bytes, 0, bytes.length);

    assertSame(read, r);
  }

  @Test
  void refusesAFieldWhoseTypeChanged() {
    Schema changed =
        new Schema.Parser()
            .parse(
                Record.getClassSchema()
                    .toString()
                    .replace(
                        "{\"name\":\"lat\",\"type\":\"double\"",
                        "{\"name\":\"lat\",\"type\":\"string\""));
    assertThatThrownBy(() -> DirectBinary.reading(changed, Record.class, Record::new))
        .hasMessageContaining("lat")
        .hasMessageContaining("changed its type");
  }

  @Test
  void refusesTruncatedBytes() {
    byte[] bytes = RECORDS.toBytes(randomRecord(new SplittableRandom(1)));
    assertThatThrownBy(() -> RECORDS.decode(bytes, 0, bytes.length - 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCopySharesNoMapWithItsOriginal() {
    Record r = randomRecord(new SplittableRandom(9));
    Record copy = RECORDS.copy(r);
    assertThat(copy).isNotSameAs(r);
    assertSame(copy, r);
    copy.getAttributes().put("changed", "yes");
    assertThat(r.getAttributes()).doesNotContainKey("changed");
  }

  /**
   * Every optional field null or set, ASCII and non-ASCII text, extreme numbers, 0-3 attributes.
   */
  static Record randomRecord(SplittableRandom random) {
    Record.Builder b =
        Record.newBuilder()
            .setRecordId("SENSOR:WL-" + random.nextInt(10_000) + ":" + random.nextLong())
            .setSource(Source.values()[random.nextInt(Source.values().length)])
            .setType(random.nextBoolean() ? "WATER_LEVEL" : "积水")
            .setDepartment(random.nextBoolean() ? null : "城管-" + random.nextInt(9))
            .setTs(Instant.ofEpochMilli(random.nextLong(-1L << 40, 1L << 42)))
            .setLat(random.nextDouble(-90, 90))
            .setLon(random.nextInt(20) == 0 ? Double.NaN : random.nextDouble(-180, 180))
            .setGridId("G-S01-C" + random.nextInt(100))
            .setGridKind("BASIC")
            .setDistrict(random.nextBoolean() ? null : "D1")
            .setStreet(random.nextBoolean() ? null : "")
            .setCommunity(random.nextBoolean() ? null : "Ünterdorf ☃")
            .setValue(random.nextBoolean() ? null : random.nextDouble() * 1e6 - 5e5)
            .setConfidence(random.nextBoolean() ? null : random.nextDouble())
            .setObjectCount(random.nextBoolean() ? null : random.nextInt())
            .setBattery(random.nextBoolean() ? null : Integer.MIN_VALUE + random.nextInt(3))
            .setDeviceId(random.nextBoolean() ? null : "WL-0001")
            .setSubjectRef(random.nextBoolean() ? null : "s-" + Long.toHexString(random.nextLong()))
            .setReceivedAt(Instant.ofEpochMilli(Long.MAX_VALUE - random.nextInt(1000)));
    Map<String, String> attributes = new HashMap<>();
    for (int k = random.nextInt(4); k > 0; k--)
      attributes.put("k" + k, "v-" + random.nextInt() + "é");
    return b.setAttributes(attributes).build();
  }

  /** Field by field (Avro's equals says NaN differs from itself). */
  private static void assertSame(Record actual, Record expected) {
    assertThat(actual.toString()).isEqualTo(expected.toString());
    for (int i = 0; i < expected.getSchema().getFields().size(); i++)
      assertThat(actual.get(i))
          .as(expected.getSchema().getFields().get(i).name())
          .isEqualTo(expected.get(i));
  }

  private static <T> byte[] avro(Schema schema, T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(schema).write(value, e);
    e.flush();
    return out.toByteArray();
  }

  private static byte[] genericBytes(Schema schema, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, e);
    e.flush();
    // and Avro reads them back with the same schema (the bytes are well-formed)
    new GenericDatumReader<GenericRecord>(schema)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    return out.toByteArray();
  }

  private static Object generic(Object specific) {
    if (specific instanceof Instant t) return t.toEpochMilli();
    if (specific instanceof Source s)
      return new GenericData.EnumSymbol(Source.getClassSchema(), s.name());
    return specific;
  }

  private static Schema without(Schema record, String... names) {
    java.util.List<Schema.Field> kept = new java.util.ArrayList<>();
    for (Schema.Field f : record.getFields())
      if (!java.util.Arrays.asList(names).contains(f.name()))
        kept.add(new Schema.Field(f, f.schema()));
    return Schema.createRecord(record.getName(), null, record.getNamespace(), false, kept);
  }
}
