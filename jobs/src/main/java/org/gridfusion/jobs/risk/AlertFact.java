package org.gridfusion.jobs.risk;

import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.jobs.devices.FeedWatch;

/**
 * What the risk score knows of one alert of the grid. A Flink POJO (kept in keyed state).
 *
 * <p>An alert ends when its CLOSED update says so, and at the latest 30 minutes after its last
 * firing (contract §5): the score does not wait for the CLOSED update, which travels a longer path
 * through the job and may arrive after the score's own event-time timers have moved on (an idle
 * input lets them).
 */
public class AlertFact {
  static final long QUIET = IncidentTracker.DEFAULT_QUIET.toMillis();

  public String ruleId;
  public String severity;
  public boolean open;

  /**
   * A device's outage ({@code DEVICE_OFFLINE}): open until its CLOSED update, however long, and
   * counted as the grid's blind spot rather than as alert points.
   */
  public boolean untilClosed;

  /** Event time of the alert's latest firing. */
  public long lastSeen;

  /** Event time the incident ended, when a CLOSED update said so. */
  public long closedAt;

  public AlertFact() {}

  AlertFact(String ruleId, String severity, long lastSeen) {
    this.ruleId = ruleId;
    this.severity = severity;
    this.open = true;
    this.lastSeen = lastSeen;
    this.untilClosed = FeedWatch.RULE_ID.equals(ruleId);
  }

  /** Event time from which the alert no longer counts as open; its points decay from there. */
  long endsAt() {
    if (untilClosed) return open ? Long.MAX_VALUE : closedAt;
    return open ? lastSeen + QUIET : Math.min(closedAt, lastSeen + QUIET);
  }

  boolean openAt(long at) {
    return at < endsAt();
  }
}
