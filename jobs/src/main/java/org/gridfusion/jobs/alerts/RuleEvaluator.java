package org.gridfusion.jobs.alerts;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;

/** Evaluates the record-local (threshold) rules of the rule set against each record. */
public final class RuleEvaluator extends ProcessFunction<Record, Firing> {
  private final RuleSet rules;

  public RuleEvaluator(RuleSet rules) {
    this.rules = rules;
  }

  @Override
  public void processElement(Record r, Context ctx, Collector<Firing> out) {
    for (ThresholdRule rule : rules.thresholds()) {
      Severity s = rule.evaluate(r);
      if (s != null) {
        out.collect(new Firing(rule.id(), rules.version(), rule.title(), s, r.getGridId(), r.getGridKind(),
            r.getStreet(), r.getCommunity(), r.getLat(), r.getLon(), r.getSubjectRef(), r.getTs().toEpochMilli(),
            r.getRecordId()));
      }
    }
  }
}
