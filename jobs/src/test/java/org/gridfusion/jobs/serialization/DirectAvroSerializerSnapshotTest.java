package org.gridfusion.jobs.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.gridfusion.jobs.Records;
import org.gridfusion.schema.Record;
import org.junit.jupiter.api.Test;

/**
 * What a restore from a savepoint sees: a snapshot taken before {@code Record} gained a field
 * resolves to a migration whose restored serializer reads the old bytes (the new field takes its
 * default); the same schema is compatible as is; a changed field type is refused.
 */
class DirectAvroSerializerSnapshotTest {
  private final DirectAvroSerializer<Record> current = new DirectAvroSerializer<>(Record.class);

  @Test
  void theSameSchemaIsCompatibleAsIs() throws IOException {
    TypeSerializerSnapshot<Record> restored = roundTrip(current.snapshotConfiguration());

    assertThat(
            current.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs())
        .isTrue();
    assertThat(restored.restoreSerializer()).isEqualTo(current);
  }

  @Test
  void stateWrittenBeforeAFieldWasAddedMigratesWithTheFieldsDefault() throws IOException {
    Schema older = withoutBattery();
    TypeSerializerSnapshot<Record> restored =
        roundTrip(new DirectAvroSerializerSnapshot<>(Record.class, older));

    TypeSerializerSchemaCompatibility<Record> compatibility =
        current.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

    // a value as the older job wrote it: length, then Avro binary of the older schema
    Record r = Records.sensor("WATER_LEVEL", 31.5, Records.BEGINNING, "G-1");
    GenericRecord old = new GenericData.Record(older);
    for (Schema.Field f : older.getFields()) {
      Object v = r.get(f.name());
      if (v instanceof java.time.Instant t) v = t.toEpochMilli();
      if (v instanceof Enum<?> e) v = new GenericData.EnumSymbol(f.schema(), e.name());
      old.put(f.name(), v);
    }
    byte[] body = avro(older, old);
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeInt(body.length);
    out.write(body);

    TypeSerializer<Record> reader = restored.restoreSerializer();
    Record read = reader.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    r.setBattery(null);
    assertThat(read).isEqualTo(r);
    // and the migrated value is written again in today's layout
    DataOutputSerializer again = new DataOutputSerializer(64);
    current.serialize(read, again);
    assertThat(current.deserialize(new DataInputDeserializer(again.getCopyOfBuffer())))
        .isEqualTo(r);
  }

  @Test
  void aChangedFieldTypeIsIncompatible() throws IOException {
    Schema changed =
        new Schema.Parser()
            .parse(
                Record.getClassSchema()
                    .toString()
                    .replace(
                        "{\"name\":\"lat\",\"type\":\"double\"",
                        "{\"name\":\"lat\",\"type\":\"string\""));
    TypeSerializerSnapshot<Record> restored =
        roundTrip(new DirectAvroSerializerSnapshot<>(Record.class, changed));

    assertThat(
            current.snapshotConfiguration().resolveSchemaCompatibility(restored).isIncompatible())
        .isTrue();
  }

  private static TypeSerializerSnapshot<Record> roundTrip(TypeSerializerSnapshot<Record> snapshot)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    return TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), Record.class.getClassLoader());
  }

  private static Schema withoutBattery() {
    Schema record = Record.getClassSchema();
    List<Schema.Field> kept = new ArrayList<>();
    for (Schema.Field f : record.getFields())
      if (!f.name().equals("battery")) kept.add(new Schema.Field(f, f.schema()));
    return Schema.createRecord(record.getName(), null, record.getNamespace(), false, kept);
  }

  private static byte[] avro(Schema schema, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, e);
    e.flush();
    return out.toByteArray();
  }
}
