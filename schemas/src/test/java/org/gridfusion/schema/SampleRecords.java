package org.gridfusion.schema;

import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Builds a generic record of any schema with every field set, deterministically: optional fields
 * take their non-null branch, enums their last symbol, booleans {@code true}, collections one
 * element, so that a value silently replaced by a default or dropped on the way shows up in a
 * comparison.
 */
public final class SampleRecords {
  static final long BEGINNING = 1_764_000_000_000L; // 2025-11-24T16:00:00Z

  private SampleRecords() {}

  public static GenericRecord withEveryField(Schema record) {
    return (GenericRecord) value(record, record.getName());
  }

  private static Object value(Schema s, String name) {
    switch (s.getType()) {
      case RECORD:
        GenericData.Record r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) r.put(f.name(), value(f.schema(), f.name()));
        return r;
      case UNION:
        Schema branch =
            s.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow(
                    () -> new IllegalArgumentException("union of nothing but null at " + name));
        return value(branch, name);
      case ENUM:
        List<String> symbols = s.getEnumSymbols();
        return new GenericData.EnumSymbol(s, symbols.get(symbols.size() - 1));
      case ARRAY:
        return new GenericData.Array<>(s, List.of(value(s.getElementType(), name)));
      case MAP:
        return Map.of("key-" + name, value(s.getValueType(), name));
      case STRING:
        return name + "-value";
      case INT:
        return 3 + name.length();
      case LONG:
        return s.getLogicalType() instanceof LogicalTypes.TimestampMillis
            ? BEGINNING + name.length() * 1_000L
            : 5L + name.length();
      case DOUBLE:
        return 0.25 + name.length();
      case BOOLEAN:
        return true;
      default:
        throw new IllegalArgumentException(
            "no sample for " + s.getType() + " at " + name + "; extend SampleRecords");
    }
  }
}
