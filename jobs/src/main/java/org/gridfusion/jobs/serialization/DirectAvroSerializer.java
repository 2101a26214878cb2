package org.gridfusion.jobs.serialization;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.gridfusion.schema.codec.DirectBinary;

/**
 * Flink's serializer for a flat Avro specific record (the fusion job's {@code Record}) between
 * operators and in state, in place of Flink's generic {@code AvroSerializer}: each value is its
 * length and then its Avro binary body, written field by field by {@link DirectBinary}. Copies
 * share the immutable field values. Its snapshot keeps the writer schema, so data written before a
 * field was added is read with that field's default (see {@link DirectAvroSerializerSnapshot}).
 */
public final class DirectAvroSerializer<T extends SpecificRecordBase> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  /** The schema of the bytes, as JSON (Avro's {@link Schema} is not serialisable). */
  private final String writerSchema;

  private transient DirectBinary<T> binary;
  private transient byte[] scratch;

  public DirectAvroSerializer(Class<T> type) {
    this(type, SpecificData.get().getSchema(type));
  }

  DirectAvroSerializer(Class<T> type, Schema writer) {
    this.type = type;
    this.writerSchema = writer.toString();
    binary(); // refuse an unsupported schema when the job is built, not on its first record
  }

  public Class<T> type() {
    return type;
  }

  Schema writerSchema() {
    return binary().writer();
  }

  private DirectBinary<T> binary() {
    if (binary == null) {
      Constructor<T> create = constructor(type);
      binary =
          DirectBinary.reading(
              new Schema.Parser().parse(writerSchema),
              type,
              () -> {
                try {
                  return create.newInstance();
                } catch (InstantiationException
                    | IllegalAccessException
                    | InvocationTargetException e) {
                  throw new IllegalStateException("cannot create a " + type.getName(), e);
                }
              });
      scratch = new byte[256];
    }
    return binary;
  }

  private static <T> Constructor<T> constructor(Class<T> type) {
    try {
      return type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no public no-argument constructor");
    }
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return new DirectAvroSerializer<>(type, writerSchema()); // its own scratch buffers
  }

  @Override
  public T createInstance() {
    return type.cast(SpecificData.newInstance(type, SpecificData.get().getSchema(type)));
  }

  @Override
  public T copy(T from) {
    return from == null ? null : binary().copy(from);
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    DirectBinary<T> b = binary();
    int n = b.encode(record);
    target.writeInt(n);
    target.write(b.buffer(), 0, n);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    DirectBinary<T> b = binary();
    int n = source.readInt();
    if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
    source.readFully(scratch, 0, n);
    try {
      return b.decode(scratch, 0, n);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    binary();
    int n = source.readInt();
    if (scratch.length < n) scratch = Arrays.copyOf(scratch, Math.max(n, scratch.length * 2));
    source.readFully(scratch, 0, n);
    target.writeInt(n);
    target.write(scratch, 0, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectAvroSerializer<?> other
        && type == other.type
        && writerSchema.equals(other.writerSchema);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + writerSchema.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new DirectAvroSerializerSnapshot<>(type, writerSchema());
  }

  @Override
  public String toString() {
    return "DirectAvroSerializer<" + type.getSimpleName() + ">";
  }
}
