package org.gridfusion.schema.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding for Kafka values: a two-byte marker, the writer schema's 64-bit
 * fingerprint, then Avro binary. A reader resolves the writer's schema from the fingerprint against
 * the schemas it knows (the current one and every released one kept under {@code avro-history/}),
 * so a consumer with a newer schema reads old data without a registry service.
 */
public final class AvroCodec<T extends SpecificRecordBase> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient BinaryMessageEncoder<T> encoder;
  private transient BinaryMessageDecoder<T> decoder;

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
    return decoder().decode(bytes);
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
