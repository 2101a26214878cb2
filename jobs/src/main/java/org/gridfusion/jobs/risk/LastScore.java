package org.gridfusion.jobs.risk;

/** The score last emitted for a grid. A Flink POJO (kept in keyed state). */
public class LastScore {
  public double score;
  public String level;
  public long ts;

  public LastScore() {}

  LastScore(double score, String level, long ts) {
    this.score = score;
    this.level = level;
    this.ts = ts;
  }
}
