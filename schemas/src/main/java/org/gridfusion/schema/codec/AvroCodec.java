package org.gridfusion.schema.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding for Kafka values: a two-byte marker, the writer schema's 64-bit
 * fingerprint, then Avro binary. A reader resolves the writer's schema from the fingerprint against
 * the schemas it knows (the current one and every released one kept under {@code avro-history/}),
 * so a consumer with a newer schema reads old data without a registry service.
 *
 * <p>A flat record (every field a shape {@link DirectBinary} knows) is encoded, and decoded when it
 * was written with the current schema, by {@link DirectBinary}, field by field and byte for byte
 * what Avro writes; Avro's own decoder still reads other writer schemas.
 */
public final class AvroCodec<T extends SpecificRecordBase> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient BinaryMessageEncoder<T> encoder;
  private transient BinaryMessageDecoder<T> decoder;

  /** Per thread (it holds a scratch buffer); {@code null} inside when the schema is not flat. */
  private transient volatile ThreadLocal<Optional<DirectBinary<T>>> direct;

  /**
   * The first thread's own, read without the thread-local map: a codec usually serves one task
   * thread (a Kafka sink's serializer, a source's deserializer), and the map lookup missed its
   * first slot often enough in a profile of the records job to cost 2 % of it (issue 14). One
   * field, so a thread never sees another's buffer with its own thread.
   */
  private transient volatile Owned<T> owned;

  private record Owned<T extends SpecificRecordBase>(Thread thread, Optional<DirectBinary<T>> d) {}

  private transient byte[] header;

  private AvroCodec(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecordBase> AvroCodec<T> of(Class<T> type) {
    return new AvroCodec<>(type);
  }

  public Class<T> type() {
    return type;
  }

  public byte[] encode(T value) {
    Optional<DirectBinary<T>> fast = local();
    if (fast.isPresent()) {
      DirectBinary<T> d = fast.get();
      int n = d.encode(value);
      byte[] out = Arrays.copyOf(header, HEADER + n);
      System.arraycopy(d.buffer(), 0, out, HEADER, n);
      return out;
    }
    try {
      ByteBuffer buf = encoder().encode(value);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes; throws {@link IOException} for bytes that are not a known single-object encoding. */
  public T decode(byte[] bytes) throws IOException {
    Optional<DirectBinary<T>> fast = local();
    if (fast.isPresent()
        && bytes.length >= HEADER
        && Arrays.equals(bytes, 0, HEADER, header, 0, HEADER)) {
      try {
        return fast.get().decode(bytes, HEADER, bytes.length - HEADER);
      } catch (IllegalArgumentException e) {
        throw new IOException("cannot decode a " + type.getSimpleName() + ": " + e.getMessage(), e);
      }
    }
    return decoder().decode(bytes);
  }

  /** Marker and fingerprint of the current schema: the first 10 bytes of what it writes. */
  private static final int HEADER = 10;

  private Optional<DirectBinary<T>> local() {
    Owned<T> o = owned;
    Thread me = Thread.currentThread();
    if (o != null && o.thread() == me) return o.d();
    Optional<DirectBinary<T>> d = direct().get();
    if (o == null) owned = new Owned<>(me, d);
    return d;
  }

  private ThreadLocal<Optional<DirectBinary<T>>> direct() {
    if (direct == null) {
      Schema schema = schema();
      long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
      byte[] h = new byte[HEADER];
      h[0] = (byte) 0xC3;
      h[1] = (byte) 0x01;
      for (int k = 0; k < 8; k++) h[2 + k] = (byte) (fingerprint >>> (8 * k));
      header = h;
      boolean flat;
      try {
        DirectBinary.of(type, () -> null);
        flat = true;
      } catch (IllegalArgumentException e) {
        flat = false;
      }
      boolean direct = flat;
      this.direct =
          ThreadLocal.withInitial(
              () ->
                  direct
                      ? Optional.of(
                          DirectBinary.of(
                              type, () -> type.cast(SpecificData.newInstance(type, schema))))
                      : Optional.empty());
    }
    return direct;
  }

  private BinaryMessageEncoder<T> encoder() {
    if (encoder == null) {
      encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
    }
    return encoder;
  }

  private BinaryMessageDecoder<T> decoder() {
    if (decoder == null) {
      BinaryMessageDecoder<T> d =
          new BinaryMessageDecoder<>(SpecificData.getForClass(type), schema());
      for (Schema old : SchemaHistory.released(type.getSimpleName())) {
        d.addSchema(old);
      }
      decoder = d;
    }
    return decoder;
  }

  private Schema schema() {
    return SpecificData.get().getSchema(type);
  }

  /** Released versions of each schema, kept as resources {@code avro-history/<Name>-v<N>.avsc}. */
  public static final class SchemaHistory {
    private SchemaHistory() {}

    public static List<Schema> released(String name) {
      List<Schema> out = new ArrayList<>();
      for (int v = 1; ; v++) {
        String path = "/avro-history/" + name + "-v" + v + ".avsc";
        try (InputStream in = AvroCodec.class.getResourceAsStream(path)) {
          if (in == null) return out;
          out.add(new Schema.Parser().parse(in));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path, e);
        }
      }
    }
  }
}
