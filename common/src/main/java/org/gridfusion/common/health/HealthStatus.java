package org.gridfusion.common.health;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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
 * @param indexingLagRecords records on gf.records not yet indexed into gf-records; null if unknown
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

  public HealthStatus {
    components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
  }

  /** Every component UP. */
  public boolean healthy() {
    return components.values().stream().allMatch(c -> c.state() == ComponentHealth.State.UP);
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
