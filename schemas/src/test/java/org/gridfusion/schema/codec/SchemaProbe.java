package org.gridfusion.schema.codec;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Test-only record standing for a schema that evolved after its release: its v1 ({@code
 * avro-history/SchemaProbe-v1.avsc} in the test resources) had {@code reading} as an int and no
 * {@code note}. Data written with v1 carries a fingerprint different from the current one, so
 * decoding it goes through the codec's lookup of released schemas. Written by hand, in the shape of
 * a generated class (a {@code SCHEMA$}, positional get/put), so the build need not generate test
 * schemas.
 */
public final class SchemaProbe extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "SchemaProbe", "namespace": "org.gridfusion.schema.codec",
       "fields": [
        {"name": "id", "type": {"type": "string", "avro.java.string": "String"}},
        {"name": "reading", "type": "long"},
        {"name": "note", "type": {"type": "string", "avro.java.string": "String"}, "default": "none"}
       ]}""");

  private String id;
  private long reading;
  private String note;

  public String getId() {
    return id;
  }

  public long getReading() {
    return reading;
  }

  public String getNote() {
    return note;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return switch (field) {
      case 0 -> id;
      case 1 -> reading;
      case 2 -> note;
      default -> throw new IndexOutOfBoundsException(field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> id = value.toString();
      case 1 -> reading = (Long) value;
      case 2 -> note = value.toString();
      default -> throw new IndexOutOfBoundsException(field);
    }
  }
}
