package org.gridfusion.jobs.alerts;

import java.util.List;
import org.gridfusion.schema.Severity;

/**
 * One rule matching one record or a group of records (the evidence): the input of incident
 * tracking.
 */
public record Firing(
    String ruleId,
    String ruleVersion,
    String title,
    Severity severity,
    String gridId,
    String gridKind,
    String street,
    String community,
    double lat,
    double lon,
    String subjectRef,
    long ts,
    List<String> evidence) {

  /** Incidents are tracked per rule, grid and (where there is one) subject (contract §5). */
  public String incidentKey() {
    return ruleId + "|" + gridId + "|" + (subjectRef == null ? "" : subjectRef);
  }
}
