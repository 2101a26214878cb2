package org.gridfusion.jobs.risk;

/**
 * A standing department fact about the grid (a hazardous enterprise...). A Flink POJO (kept in
 * keyed state).
 */
public class ContextFact {
  public String type;

  /** Event time it was last received; it counts until {@code risk.contextTtl} after that. */
  public long lastSeen;

  public ContextFact() {}

  ContextFact(String type, long lastSeen) {
    this.type = type;
    this.lastSeen = lastSeen;
  }
}
