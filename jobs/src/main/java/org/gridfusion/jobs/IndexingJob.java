package org.gridfusion.jobs;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.elasticsearch.Documents;
import org.gridfusion.jobs.elasticsearch.ElasticsearchSink;
import org.gridfusion.jobs.elasticsearch.IndexingPace;
import org.gridfusion.jobs.kafka.KafkaEndpoints;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskScore;

/**
 * The indexing job: what analysts search, indexed from the fusion job's committed Kafka outputs.
 *
 * <pre>
 *  gf.records ─ pace ─ gf-records
 *  gf.risk ────┬─ gf-grid-risk
 *              └─ gf-grid-status
 * </pre>
 *
 * A job of its own so that Elasticsearch's back-pressure stops here: while Elasticsearch is slow or
 * away, records wait in Kafka and search falls behind, but the fusion job goes on raising alerts
 * onto gf.alerts. Its checkpoints wait for Elasticsearch ({@link ElasticsearchSink#create}), so the
 * offsets it commits to Kafka (group {@value #GROUP}) at each checkpoint are indexed records: end
 * offset minus committed offset is the indexing lag {@code up} reports. Records are let on at the
 * pace they arrived ({@link IndexingPace}), not in the bursts the fusion job's checkpoints commit.
 * Every document has a deterministic id (contract §4), so what a restart reads again overwrites,
 * never duplicates.
 */
public final class IndexingJob {
  public static final String NAME = "gridfusion-indexing";

  /**
   * The consumer group whose committed offsets mark what is indexed; under the fusion job's prefix,
   * so the ACLs GridFusion's principal already has (groups {@code gridfusion-fusion}, prefixed)
   * cover it.
   */
  public static final String GROUP = FusionJob.NAME + "-indexing";

  public record Sources(Source<Record, ?, ?> records, Source<RiskScore, ?, ?> risk) {}

  public record Sinks(
      Sink<Record> recordDocuments,
      Sink<RiskScore> riskDocuments,
      Sink<RiskScore> gridStatusDocuments) {}

  /**
   * How records are let on to Elasticsearch ({@link IndexingPace}): {@code pace} times faster than
   * they arrived (0: as fast as they come), except those received longer than {@code catchUp} ago.
   */
  public record Settings(double pace, Duration catchUp) {
    public static Settings from(Config config) {
      // a record of the current interval is at most one interval plus its pacing old; older ones
      // are a backlog
      return new Settings(
          config.get(GridFusionOptions.INDEXING_PACE),
          config.get(GridFusionOptions.JOB_CHECKPOINT_INTERVAL).multipliedBy(3));
    }
  }

  private IndexingJob() {}

  public static void build(
      StreamExecutionEnvironment env, Sources sources, Sinks sinks, Settings settings) {
    // no event time here: documents are written in the order the fusion job committed them
    DataStream<Record> records =
        env.fromSource(sources.records(), WatermarkStrategy.noWatermarks(), Topics.RECORDS)
            .uid("source-records");
    if (settings.pace() > 0) {
      records =
          records
              .process(
                  new IndexingPace<Record>(
                      r -> r.getReceivedAt().toEpochMilli(), settings.pace(), settings.catchUp()),
                  RecordType.INFO)
              .uid("pace-records")
              .name("pace records as they arrived");
    }
    records.sinkTo(sinks.recordDocuments()).uid("sink-records-es").name("gf-records");
    DataStream<RiskScore> risk =
        env.fromSource(sources.risk(), WatermarkStrategy.noWatermarks(), Topics.RISK)
            .uid("source-risk");
    risk.sinkTo(sinks.riskDocuments()).uid("sink-risk-es").name("gf-grid-risk");
    risk.sinkTo(sinks.gridStatusDocuments()).uid("sink-grid-status-es").name("gf-grid-status");
  }

  /**
   * The production sources: gf.records and gf.risk, read_committed, from the group's committed
   * offsets (the first start reads from the beginning of what Kafka keeps).
   */
  public static Sources kafkaSources(Config config) {
    KafkaConnection kafka = KafkaConnection.from(config, "to read gf.records and gf.risk");
    return new Sources(
        KafkaEndpoints.avroSource(kafka, Topics.RECORDS, GROUP, Record.class),
        KafkaEndpoints.avroSource(kafka, Topics.RISK, GROUP, RiskScore.class));
  }

  /** The production sinks: gf-records, gf-grid-risk and gf-grid-status. */
  public static Sinks productionSinks(Config config) {
    ElasticsearchConnection es =
        ElasticsearchConnection.from(config, "to write gf-records, gf-grid-risk, gf-grid-status");
    return elasticsearchSinks(es);
  }

  public static Sinks elasticsearchSinks(ElasticsearchConnection es) {
    return new Sinks(
        ElasticsearchSink.create(es, Documents::record, 1000),
        ElasticsearchSink.create(es, Documents::riskScore, 1000),
        ElasticsearchSink.create(es, Documents::gridStatus, 1000));
  }
}
