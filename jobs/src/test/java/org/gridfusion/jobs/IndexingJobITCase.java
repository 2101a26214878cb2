package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.elasticsearch.IndexTemplates;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Raw;
import org.gridfusion.jobs.testing.TcpGate;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert path does not wait for record indexing (issue 14), on the production wiring of both
 * jobs (Kafka sources and sinks, Elasticsearch sinks) with a real Kafka broker and Elasticsearch
 * node: while Elasticsearch hangs (both jobs point at a {@link TcpGate} that takes their bulk
 * requests and never answers) the fusion job's alert is committed on gf.alerts before any of those
 * requests has even timed out, i.e. no checkpoint of the fusion job waited for Elasticsearch; once
 * the gate forwards to the node, the indexing job catches up by itself and every record is in
 * gf-records exactly once, also after the indexing job is stopped and restarted from its checkpoint
 * and more records follow.
 */
@ExtendWith(EmbeddedStackExtension.class)
class IndexingJobITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2) // one job each, parallelism 1
              .build());

  static final Duration TIMEOUT = Duration.ofMinutes(3);
  static final String GRID = "G-IDX";

  static final District DISTRICT =
      District.builder()
          .grid(GRID, "BASIC", 1000)
          .camera("CAM-IDX")
          .sensor("TEMP-IDX", "TEMPERATURE")
          .build();

  @TempDir Path dir;

  @Test
  void alertsGoOnWhileElasticsearchIsAwayAndIndexingCatchesUpExactlyOnce(Endpoints e)
      throws Exception {
    KafkaSetup.createTopics(e.kafka(), 1, (short) 1, KafkaSetup.DEFAULT_DEADLETTER_RETENTION);
    IndexTemplates.install(e.elasticsearch(), 1, 0);
    ReferenceFiles reference = DISTRICT.write(dir.resolve("reference"));
    // a run of its own: ids no other run of this test JVM uses
    String run = "idx" + System.nanoTime();
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);

    try (TcpGate elasticsearch = new TcpGate(e.elasticsearchUrl())) {
      Config config =
          FusionJobRun.config(reference)
              .with(GridFusionOptions.KAFKA_BOOTSTRAP, e.kafkaBootstrap())
              .with(GridFusionOptions.ELASTICSEARCH_URL, elasticsearch.url())
              .with(GridFusionOptions.JOB_PARALLELISM, 1)
              .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "500ms")
              .with(GridFusionOptions.JOB_IDLENESS, "1s")
              .with(GridFusionOptions.DATA_DIR, dir.resolve("data"));
      String indexingState = JobRunner.indexingStateDir(config);
      JobClient fusion =
          start(
              config,
              JobRunner.stateDir(config),
              null,
              env ->
                  FusionJob.build(
                      env,
                      FusionJob.kafkaSources(config),
                      FusionJob.productionSinks(config),
                      FusionJob.Settings.from(config)));
      JobClient indexing = startIndexing(config, indexingState, null);

      // Elasticsearch hung: readings, a fall, readings after it so event time passes it
      List<String> first = new ArrayList<>();
      String fall1 = run + "-fall-1";
      sendReadings(e, t0, 0, 20, first);
      sendFall(e, fall1, t0.plusSeconds(20), first);
      sendReadings(e, t0, 20, 40, first);
      Alert alert = awaitAlertOnKafka(e, fall1);
      assertThat(alert.getRuleId()).isEqualTo("FALL_DETECTED");
      // The alert's document is now held by the hung node; a second fall later grows the same
      // alert, and that update is committed too before a single request to the node was given up
      // (60 s socket timeout): no checkpoint of the fusion job waited for Elasticsearch.
      String fall2 = run + "-fall-2";
      sendFall(e, fall2, t0.plusSeconds(45), first);
      sendReadings(e, t0, 40, 60, first);
      Alert grown = awaitAlertOnKafka(e, fall2);
      assertThat(grown.getAlertId()).isEqualTo(alert.getAlertId());
      assertThat(grown.getCount()).isEqualTo(2);
      assertThat(elasticsearch.givenUp()).isZero();
      // and every record with it on gf.records, none of them searchable yet
      KafkaProbe.readUntil(
          e.kafka(), Topics.RECORDS, seen -> recordIds(seen).containsAll(first), TIMEOUT);
      assertThat(indexed(e, first)).isEmpty();

      // Elasticsearch back: the indexing job catches up on its own, each record once
      elasticsearch.open();
      awaitIndexed(e, first);
      assertThat(indexedCount(e, t0)).isEqualTo(first.size());
      // the alert document, kept by the fusion job while Elasticsearch was away, arrives too
      ElasticsearchProbe.awaitHits(
          e.elasticsearch(),
          "gf-alerts",
          "{\"query\":{\"term\":{\"alertId\":\"" + alert.getAlertId() + "\"}}}",
          1,
          TIMEOUT);

      // the indexing job stopped and started again from its checkpoint, and more records:
      // still each record once
      awaitCheckpointAfterIndexing(indexingState);
      indexing.cancel().get();
      String checkpoint = JobRunner.latestCheckpoint(indexingState).orElseThrow();
      indexing = startIndexing(config, indexingState, checkpoint);
      List<String> all = new ArrayList<>(first);
      sendReadings(e, t0, 60, 80, all);
      awaitIndexed(e, all);
      assertThat(indexedCount(e, t0)).isEqualTo(all.size());

      indexing.cancel().get();
      fusion.cancel().get();
    }
  }

  /**
   * Readings {@code from} (inclusive) to {@code to} seconds after t0; their ids into {@code ids}.
   */
  private static void sendReadings(Endpoints e, Instant t0, int from, int to, List<String> ids) {
    List<SensorReading> readings = new ArrayList<>();
    for (int i = from; i < to; i++) {
      SensorReading r = Raw.sensor("TEMP-IDX", "TEMPERATURE", 20 + i % 3, t0.plusSeconds(i));
      readings.add(r);
      ids.add(Raw.sensorId("TEMP-IDX", "TEMPERATURE", r.getTs()));
    }
    send(e, Topics.RAW_SENSOR, SensorReading.class, readings);
  }

  private static void sendFall(Endpoints e, String eventId, Instant ts, List<String> ids) {
    send(
        e,
        Topics.RAW_CAMERA,
        CameraEvent.class,
        List.of(Raw.camera(eventId, "CAM-IDX", "FALL_DETECTED", ts, 0.9)));
    ids.add("CAMERA:" + eventId);
  }

  /** The alert on gf.alerts (read_committed) whose evidence has the fall {@code eventId}. */
  private static Alert awaitAlertOnKafka(Endpoints e, String eventId) {
    String recordId = "CAMERA:" + eventId;
    List<ConsumerRecord<byte[], byte[]>> seen =
        KafkaProbe.readUntil(
            e.kafka(),
            Topics.ALERTS,
            read -> alerts(read).stream().anyMatch(a -> a.getEvidence().contains(recordId)),
            TIMEOUT);
    return alerts(seen).stream()
        .filter(a -> a.getEvidence().contains(recordId))
        .findFirst()
        .orElseThrow();
  }

  private static JobClient startIndexing(Config config, String stateDir, String checkpoint)
      throws Exception {
    return start(
        config,
        stateDir,
        checkpoint,
        env ->
            IndexingJob.build(
                env,
                IndexingJob.kafkaSources(config),
                IndexingJob.productionSinks(config),
                IndexingJob.Settings.from(config)));
  }

  /** A job on the class's MiniCluster with production's Flink settings and state directory. */
  private static JobClient start(
      Config config, String stateDir, String checkpoint, Consumer<StreamExecutionEnvironment> build)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            JobRunner.jobConfiguration(config, stateDir));
    JobRunner.configure(env, config);
    build.accept(env);
    StreamGraph graph = env.getStreamGraph();
    if (checkpoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(checkpoint, true));
    }
    return env.executeAsync(graph);
  }

  private static <T extends org.apache.avro.specific.SpecificRecordBase> void send(
      Endpoints e, String topic, Class<T> type, List<T> values) {
    AvroCodec<T> codec = AvroCodec.of(type);
    Properties p = KafkaSetup.reliableProducer(e.kafka(), "indexing-test");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (T v : values) {
        producer.send(
            new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), codec.encode(v)));
      }
      producer.flush();
    }
  }

  private static List<Alert> alerts(List<ConsumerRecord<byte[], byte[]>> seen) {
    AvroCodec<Alert> codec = AvroCodec.of(Alert.class);
    List<Alert> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : seen) {
      try {
        out.add(codec.decode(r.value()));
      } catch (java.io.IOException ex) {
        throw new AssertionError(ex);
      }
    }
    return out;
  }

  private static Set<String> recordIds(List<ConsumerRecord<byte[], byte[]>> seen) {
    AvroCodec<org.gridfusion.schema.Record> codec =
        AvroCodec.of(org.gridfusion.schema.Record.class);
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : seen) {
      try {
        ids.add(codec.decode(r.value()).getRecordId());
      } catch (java.io.IOException ex) {
        throw new AssertionError(ex);
      }
    }
    return ids;
  }

  /** The ids among {@code ids} that gf-records holds, one entry per document. */
  private static List<String> indexed(Endpoints e, List<String> ids) {
    ElasticsearchProbe.refresh(e.elasticsearch(), "gf-records*");
    StringBuilder terms = new StringBuilder();
    for (String id : ids)
      terms.append(terms.length() == 0 ? "" : ",").append('"').append(id).append('"');
    ElasticsearchProbe.Hits hits =
        ElasticsearchProbe.search(
            e.elasticsearch(),
            "gf-records*",
            "{\"size\":1000,\"query\":{\"terms\":{\"recordId\":[" + terms + "]}}}");
    List<String> out = new ArrayList<>();
    for (JsonNode d : hits.sources()) out.add(d.path("recordId").asText());
    return out;
  }

  private static void awaitIndexed(Endpoints e, List<String> ids) {
    Await.until(
        "all " + ids.size() + " records in gf-records",
        () -> {
          try {
            return new HashSet<>(indexed(e, ids)).containsAll(ids);
          } catch (IllegalStateException notYet) {
            return false; // the month's index being created: its shard not yet started
          }
        },
        TIMEOUT);
  }

  /** Documents of this run's grid since t0: each record must be there once, and nothing else. */
  private static long indexedCount(Endpoints e, Instant t0) {
    ElasticsearchProbe.refresh(e.elasticsearch(), "gf-records*");
    return ElasticsearchProbe.search(
            e.elasticsearch(),
            "gf-records*",
            "{\"size\":0,\"track_total_hits\":true,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"gridId\":\""
                + GRID
                + "\"}},{\"range\":{\"ts\":{\"gte\":\""
                + t0
                + "\"}}}]}}}")
        .total();
  }

  /** A checkpoint completed after everything seen so far was indexed: restart resumes there. */
  private static void awaitCheckpointAfterIndexing(String stateDir) {
    String before = JobRunner.latestCheckpoint(stateDir).orElse("");
    Await.until(
        "a newer checkpoint of the indexing job",
        () -> JobRunner.latestCheckpoint(stateDir).filter(c -> !c.equals(before)).isPresent(),
        TIMEOUT);
  }
}
