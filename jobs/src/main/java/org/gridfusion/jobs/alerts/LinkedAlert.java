package org.gridfusion.jobs.alerts;

/**
 * What {@link IncidentLinker} remembers of one alert of a grid: the incident it joined and the
 * event-time span it covers. A Flink POJO (public fields, no-argument constructor) so that fields
 * can be added to the state later.
 */
public class LinkedAlert {
  public String incidentId;
  public String ruleId;
  public long firstSeen;
  public long lastSeen;

  /** Event time the alert closed; {@code Long.MIN_VALUE} while it is open. */
  public long closedAt = Long.MIN_VALUE;

  public LinkedAlert() {}

  LinkedAlert(String incidentId, String ruleId, long firstSeen, long lastSeen) {
    this.incidentId = incidentId;
    this.ruleId = ruleId;
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
  }

  boolean open() {
    return closedAt == Long.MIN_VALUE;
  }
}
