package org.gridfusion.jobs.rules;

import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.rules.RuleEngine.GridInfo;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;

/**
 * Builds the firings of one grid under one rule-set version, fills in the grid and version, counts
 * them ({@code ruleFirings}) and emits them. One is made per record or timer, so the rule kinds
 * judging it need only say which rule fired, when, where and on what evidence. It touches no state.
 */
final class Emitter {
  private final Counter firings;
  private final String version;
  private final String gridId;
  private final Collector<Firing> out;

  Emitter(Counter firings, String version, String gridId, Collector<Firing> out) {
    this.firings = firings;
    this.version = version;
    this.gridId = gridId;
    this.out = out;
  }

  void fire(String ruleId, String title, Severity severity, Record r, List<String> evidence) {
    fire(ruleId, title, severity, r, r.getTs().toEpochMilli(), evidence);
  }

  /** A firing in {@code r}'s grid and place, dated {@code ts}. */
  void fire(
      String ruleId, String title, Severity severity, Record r, long ts, List<String> evidence) {
    fire(
        ruleId,
        title,
        severity,
        new GridInfo(r.getGridKind(), r.getStreet(), r.getCommunity()),
        r.getLat(),
        r.getLon(),
        null,
        ts,
        evidence);
  }

  void fire(
      String ruleId,
      String title,
      Severity severity,
      GridInfo info,
      double lat,
      double lon,
      String subjectRef,
      long ts,
      List<String> evidence) {
    firings.inc();
    out.collect(
        new Firing(
            ruleId,
            version,
            title,
            severity,
            gridId,
            info == null ? null : info.gridKind(),
            info == null ? null : info.street(),
            info == null ? null : info.community(),
            lat,
            lon,
            subjectRef,
            ts,
            List.copyOf(evidence)));
  }
}
