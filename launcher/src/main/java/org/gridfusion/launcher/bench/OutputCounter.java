package org.gridfusion.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;

/**
 * What the job has written, counted from the outside: the committed end of gf.records (the topic is
 * written in transactions that commit at each checkpoint, so the read_committed end offset — the
 * last stable offset — is what a consumer can see; it also counts one commit marker per partition
 * and checkpoint, a negligible excess) and the documents in {@code gf-records-*}.
 */
final class OutputCounter implements AutoCloseable {
  private final Admin admin;
  private final HttpClient http;
  private final ElasticsearchConnection es;
  private static final Map<String, String> RAW =
      Map.of(
          Topics.RAW_SENSOR,
          "SENSOR",
          Topics.RAW_CAMERA,
          "CAMERA",
          Topics.RAW_DEPARTMENT,
          "DEPARTMENT");
  private Map<TopicPartition, OffsetSpec> partitions;
  private Map<TopicPartition, OffsetSpec> rawPartitions;

  OutputCounter(KafkaConnection kafka, ElasticsearchConnection es) {
    admin = Admin.create(kafka.properties("gridfusion-bench-counter"));
    this.es = es;
    this.http = es.httpClient(Duration.ofSeconds(3));
  }

  /** Committed records in gf.records, or -1 if Kafka did not answer in time. */
  long committedRecords() {
    try {
      if (partitions == null) {
        partitions =
            admin
                .describeTopics(List.of(Topics.RECORDS))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(Topics.RECORDS)
                .partitions()
                .stream()
                .collect(
                    Collectors.toMap(
                        i -> new TopicPartition(Topics.RECORDS, i.partition()),
                        i -> OffsetSpec.latest()));
      }
      return admin
          .listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(5, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(i -> i.offset())
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * End offsets of the raw topics by source (SENSOR, CAMERA, DEPARTMENT): what the connectors (or
   * the Kafka sink) have handed to Kafka, before the job. Empty if Kafka did not answer in time.
   */
  Map<String, Long> rawRecords() {
    try {
      if (rawPartitions == null) {
        rawPartitions =
            admin
                .describeTopics(RAW.keySet())
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .values()
                .stream()
                .flatMap(
                    d ->
                        d.partitions().stream()
                            .map(i -> new TopicPartition(d.name(), i.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      }
      Map<String, Long> out = new TreeMap<>();
      admin
          .listOffsets(rawPartitions)
          .all()
          .get(5, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.merge(RAW.get(tp.topic()), info.offset(), Long::sum));
      return out;
    } catch (Exception e) {
      return Map.of();
    }
  }

  /** Searchable documents in gf-records-*, or -1 if Elasticsearch did not answer. */
  long indexedRecords() {
    try {
      HttpResponse<String> r =
          http.send(
              es.request("/gf-records-*/_count").timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return -1;
      JsonNode n = Json.MAPPER.readTree(r.body()).path("count");
      return n.isNumber() ? n.asLong() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
