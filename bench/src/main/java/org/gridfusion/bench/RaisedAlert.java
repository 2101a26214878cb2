package org.gridfusion.bench;

import org.gridfusion.schema.Severity;

/**
 * What the comparison keeps of an alert: one incident of a rule in a grid (and for a subject, where
 * there is one) from its first firing, with the highest severity it reached (contract §5).
 */
public record RaisedAlert(
    String ruleId, String gridId, Severity severity, String subjectRef, long firstSeen) {

  /**
   * The identity IncidentTracker gives an alert: rule, grid, subject and the first firing's event
   * time.
   */
  public static String id(String ruleId, String gridId, String subjectRef, long firstSeen) {
    return ruleId + "." + gridId + (subjectRef == null ? "" : "." + subjectRef) + "." + firstSeen;
  }

  public String id() {
    return id(ruleId, gridId, subjectRef, firstSeen);
  }
}
