package org.gridfusion.jobs.risk;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * What one record contributes to its grid's risk: points of activity, or a standing context fact.
 * Most records contribute nothing (an ordinary sensor reading), so {@link Extract} runs before the
 * records are shuffled to the risk operator and only the few that count cross the network, as this
 * small POJO rather than the whole record.
 */
public class RiskEvidence {
  public String gridId;
  public String type;
  public long ts;

  /** Points of activity; 0 for a context fact. */
  public double weight;

  /**
   * For a context fact, what identifies it (type and subject, or the record), so a re-sent fact
   * counts once; else null.
   */
  public String factKey;

  public RiskEvidence() {}

  RiskEvidence(String gridId, String type, long ts, double weight, String factKey) {
    this.gridId = gridId;
    this.type = type;
    this.ts = ts;
    this.weight = weight;
    this.factKey = factKey;
  }

  boolean isContext() {
    return factKey != null;
  }

  /** The record's evidence, or null when it adds nothing to a risk score. */
  public static RiskEvidence of(Record r, RiskWeights w) {
    String type = r.getType();
    long ts = r.getTs().toEpochMilli();
    if (r.getSource() == Source.DEPARTMENT && w.context().containsKey(type)) {
      return new RiskEvidence(
          r.getGridId(),
          type,
          ts,
          0,
          type + "|" + (r.getSubjectRef() != null ? r.getSubjectRef() : r.getRecordId()));
    }
    double weight = weight(r, w);
    return weight > 0 ? new RiskEvidence(r.getGridId(), type, ts, weight, null) : null;
  }

  /**
   * Points a record adds: by type; a sensor reading only when it is at or above its elevated level.
   */
  static double weight(Record r, RiskWeights w) {
    Double weight = w.record().get(r.getType());
    if (weight == null || weight <= 0) return 0;
    if (r.getSource() == Source.SENSOR) {
      Double elevated = w.sensorElevated().get(r.getType());
      if (elevated == null || r.getValue() == null || r.getValue() < elevated) return 0;
    }
    return weight;
  }

  /** Records in, evidence out: drops the records that add nothing. */
  public static final class Extract implements FlatMapFunction<Record, RiskEvidence> {
    private final RiskWeights weights;

    public Extract(RiskWeights weights) {
      this.weights = weights;
    }

    @Override
    public void flatMap(Record r, Collector<RiskEvidence> out) {
      RiskEvidence e = of(r, weights);
      if (e != null) out.collect(e);
    }
  }
}
