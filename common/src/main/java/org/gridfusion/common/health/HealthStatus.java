package org.gridfusion.common.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.gridfusion.common.json.Json;

/**
 * One snapshot of a running GridFusion's health (contract §9 {@code GET /v1/health}): each
 * component by name ({@link #KAFKA}, {@link #MQTT}, {@link #ELASTICSEARCH}, {@link #JOB}, and
 * connectors such as {@code http-ingest}), the last completed checkpoint of the fusion job and how
 * far record indexing lags behind {@code gf.records}.
 *
 * <p>The launcher produces it (probing the components it started or was given); the console and the
 * demo's status line only show it. A {@code Supplier<HealthStatus>} is how it is handed around.
 *
 * @param lastCheckpoint completion time of the fusion job's newest checkpoint; null if none yet
 * @param indexingLagRecords records committed on gf.records that the indexing job has not indexed
 *     into gf-records yet; null if unknown
 */
public record HealthStatus(
    Instant checkedAt,
    Map<String, ComponentHealth> components,
    Instant lastCheckpoint,
    Long indexingLagRecords) {
  public static final String KAFKA = "kafka";
  public static final String MQTT = "mqtt";
  public static final String ELASTICSEARCH = "elasticsearch";
  public static final String JOB = "job";

  /** The indexing job (gf.records and gf.risk into Elasticsearch); an addition to contract §9. */
  public static final String INDEXING = "indexing";

  public HealthStatus {
    components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
  }

  /** Every component UP. */
  public boolean healthy() {
    return components.values().stream().allMatch(c -> c.state() == ComponentHealth.State.UP);
  }

  /**
   * The whole in one state: DOWN if a component is down, DEGRADED if one is degraded, else UP
   * (UNKNOWN components, not checked from here, do not count).
   */
  public ComponentHealth.State overall() {
    var states = components.values().stream().map(ComponentHealth::state).toList();
    if (states.contains(ComponentHealth.State.DOWN)) return ComponentHealth.State.DOWN;
    if (states.contains(ComponentHealth.State.DEGRADED)) return ComponentHealth.State.DEGRADED;
    return ComponentHealth.State.UP;
  }

  /**
   * {@code {"status","checkedAt","components":{name:{"state","detail"}},"lastCheckpoint",
   * "indexingLagRecords"}}: what {@code GET /health} answers.
   */
  public String toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("status", overall().name());
    n.put("checkedAt", checkedAt.toString());
    ObjectNode c = n.putObject("components");
    components.forEach(
        (name, h) -> c.putObject(name).put("state", h.state().name()).put("detail", h.detail()));
    if (lastCheckpoint != null) n.put("lastCheckpoint", lastCheckpoint.toString());
    else n.putNull("lastCheckpoint");
    if (indexingLagRecords != null) n.put("indexingLagRecords", indexingLagRecords);
    else n.putNull("indexingLagRecords");
    return Json.write(n);
  }

  /** The component's health, UNKNOWN when it is not reported. */
  public ComponentHealth component(String name) {
    return components.getOrDefault(name, ComponentHealth.unknown("not reported"));
  }

  /** A source that knows nothing: every call says so (for a console run without a pipeline). */
  public static Supplier<HealthStatus> unknown() {
    return () -> new HealthStatus(Instant.now(), Map.of(), null, null);
  }
}
