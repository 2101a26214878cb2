package org.gridfusion.schema.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The Avro binary encoding of a flat specific record, written and read field by field: no datum
 * writer or reader, no union resolution by reflection, no logical-type conversion objects. What the
 * fusion job does to every record (the shuffle by grid, the gf.records encode) spends most of its
 * serialisation time in exactly that machinery (bench/README.md, "Where the job's CPU goes").
 *
 * <p>The layout is compiled once from a writer schema: each field is one of a few shapes (string,
 * double, int, long, boolean, timestamp-millis, enum, map of strings, each optionally a union with
 * null), taken and set by position on the generated class ({@code get(int)}/{@code put(int)}).
 * Bytes are exactly Avro's binary encoding of that schema, so {@link #encode} output can be read by
 * any Avro reader. Reading with a writer schema older than the class (a field added since, with its
 * default) fills the new fields with their defaults and drops the ones the class no longer has, as
 * Avro's schema resolution would; only shapes that resolution would refuse (a field without a
 * default added, a field's type changed) are refused when the layout is built.
 *
 * <p>An instance holds a scratch buffer: one per thread (Flink serializers are duplicated per
 * thread).
 */
public final class DirectBinary<T extends SpecificRecordBase> {
  private static final int STRING = 1;
  private static final int DOUBLE = 2;
  private static final int INT = 3;
  private static final int LONG = 4;
  private static final int BOOLEAN = 5;
  private static final int TIMESTAMP = 6;
  private static final int ENUM = 7;
  private static final int STRING_MAP = 8;

  private final Schema writer;
  private final Supplier<T> create;

  /** Per writer field: its shape, whether it is nullable, its null branch, its reader position. */
  private final int[] shape;

  private final boolean[] nullable;
  private final int[] nullBranch;
  private final int[] target;
  private final Object[][] enumSymbols;

  /** Reader fields the writer does not have, and their defaults. */
  private final int[] defaulted;

  private final Object[] defaults;

  private final Schema[] defaultSchemas;

  /** Whether the writer schema is the class's own, the only one {@link #encode} writes. */
  private final boolean current;

  private byte[] buf = new byte[256];
  private int pos;

  private DirectBinary(Schema writer, Class<T> type, Supplier<T> create) {
    this.writer = writer;
    this.create = create;
    Schema reader = SpecificData.get().getSchema(type);
    List<Schema.Field> fields = writer.getFields();
    int n = fields.size();
    shape = new int[n];
    nullable = new boolean[n];
    nullBranch = new int[n];
    target = new int[n];
    enumSymbols = new Object[n][];
    for (int i = 0; i < n; i++) {
      Schema.Field f = fields.get(i);
      Schema s = f.schema();
      if (s.getType() == Schema.Type.UNION) {
        List<Schema> branches = s.getTypes();
        int nulls = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
        if (branches.size() != 2 || branches.get(nulls).getType() != Schema.Type.NULL)
          throw unsupported(writer, f, "a union other than with null");
        nullable[i] = true;
        nullBranch[i] = nulls;
        s = branches.get(1 - nulls);
      }
      shape[i] = shapeOf(writer, f, s);
      Schema.Field r = reader.getField(f.name());
      target[i] = r == null ? -1 : r.pos();
      if (r != null && !sameShape(f, r))
        throw new IllegalArgumentException(
            "field "
                + f.name()
                + " of "
                + writer.getFullName()
                + " changed its type ("
                + f.schema()
                + " -> "
                + r.schema()
                + "): not a compatible schema change (schemas/README.md)");
      if (shape[i] == ENUM) {
        Class<?> enumType = r == null ? null : SpecificData.get().getClass(unwrap(r.schema()));
        List<String> symbols = s.getEnumSymbols();
        enumSymbols[i] = new Object[symbols.size()];
        for (int k = 0; k < symbols.size(); k++)
          enumSymbols[i][k] = enumType == null ? null : enumConstant(enumType, symbols.get(k));
      }
    }
    List<Schema.Field> missing =
        reader.getFields().stream().filter(f -> writer.getField(f.name()) == null).toList();
    defaulted = new int[missing.size()];
    defaults = new Object[missing.size()];
    defaultSchemas = new Schema[missing.size()];
    for (int k = 0; k < missing.size(); k++) {
      Schema.Field f = missing.get(k);
      if (!f.hasDefaultValue())
        throw new IllegalArgumentException(
            "field "
                + f.name()
                + " of "
                + reader.getFullName()
                + " has no default, so data written without it cannot be read (schemas/README.md)");
      defaulted[k] = f.pos();
      defaults[k] = SpecificData.get().getDefaultValue(f);
      defaultSchemas[k] = f.schema();
    }
    current = writer.equals(reader);
  }

  /** Reads and writes the class's own schema. */
  public static <T extends SpecificRecordBase> DirectBinary<T> of(
      Class<T> type, Supplier<T> create) {
    return new DirectBinary<>(SpecificData.get().getSchema(type), type, create);
  }

  /** Reads data written with {@code writer} (an older or newer version) into the current class. */
  public static <T extends SpecificRecordBase> DirectBinary<T> reading(
      Schema writer, Class<T> type, Supplier<T> create) {
    return new DirectBinary<>(writer, type, create);
  }

  /** The schema of the bytes this layout writes and reads. */
  public Schema writer() {
    return writer;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Encodes into the scratch buffer, valid until the next call: {@link #buffer()}, {@code [0,
   * length)}.
   */
  public int encode(T record) {
    if (!current)
      throw new IllegalStateException("a layout for reading an older " + writer.getName());
    pos = 0;
    for (int i = 0; i < shape.length; i++) {
      Object v = record.get(target[i]);
      if (nullable[i]) {
        if (v == null) {
          writeLong(nullBranch[i]);
          continue;
        }
        writeLong(1 - nullBranch[i]);
      } else if (v == null) {
        throw new NullPointerException(
            "field " + writer.getFields().get(i).name() + " of " + writer.getName() + " is null");
      }
      switch (shape[i]) {
        case STRING -> writeString((String) v);
        case DOUBLE -> writeDouble((Double) v);
        case INT -> writeLong((Integer) v);
        case LONG -> writeLong((Long) v);
        case BOOLEAN -> writeByte((Boolean) v ? 1 : 0);
        case TIMESTAMP -> writeLong(((Instant) v).toEpochMilli());
        case ENUM -> writeLong(((Enum<?>) v).ordinal());
        case STRING_MAP -> writeMap(v);
        default -> throw new IllegalStateException();
      }
    }
    return pos;
  }

  public byte[] buffer() {
    return buf;
  }

  /** Encodes into a new array. */
  public byte[] toBytes(T record) {
    return Arrays.copyOf(buf, encode(record));
  }

  @SuppressWarnings("unchecked")
  private void writeMap(Object v) {
    Map<String, String> map = (Map<String, String>) v;
    if (!map.isEmpty()) {
      writeLong(map.size());
      for (Map.Entry<String, String> e : map.entrySet()) {
        writeString(e.getKey());
        writeString(e.getValue());
      }
    }
    writeLong(0);
  }

  private void writeString(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int k = 0; k < n; k++) {
      if (s.charAt(k) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      writeLong(n);
      ensure(n);
      s.getBytes(0, n, buf, pos); // deprecated for its lossy charset, exact for ASCII
      pos += n;
    } else {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeLong(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, buf, pos, utf8.length);
      pos += utf8.length;
    }
  }

  private void writeDouble(double d) {
    ensure(8);
    long bits = Double.doubleToRawLongBits(d);
    for (int k = 0; k < 8; k++) buf[pos++] = (byte) (bits >>> (8 * k));
  }

  private void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  /** Zig-zag varint, as Avro writes int and long. */
  private void writeLong(long v) {
    ensure(10);
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    buf[pos++] = (byte) z;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
  }

  // ---------------------------------------------------------------- reading

  private byte[] in;
  private int at;

  /** Decodes {@code bytes[offset, offset + length)}; the array is not kept. */
  public T decode(byte[] bytes, int offset, int length) {
    in = bytes;
    at = offset;
    int end = offset + length;
    T record = create.get();
    try {
      for (int i = 0; i < shape.length; i++) {
        int to = target[i];
        if (nullable[i] && readLong() == nullBranch[i]) {
          if (to >= 0) record.put(to, null);
          continue;
        }
        Object v =
            switch (shape[i]) {
              case STRING -> readString();
              case DOUBLE -> readDouble();
              case INT -> (int) readLong();
              case LONG -> readLong();
              case BOOLEAN -> in[at++] != 0;
              case TIMESTAMP -> Instant.ofEpochMilli(readLong());
              case ENUM -> symbol(i, (int) readLong());
              case STRING_MAP -> readMap();
              default -> throw new IllegalStateException();
            };
        if (to >= 0) record.put(to, v);
      }
      for (int k = 0; k < defaulted.length; k++)
        record.put(defaulted[k], SpecificData.get().deepCopy(defaultSchemas[k], defaults[k]));
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated " + writer.getName(), e);
    } finally {
      in = null;
    }
    if (at != end)
      throw new IllegalArgumentException(
          (end - at) + " bytes left after a " + writer.getName() + " of " + length);
    return record;
  }

  private Object symbol(int field, int ordinal) {
    Object v = enumSymbols[field][ordinal];
    if (v == null && target[field] >= 0)
      throw new IllegalArgumentException(
          "symbol "
              + unwrap(writer.getFields().get(field).schema()).getEnumSymbols().get(ordinal)
              + " of "
              + writer.getFields().get(field).name()
              + " is not in this version's enum");
    return v;
  }

  private Map<String, String> readMap() {
    Map<String, String> map = new HashMap<>();
    for (long n = readLong(); n != 0; n = readLong()) {
      if (n < 0) {
        n = -n;
        readLong(); // the block's size in bytes
      }
      for (long k = 0; k < n; k++) map.put(readString(), readString());
    }
    return map;
  }

  private String readString() {
    int n = (int) readLong();
    if (n < 0 || at + n > in.length) throw new IllegalArgumentException("bad string length " + n);
    String s = new String(in, at, n, StandardCharsets.UTF_8);
    at += n;
    return s;
  }

  private double readDouble() {
    long bits = 0;
    for (int k = 0; k < 8; k++) bits |= (in[at++] & 0xFFL) << (8 * k);
    return Double.longBitsToDouble(bits);
  }

  private long readLong() {
    long z = 0;
    int shift = 0;
    byte b;
    do {
      if (shift > 63) throw new IllegalArgumentException("varint too long");
      b = in[at++];
      z |= (b & 0x7FL) << shift;
      shift += 7;
    } while (b < 0);
    return (z >>> 1) ^ -(z & 1);
  }

  // ---------------------------------------------------------------- copying

  /**
   * A copy sharing the immutable values (strings, boxed numbers, instants, enum constants) and with
   * its own maps: what Flink needs from a copy, for a fraction of Avro's deep copy.
   */
  public T copy(T from) {
    T to = create.get();
    int n = from.getSchema().getFields().size();
    for (int i = 0; i < n; i++) {
      Object v = from.get(i);
      to.put(i, v instanceof Map<?, ?> m ? new HashMap<>(m) : v);
    }
    return to;
  }

  // ---------------------------------------------------------------- layout

  private static int shapeOf(Schema record, Schema.Field f, Schema s) {
    LogicalType logical = s.getLogicalType();
    return switch (s.getType()) {
      case STRING -> STRING;
      case DOUBLE -> DOUBLE;
      case INT -> {
        if (logical != null) throw unsupported(record, f, "int with logical type " + logical);
        yield INT;
      }
      case LONG -> {
        if (logical instanceof LogicalTypes.TimestampMillis) yield TIMESTAMP;
        if (logical != null) throw unsupported(record, f, "long with logical type " + logical);
        yield LONG;
      }
      case BOOLEAN -> BOOLEAN;
      case ENUM -> ENUM;
      case MAP -> {
        if (s.getValueType().getType() != Schema.Type.STRING)
          throw unsupported(record, f, "a map of " + s.getValueType());
        yield STRING_MAP;
      }
      default -> throw unsupported(record, f, s.getType().getName());
    };
  }

  private static Schema unwrap(Schema s) {
    if (s.getType() != Schema.Type.UNION) return s;
    for (Schema b : s.getTypes()) if (b.getType() != Schema.Type.NULL) return b;
    return s;
  }

  /** Same shape, and not a nullable field read into one that cannot be null. */
  private static boolean sameShape(Schema.Field w, Schema.Field r) {
    Schema a = unwrap(w.schema());
    Schema b = unwrap(r.schema());
    boolean nullableToRequired =
        w.schema().getType() == Schema.Type.UNION && r.schema().getType() != Schema.Type.UNION;
    return a.getType() == b.getType()
        && Objects.equals(a.getLogicalType(), b.getLogicalType())
        && !nullableToRequired;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumConstant(Class<?> type, String symbol) {
    try {
      return Enum.valueOf((Class) type, symbol);
    } catch (IllegalArgumentException e) {
      return null; // a symbol this version no longer has: only an error if it is read
    }
  }

  private static IllegalArgumentException unsupported(Schema record, Schema.Field f, String what) {
    return new IllegalArgumentException(
        "field "
            + f.name()
            + " of "
            + record.getFullName()
            + " is "
            + what
            + ", which DirectBinary does not write: give it a shape in DirectBinary or keep the"
            + " record on Avro's own serializer");
  }
}
