package org.gridfusion.launcher;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchClients;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;

/**
 * The health of what {@code up} runs, for the console's {@code /v1/health}: Kafka (the cluster
 * answers), MQTT (the broker accepts connections), Elasticsearch (the cluster's status), the fusion
 * job (its status from its {@link JobClient}) and its newest retained checkpoint (from the local
 * checkpoint directory). A snapshot is kept for a few seconds, so a page polling it costs the
 * cluster little.
 *
 * <p>A first, simple prober: the supervision work extends it (connector liveness, restarts, the
 * indexing lag, which it leaves unknown for now).
 */
final class PipelineHealth implements Supplier<HealthStatus>, AutoCloseable {
  private static final Duration PROBE = Duration.ofSeconds(3);
  private static final Duration KEEP = Duration.ofSeconds(3);

  private final Config config;
  private final JobClient job;
  private final Admin admin;
  private final RestClientTransport es;
  private final Clock clock = Clock.systemUTC();
  private HealthStatus last;

  PipelineHealth(Config config, JobClient job) {
    this.config = config;
    this.job = job;
    Properties p = new Properties();
    p.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(GridFusionOptions.KAFKA_BOOTSTRAP));
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gridfusion-health");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(PROBE.toMillis()));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(PROBE.toMillis()));
    this.admin = Admin.create(p);
    this.es = ElasticsearchClients.transport(config.get(GridFusionOptions.ELASTICSEARCH_URL));
  }

  @Override
  public synchronized HealthStatus get() {
    Instant now = clock.instant();
    if (last != null && last.checkedAt().plus(KEEP).isAfter(now)) return last;
    Map<String, ComponentHealth> c = new LinkedHashMap<>();
    c.put(HealthStatus.KAFKA, kafka());
    c.put(HealthStatus.MQTT, mqtt());
    c.put(HealthStatus.ELASTICSEARCH, elasticsearch());
    c.put(HealthStatus.JOB, job());
    last = new HealthStatus(now, c, lastCheckpoint().orElse(null), null);
    return last;
  }

  private ComponentHealth kafka() {
    try {
      int brokers =
          admin.describeCluster().nodes().get(PROBE.toMillis(), TimeUnit.MILLISECONDS).size();
      return ComponentHealth.up(brokers + " broker(s)");
    } catch (Exception e) {
      return ComponentHealth.down(
          "no answer from " + config.get(GridFusionOptions.KAFKA_BOOTSTRAP));
    }
  }

  private ComponentHealth mqtt() {
    URI url = URI.create(config.get(GridFusionOptions.MQTT_URL));
    int port = url.getPort() > 0 ? url.getPort() : 1883;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(url.getHost(), port), (int) PROBE.toMillis());
      return ComponentHealth.up("accepts connections at " + url);
    } catch (IOException e) {
      return ComponentHealth.down("no connection to " + url + ": " + e.getMessage());
    }
  }

  private ComponentHealth elasticsearch() {
    try {
      var health = new ElasticsearchClient(es).cluster().health();
      String status = health.status().jsonValue();
      String detail = "cluster " + status + ", " + health.numberOfNodes() + " node(s)";
      return switch (status) {
        case "green", "yellow" -> ComponentHealth.up(detail);
        default -> ComponentHealth.degraded(detail);
      };
    } catch (IOException | RuntimeException e) {
      return ComponentHealth.down(
          "no answer from " + config.get(GridFusionOptions.ELASTICSEARCH_URL));
    }
  }

  private ComponentHealth job() {
    try {
      JobStatus s = job.getJobStatus().get(PROBE.toMillis(), TimeUnit.MILLISECONDS);
      String detail = "fusion job " + job.getJobID() + " " + s;
      if (s == JobStatus.RUNNING) return ComponentHealth.up(detail);
      if (s.isGloballyTerminalState()) return ComponentHealth.down(detail);
      return ComponentHealth.degraded(detail); // created, restarting, failing...
    } catch (Exception e) {
      return ComponentHealth.unknown("the job does not answer: " + e.getMessage());
    }
  }

  /** The completion time of the newest checkpoint the job retained in a local state directory. */
  private Optional<Instant> lastCheckpoint() {
    String stateDir = config.get(GridFusionOptions.JOB_STATE_DIR);
    Path dir =
        stateDir == null
            ? Path.of(config.get(GridFusionOptions.DATA_DIR), "checkpoints")
            : stateDir.startsWith("file:") ? Path.of(URI.create(stateDir)) : null;
    if (dir == null) return Optional.empty();
    Path mine = dir.resolve(job.getJobID().toString());
    if (!Files.isDirectory(mine)) return Optional.empty();
    try (Stream<Path> s = Files.walk(mine, 2)) {
      return s.filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(p -> p.toFile().lastModified())
          .max(Long::compare)
          .map(Instant::ofEpochMilli);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
    try {
      es.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
