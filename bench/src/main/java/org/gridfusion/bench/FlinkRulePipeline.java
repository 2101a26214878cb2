package org.gridfusion.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.jobs.rules.RuleEngine;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;

/**
 * GridFusion's rule operators as the fusion job chains them: {@link RuleEngine} with the default
 * rules or another set (keyed by grid) and {@link IncidentTracker} (keyed by incident), each on
 * Flink's operator test harness with heap state in this thread. Firings and watermarks pass from
 * the first to the second as the job's network would pass them, without serialisation.
 */
public final class FlinkRulePipeline implements RulePipeline {
  /** The job's defaults: the contract's local time zone and an hour of allowed lateness. */
  static final String ZONE = "Asia/Shanghai";

  static final Duration ALLOWED_LATENESS = Duration.ofHours(1);

  private final KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> rules;
  private final KeyedOneInputStreamOperatorTestHarness<String, Firing, Alert> incidents;
  private final Map<String, RaisedAlert> alerts = new HashMap<>();

  public FlinkRulePipeline() throws Exception {
    this(RuleSet.defaults());
  }

  /** With a rule set of its own ({@link CityRuleSet}). */
  public FlinkRulePipeline(RuleSet set) throws Exception {
    rules = ruleEngineHarness(set);
    incidents =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new IncidentTracker(IncidentTracker.DEFAULT_QUIET), Firing::incidentKey, Types.STRING);
  }

  /**
   * The rule engine alone, with the default rules, as {@link RuleThroughput} measures it: without
   * its duplicate filter (Esper has none, and the stream has no redeliveries) and record
   * pass-through.
   */
  static KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> ruleEngineHarness()
      throws Exception {
    return ruleEngineHarness(RuleSet.defaults());
  }

  /** The rule engine alone with a rule set of its own ({@link CityRuleSet}). */
  static KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> ruleEngineHarness(
      RuleSet rules) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            RuleEngine.rulesOnly(rules, ZONE, ALLOWED_LATENESS),
            Record::getGridId,
            Types.STRING,
            RuleEngine.RULES);
    // As in the job: the rule-set input is idle and must not hold event time back.
    h.getOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
    return h;
  }

  @Override
  public void accept(Record r) throws Exception {
    rules.processElement(new StreamRecord<>(r, r.getTs().toEpochMilli()));
    forward();
  }

  @Override
  public void watermark(long ts) throws Exception {
    rules.processWatermark(new Watermark(ts));
    forward();
  }

  @SuppressWarnings("unchecked")
  private void forward() throws Exception {
    Queue<Object> firings = rules.getOutput();
    if (!firings.isEmpty()) {
      for (Object o : firings) {
        if (o instanceof StreamRecord<?> sr) incidents.processElement((StreamRecord<Firing>) sr);
        else if (o instanceof Watermark w) incidents.processWatermark(w);
      }
      firings.clear();
    }
    Queue<Object> out = incidents.getOutput();
    if (!out.isEmpty()) {
      for (Object o : out) {
        if (o instanceof StreamRecord<?> sr && sr.getValue() instanceof Alert a) {
          alerts.put(
              a.getAlertId(),
              new RaisedAlert(
                  a.getRuleId(),
                  a.getGridId(),
                  a.getSeverity(),
                  a.getSubjectRef(),
                  a.getFirstSeen().toEpochMilli()));
        }
      }
      out.clear();
    }
  }

  @Override
  public Map<String, RaisedAlert> alerts() {
    return alerts;
  }

  @Override
  public void close() throws Exception {
    try {
      rules.close();
    } finally {
      incidents.close();
    }
  }
}
