package org.gridfusion.jobs.risk;

/**
 * Recent records of one type in a grid as one decaying sum: {@code points} as of {@code asOf}, so a
 * grid holds one entry per record type, not one per record. A Flink POJO (kept in keyed state).
 */
public class Activity {
  public String type;
  public double points;
  public long asOf;

  /** Event time of the latest record of this type; after 24 h without one the entry is dropped. */
  public long lastTs;

  public Activity() {}

  Activity(String type, double points, long ts) {
    this.type = type;
    this.points = points;
    this.asOf = ts;
    this.lastTs = ts;
  }

  /**
   * Adds a record worth {@code weight} at {@code ts}, which may be earlier than the records before
   * it.
   */
  void add(double weight, long ts, RiskWeights w) {
    if (ts >= asOf) {
      points = points * w.decay(ts - asOf) + weight;
      asOf = ts;
    } else {
      points += weight * w.decay(asOf - ts);
    }
    lastTs = Math.max(lastTs, ts);
  }

  double pointsAt(long at, RiskWeights w) {
    return points * w.decay(at - asOf);
  }
}
