package org.gridfusion.launcher.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code up}'s view of its own health: every {@code health.interval} it runs each component's check
 * (Kafka, MQTT, Elasticsearch, the job, the ingest) on its own thread and keeps the snapshot, which
 * {@code /health}, the demo's status line and the console read ({@link #get()}, never blocking on a
 * probe). A component that changes state is logged — WARN when it gets worse, INFO when it recovers
 * — so an outage is in the log even when nobody looks at the status.
 */
public final class HealthMonitor implements Supplier<HealthStatus>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final Map<String, Supplier<ComponentHealth>> checks = new LinkedHashMap<>();
  private final Map<String, UnaryOperator<ComponentHealth>> decorations = new ConcurrentHashMap<>();
  private final Duration interval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gridfusion-health");
            t.setDaemon(true);
            return t;
          });
  private Supplier<Instant> lastCheckpoint = () -> null;
  private Supplier<Long> indexingLag = () -> null;
  private volatile HealthStatus last;

  public HealthMonitor(Duration interval) {
    this.interval = interval;
    this.last = new HealthStatus(Instant.now(), Map.of(), null, null);
  }

  /** Adds (or replaces) the check of a component; run on the monitor's thread, must not hang. */
  public synchronized HealthMonitor component(String name, Supplier<ComponentHealth> check) {
    checks.put(name, check);
    return this;
  }

  /**
   * Passes a component's probed health through {@code decoration} before it is published (the
   * supervisor adds its restarts).
   */
  public HealthMonitor decorate(String name, UnaryOperator<ComponentHealth> decoration) {
    decorations.put(name, decoration);
    return this;
  }

  public synchronized HealthMonitor lastCheckpoint(Supplier<Instant> source) {
    this.lastCheckpoint = source;
    return this;
  }

  public synchronized HealthMonitor indexingLag(Supplier<Long> source) {
    this.indexingLag = source;
    return this;
  }

  /** Probes at once, then every interval. */
  public HealthMonitor start() {
    executor.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The last snapshot. */
  @Override
  public HealthStatus get() {
    return last;
  }

  /** Probes now, on the caller's thread (tests, the first status line). */
  public synchronized HealthStatus probe() {
    Map<String, ComponentHealth> now = new LinkedHashMap<>();
    for (Map.Entry<String, Supplier<ComponentHealth>> c : checks.entrySet()) {
      ComponentHealth h;
      try {
        h = c.getValue().get();
      } catch (RuntimeException e) {
        h = ComponentHealth.down("check failed: " + e);
      }
      UnaryOperator<ComponentHealth> d = decorations.get(c.getKey());
      now.put(c.getKey(), d == null ? h : d.apply(h));
    }
    HealthStatus before = last;
    last = new HealthStatus(Instant.now(), now, safe(lastCheckpoint), safe(indexingLag));
    now.forEach((name, h) -> logChange(name, before.components().get(name), h));
    return last;
  }

  private static <T> T safe(Supplier<T> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void logChange(String name, ComponentHealth before, ComponentHealth now) {
    if (before == null) {
      if (now.state() != ComponentHealth.State.UP) {
        LOG.warn("Health: {} is {} ({})", name, now.state(), now.detail());
      }
      return;
    }
    if (before.state() == now.state()) return;
    if (now.state().ordinal() > before.state().ordinal()) {
      LOG.warn("Health: {} {} -> {} ({})", name, before.state(), now.state(), now.detail());
    } else {
      LOG.info("Health: {} {} -> {} ({})", name, before.state(), now.state(), now.detail());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
