package org.gridfusion.jobs.serialization;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a savepoint keeps of a {@link DirectAvroSerializer}: the record class and the schema its
 * bytes were written with. On restore, the job's current class is compared with that schema by
 * Avro's own rules: the same schema is compatible as is; a compatible change (a field added with a
 * default, a field removed) means migration (state is read with the old layout into the new class,
 * the added field taking its default, and written again with the new layout); anything else is
 * incompatible and the restore fails with Avro's reason.
 */
public final class DirectAvroSerializerSnapshot<T extends SpecificRecordBase>
    implements TypeSerializerSnapshot<T> {
  private static final int VERSION = 1;

  private Class<T> type;
  private Schema writer;

  /** For Flink, which creates snapshots reflectively before reading them. */
  public DirectAvroSerializerSnapshot() {}

  DirectAvroSerializerSnapshot(Class<T> type, Schema writer) {
    this.type = type;
    this.writer = writer;
  }

  @Override
  public int getCurrentVersion() {
    return VERSION;
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    out.writeUTF(type.getName());
    byte[] schema = writer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(schema.length); // writeUTF stops at 64 kB
    out.write(schema);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
      throws IOException {
    if (version != VERSION)
      throw new IOException("unknown DirectAvroSerializerSnapshot version " + version);
    String name = in.readUTF();
    byte[] schema = new byte[in.readInt()];
    in.readFully(schema);
    try {
      type = (Class<T>) Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IOException("the record class " + name + " of a restored serializer is gone", e);
    }
    writer = new Schema.Parser().parse(new String(schema, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public TypeSerializer<T> restoreSerializer() {
    return new DirectAvroSerializer<>(type, writer);
  }

  /** Called on the new serializer's snapshot with the one restored from the savepoint. */
  @Override
  public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
      TypeSerializerSnapshot<T> old) {
    if (!(old instanceof DirectAvroSerializerSnapshot<T> before) || before.type != type)
      return TypeSerializerSchemaCompatibility.incompatible();
    Schema current = SpecificData.get().getSchema(type);
    if (before.writer.equals(current)) return TypeSerializerSchemaCompatibility.compatibleAsIs();
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(current, before.writer);
    if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE)
      return TypeSerializerSchemaCompatibility.incompatible();
    try {
      new DirectAvroSerializer<>(type, before.writer); // a layout DirectBinary can read
    } catch (IllegalArgumentException e) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
  }

  Schema writer() {
    return writer;
  }
}
