package org.gridfusion.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/health}: the state of Kafka, MQTT, Elasticsearch, the job and the connectors with
 * the last checkpoint and the indexing lag, as the launcher reports them ({@link HealthStatus}),
 * and what the console sees itself: Kafka and Elasticsearch from its own clients where the launcher
 * does not report them, input rates per source, dead letters of the last hour by reason, and when
 * the newest record became searchable.
 */
final class HealthApi {
  private static final Logger LOG = LoggerFactory.getLogger(HealthApi.class);
  private static final Duration KAFKA_SILENCE = Duration.ofSeconds(30);

  private final Supplier<HealthStatus> launcher;
  private final LiveFeed feed;
  private final PipelineCounters counters;
  private final Search search;
  private final EventHub hub;
  private final Clock clock;

  HealthApi(
      Supplier<HealthStatus> launcher,
      LiveFeed feed,
      PipelineCounters counters,
      Search search,
      EventHub hub,
      Clock clock) {
    this.launcher = launcher;
    this.feed = feed;
    this.counters = counters;
    this.search = search;
    this.hub = hub;
    this.clock = clock;
  }

  void health(Context ctx) {
    Instant now = clock.instant();
    HealthStatus status;
    try {
      status = launcher.get();
    } catch (RuntimeException e) {
      LOG.warn("The health source failed: {}", e.toString());
      status = HealthStatus.unknown().get();
    }
    Map<String, ComponentHealth> components = new LinkedHashMap<>(status.components());
    fillIn(components, HealthStatus.KAFKA, this::kafka);
    fillIn(components, HealthStatus.ELASTICSEARCH, this::elasticsearch);
    HealthStatus shown =
        new HealthStatus(
            status.checkedAt(), components, status.lastCheckpoint(), status.indexingLagRecords());

    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("checkedAt", now.toString());
    out.put("healthy", shown.healthy());
    ObjectNode c = out.putObject("components");
    shown
        .components()
        .forEach(
            (name, h) ->
                c.putObject(name).put("state", h.state().name()).put("detail", h.detail()));
    out.put("lastCheckpoint", instant(shown.lastCheckpoint()));
    if (shown.indexingLagRecords() == null) out.putNull("indexingLagRecords");
    else out.put("indexingLagRecords", shown.indexingLagRecords());
    out.put("lastIndexedAt", lastIndexedAt());
    ObjectNode inputs = out.putObject("inputsPerSecond");
    rate(inputs, "camera", Topics.RAW_CAMERA);
    rate(inputs, "sensor", Topics.RAW_SENSOR);
    rate(inputs, "department", Topics.RAW_DEPARTMENT);
    out.set("deadLettersLastHour", counters.deadLettersLastHour(now));
    out.putObject("console").put("eventStreams", hub.clients());
    ctx.json(out);
  }

  private static void fillIn(
      Map<String, ComponentHealth> components, String name, Supplier<ComponentHealth> own) {
    ComponentHealth given = components.get(name);
    if (given == null || given.state() == ComponentHealth.State.UNKNOWN) {
      components.put(name, own.get());
    }
  }

  private ComponentHealth kafka() {
    Instant last = feed.lastContact();
    if (last != null && last.isAfter(clock.instant().minus(KAFKA_SILENCE))) {
      return ComponentHealth.up("seen by the console's consumer");
    }
    return ComponentHealth.down(
        "the console's consumer has not reached Kafka"
            + (last == null ? "" : " since " + last)
            + (feed.lastProblem().isEmpty() ? "" : ": " + feed.lastProblem()));
  }

  private ComponentHealth elasticsearch() {
    try {
      String status = search.clusterStatus();
      return "red".equals(status)
          ? ComponentHealth.degraded("cluster red, as the console sees it")
          : ComponentHealth.up("cluster " + status + ", as the console sees it");
    } catch (IOException | RuntimeException e) {
      return ComponentHealth.down("does not answer the console: " + e.getMessage());
    }
  }

  private String lastIndexedAt() {
    try {
      ObjectNode body = new Query().sort("indexedAt", "desc").body();
      body.putArray("_source").add("indexedAt");
      return search
          .first(IndexNames.RECORDS, body)
          .map(d -> d.path("indexedAt").asText(null))
          .orElse(null);
    } catch (ApiError e) {
      return null;
    }
  }

  private void rate(ObjectNode out, String name, String topic) {
    Double r = counters.rate(topic);
    if (r == null) out.putNull(name);
    else out.put(name, Math.round(r * 10) / 10.0);
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }
}
