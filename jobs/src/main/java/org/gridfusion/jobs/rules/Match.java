package org.gridfusion.jobs.rules;

import java.io.Serializable;
import org.gridfusion.schema.Record;

/**
 * Which records a rule looks at ({@code source} and {@code type}) and, optionally, the level a
 * field must reach ({@code field ≥ atLeast}).
 */
public record Match(String source, String type, String field, Double atLeast)
    implements Serializable {

  /** Same source and type, whatever the value. */
  public boolean sameKind(Record r) {
    return r.getType().equals(type) && r.getSource().name().equals(source);
  }

  /** Same kind and, where a threshold is set, at or above it. */
  public boolean test(Record r) {
    if (!sameKind(r)) return false;
    if (atLeast == null) return true;
    Double v = value(r);
    return v != null && v >= atLeast;
  }

  public Double value(Record r) {
    return value(r, field);
  }

  static Double value(Record r, String field) {
    if (field == null) return null;
    return switch (field) {
      case "value" -> r.getValue();
      case "confidence" -> r.getConfidence();
      case "objectCount" -> r.getObjectCount() == null ? null : r.getObjectCount().doubleValue();
      default -> null;
    };
  }
}
