package org.gridfusion.jobs.testing;

import java.util.List;
import org.gridfusion.jobs.FusionJob;

/**
 * The one place that builds {@link FusionJob.Sinks} for tests: a {@link CollectingSink} per output,
 * named after the topic or index it stands for. When the job's outputs change (a sink added or
 * moved to another job), this class and the names in {@link CollectedOutputs} are what changes.
 */
public final class TestSinks {
  public static final String RECORDS = "gf.records";
  public static final String ALERTS = "gf.alerts";
  public static final String ALERT_DOCUMENTS = "gf-alerts";
  public static final String DEAD_LETTERS = "gf.deadletter";
  public static final String RISK = "gf.risk";
  public static final String WORK_ORDERS = "gf.workorders";
  public static final String WORK_ORDER_DOCUMENTS = "gf-workorders";

  /** Every output of the fusion job, in the order of {@link FusionJob.Sinks}. */
  public static final List<String> ALL =
      List.of(
          RECORDS, ALERTS, ALERT_DOCUMENTS, DEAD_LETTERS, RISK, WORK_ORDERS, WORK_ORDER_DOCUMENTS);

  private TestSinks() {}

  public static FusionJob.Sinks of(TestRun run) {
    String id = run.id();
    return new FusionJob.Sinks(
        new CollectingSink<>(id, RECORDS),
        new CollectingSink<>(id, ALERTS),
        new CollectingSink<>(id, ALERT_DOCUMENTS),
        new CollectingSink<>(id, DEAD_LETTERS),
        new CollectingSink<>(id, RISK),
        new CollectingSink<>(id, WORK_ORDERS),
        new CollectingSink<>(id, WORK_ORDER_DOCUMENTS));
  }

  /**
   * The outputs that go both to a Kafka topic and to an index, as pairs (topic, index): the job
   * must write the same elements to both. Records and risk scores reach their indices through the
   * IndexingJob (from gf.records and gf.risk), not from this job.
   */
  static final List<List<String>> MIRRORED =
      List.of(List.of(ALERTS, ALERT_DOCUMENTS), List.of(WORK_ORDERS, WORK_ORDER_DOCUMENTS));
}
