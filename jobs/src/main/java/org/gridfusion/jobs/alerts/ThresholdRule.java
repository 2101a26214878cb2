package org.gridfusion.jobs.alerts;

import java.io.Serializable;
import java.util.List;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;

/**
 * Fires on one record whose field reaches a threshold, e.g. {@code WATER_LEVEL ≥ 30} (contract §5);
 * escalations raise the severity at higher thresholds ({@code ≥ 50} → URGENT).
 */
public record ThresholdRule(
    String id, String title, String source, String type, String field, double atLeast, Severity severity,
    List<Escalation> escalate)
    implements Serializable {

  public record Escalation(double atLeast, Severity severity) implements Serializable {}

  public boolean matches(Record r) {
    return r.getSource().name().equals(source) && r.getType().equals(type);
  }

  /** The severity this record fires with, or null when it stays below the threshold. */
  public Severity evaluate(Record r) {
    if (!matches(r)) return null;
    Double v = fieldValue(r);
    if (v == null || v < atLeast) return null;
    Severity s = severity;
    for (Escalation e : escalate) {
      if (v >= e.atLeast() && e.severity().ordinal() > s.ordinal()) s = e.severity();
    }
    return s;
  }

  private Double fieldValue(Record r) {
    return switch (field) {
      case "value" -> r.getValue();
      case "confidence" -> r.getConfidence();
      case "objectCount" -> r.getObjectCount() == null ? null : r.getObjectCount().doubleValue();
      default -> null;
    };
  }
}
