package org.gridfusion.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;

/**
 * The demo's terminal view: what a duty officer would watch. Reads what GridFusion wrote — alerts
 * and record counts from Elasticsearch, dead letters from Kafka — so it shows the outputs, not the
 * simulator's own bookkeeping; and, on a second status line, GridFusion's health (the same snapshot
 * {@code /health} serves): each component, restarts, the last checkpoint.
 */
final class LiveView implements AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final ElasticsearchConnection es;
  private final ZoneId zone;
  private final PrintStream out;
  private final HttpClient http;
  private final Supplier<HealthStatus> health;
  private final KafkaConsumer<byte[], byte[]> deadLetters;
  private final Set<String> seenAlerts = new HashSet<>();
  private final Instant since = Instant.now();
  private long deadLetterCount;
  private int alertCount;
  private Map<String, Long> bySource = Map.of();
  private Map<String, Long> byLevel = Map.of();
  private Instant firstAlertAt;

  LiveView(
      ElasticsearchConnection es,
      KafkaConnection kafka,
      Supplier<HealthStatus> health,
      ZoneId zone,
      PrintStream out) {
    this.es = es;
    this.http = es.httpClient(Duration.ofSeconds(3));
    this.health = health;
    this.zone = zone;
    this.out = out;
    Properties p = kafka.properties("gridfusion-demo-view");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    deadLetters = new KafkaConsumer<>(p);
    List<TopicPartition> parts =
        deadLetters.partitionsFor(Topics.DEADLETTER).stream()
            .map(i -> new TopicPartition(i.topic(), i.partition()))
            .toList();
    deadLetters.assign(parts);
    deadLetters.seekToEnd(parts);
  }

  /** Prints alerts that appeared since the last call, one line each. */
  void pollAlerts() {
    JsonNode hits =
        search(
            "gf-alerts",
            "{\"size\":100,\"sort\":[{\"detectedAt\":\"asc\"}],"
                + "\"query\":{\"range\":{\"detectedAt\":{\"gte\":\""
                + since
                + "\"}}}}");
    if (hits == null) return;
    for (JsonNode h : hits.path("hits").path("hits")) {
      JsonNode a = h.path("_source");
      if (seenAlerts.add(a.path("alertId").asText())) {
        if (firstAlertAt == null) firstAlertAt = Instant.now();
        alertCount++;
        out.printf(
            "ALERT %s  %-9s %-18s grid %-18s street %-4s (%s)%n",
            TIME.format(Instant.parse(a.path("firstSeen").asText()).atZone(zone)),
            a.path("severity").asText(),
            a.path("ruleId").asText(),
            a.path("gridId").asText(),
            a.path("street").asText("-"),
            a.path("title").asText());
      }
    }
  }

  /**
   * One status line: records per source in gf-records, dead letters, alerts, grids at HIGH or
   * above.
   */
  /** The status line; where Elasticsearch does not answer (stopping), its counts as last seen. */
  String status() {
    for (var r : deadLetters.poll(Duration.ZERO)) deadLetterCount++;
    JsonNode res =
        search(
            "gf-records",
            "{\"size\":0,\"query\":{\"range\":{\"receivedAt\":{\"gte\":\""
                + since
                + "\"}}},"
                + "\"aggs\":{\"s\":{\"terms\":{\"field\":\"source\"}}}}");
    if (res != null) {
      bySource = new LinkedHashMap<>();
      for (JsonNode b : res.path("aggregations").path("s").path("buckets"))
        bySource.put(b.path("key").asText(), b.path("doc_count").asLong());
    }
    JsonNode grids =
        search("gf-grid-status", "{\"size\":0,\"aggs\":{\"l\":{\"terms\":{\"field\":\"level\"}}}}");
    if (grids != null) {
      byLevel = new LinkedHashMap<>();
      for (JsonNode b : grids.path("aggregations").path("l").path("buckets"))
        byLevel.put(b.path("key").asText(), b.path("doc_count").asLong());
    }
    return String.format(
        "records in gf-records: camera %d, sensor %d, department %d | dead letters %d | alerts %d"
            + " | grids HIGH %d, CRITICAL %d",
        bySource.getOrDefault("CAMERA", 0L),
        bySource.getOrDefault("SENSOR", 0L),
        bySource.getOrDefault("DEPARTMENT", 0L),
        deadLetterCount,
        alertCount,
        byLevel.getOrDefault("HIGH", 0L),
        byLevel.getOrDefault("CRITICAL", 0L));
  }

  /**
   * {@code health: kafka UP | mqtt UP | elasticsearch UP (restarted 1 time, last 10:42:07) | job UP
   * | indexing UP | checkpoint 4 s ago | indexing lag 120 records}: a component's detail is shown
   * when it is not simply UP, or carries a restart. The indexing lag is what search is behind the
   * alerts (records on gf.records not yet in gf-records).
   */
  String healthLine() {
    HealthStatus h = health.get();
    StringBuilder sb = new StringBuilder("health: ").append(h.overall());
    h.components()
        .forEach(
            (name, c) -> {
              sb.append(" | ").append(name).append(' ').append(c.state());
              if (c.state() != ComponentHealth.State.UP || c.detail().contains("restarted")) {
                sb.append(" (").append(c.detail()).append(')');
              }
            });
    if (h.lastCheckpoint() != null) {
      sb.append(" | checkpoint ")
          .append(Duration.between(h.lastCheckpoint(), Instant.now()).toSeconds())
          .append(" s ago");
    } else {
      sb.append(" | no checkpoint yet");
    }
    if (h.indexingLagRecords() != null) {
      sb.append(" | indexing lag ").append(h.indexingLagRecords()).append(" records");
    }
    return sb.toString();
  }

  Instant firstAlertAt() {
    return firstAlertAt;
  }

  int alertCount() {
    return alertCount;
  }

  private JsonNode search(String index, String body) {
    try {
      HttpResponse<String> r =
          http.send(
              es.request("/" + index + "/_search")
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
    } catch (Exception e) {
      return null; // the index may not exist yet; the next poll tries again
    }
  }

  @Override
  public void close() {
    deadLetters.close();
  }
}
