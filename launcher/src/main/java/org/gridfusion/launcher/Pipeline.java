package org.gridfusion.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.connectors.http.CameraIngestServer;
import org.gridfusion.connectors.http.IngestSettings;
import org.gridfusion.connectors.inbox.InboxSettings;
import org.gridfusion.connectors.inbox.InboxWatcher;
import org.gridfusion.connectors.jdbc.JdbcPoller;
import org.gridfusion.connectors.jdbc.JdbcSettings;
import org.gridfusion.connectors.mqtt.BridgeSettings;
import org.gridfusion.connectors.mqtt.MqttBridge;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;
import org.gridfusion.jobs.JobRunner;
import org.gridfusion.jobs.elasticsearch.IndexTemplates;
import org.gridfusion.launcher.cluster.ClusterJob;
import org.gridfusion.launcher.health.ElasticsearchCheck;
import org.gridfusion.launcher.health.HealthMonitor;
import org.gridfusion.launcher.health.IndexingLag;
import org.gridfusion.launcher.health.JobWatch;
import org.gridfusion.launcher.health.KafkaCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GridFusion's moving parts against given endpoints: topics and index templates, the fusion job and
 * the indexing job (records and risk scores into Elasticsearch, from Kafka), and the connectors
 * (MQTT, HTTP ingest, inbox; the JDBC poller when ingest.jdbc.url is set), with a {@link JobWatch}
 * on each job and the {@link HealthMonitor} over all of them (served at the ingest's {@code
 * /health} and the console's {@code /v1/health}). For MQTT, sensors publish to GridFusion's own
 * endpoint ({@code ingest.mqtt.*}) unless {@code mqtt.url} names a broker the district runs, which
 * the bridge then subscribes to. The job runs on an in-process MiniCluster, or with {@code
 * flink.taskManagers} on {@code up}'s own Flink cluster of processes ({@link ClusterJob}). {@code
 * up}, {@code demo} and the end-to-end tests all start it the same way; closing it stops everything
 * in reverse order.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  public static final String HTTP_INGEST = "http-ingest";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Config config;
  private JobClient job;
  private JobClient indexing;
  private JobWatch indexingWatch;
  private CompletableFuture<String> fatal = new CompletableFuture<>();
  private ClusterJob cluster;
  private JobWatch watch;
  private HealthMonitor health;
  private CameraIngestServer http;
  private MqttBridge bridge;
  private MqttIngestServer mqttEndpoint;
  private String mqttUrl;
  private MqttLogin mqttLogin;
  private InboxWatcher inbox;
  private Path inboxDir;

  private Pipeline() {}

  /** Creates topics and templates, then starts the job and the connectors. */
  public static Pipeline start(Config config, String jarForRemote) throws Exception {
    Pipeline p = new Pipeline();
    try {
      config = JobRunner.withRestPort(config);
      p.config = config;
      setup(config);
      p.health = new HealthMonitor(config.get(GridFusionOptions.HEALTH_INTERVAL));
      p.started.push(p.health);
      if (config.isSet(GridFusionOptions.REFERENCE_GRID_MAP)) {
        // gf.reference always holds what this GridFusion places records by (contract additions)
        ReferencePublisher.publish(
            KafkaConnection.from(config, "to publish the reference data"),
            ReferencePublisher.files(config));
      }
      if (config.get(GridFusionOptions.FLINK_TASK_MANAGERS) > 0) {
        p.cluster =
            ClusterJob.start(
                config, jarForRemote == null ? null : Path.of(jarForRemote), System.out);
        p.started.push(p.cluster);
      } else {
        p.job = JobRunner.startFusion(config, jarForRemote);
        JobClient job = p.job;
        String stateDir = JobRunner.stateDir(config);
        p.started.push(() -> JobRunner.stop(job, stateDir, JobRunner.STOP_TIMEOUT));
        p.watch =
            new JobWatch(
                    JobRunner.restUrl(config),
                    job.getJobID(),
                    config.get(GridFusionOptions.JOB_START_ATTEMPTS))
                .start();
        p.started.push(p.watch);
        JobWatch watch = p.watch;
        job.getJobExecutionResult().whenComplete((result, error) -> watch.ended(error));
        p.startIndexing(jarForRemote);
      }
      if (config.isSet(GridFusionOptions.MQTT_URL)) {
        p.bridge = MqttBridge.start(BridgeSettings.from(config));
        p.started.push(p.bridge);
        p.mqttUrl = config.get(GridFusionOptions.MQTT_URL);
      } else {
        p.mqttEndpoint = MqttIngestServer.start(MqttIngestSettings.from(config));
        p.started.push(p.mqttEndpoint);
        p.mqttUrl = p.mqttEndpoint.url();
      }
      p.mqttLogin = MqttLogin.forSensors(config);
      p.http = CameraIngestServer.start(IngestSettings.from(config), p.health);
      p.started.push(p.http);
      InboxSettings inboxSettings = InboxSettings.from(config);
      p.inboxDir = inboxSettings.inbox();
      p.inbox = InboxWatcher.start(inboxSettings);
      p.started.push(p.inbox);
      if (config.isSet(GridFusionOptions.INGEST_JDBC_URL)) {
        p.started.push(JdbcPoller.start(JdbcSettings.from(config)));
      }
      p.monitor(config);
      p.awaitRunning(Duration.ofSeconds(120));
      return p;
    } catch (Exception e) {
      p.close();
      throw e;
    }
  }

  /**
   * The indexing job on the fusion job's MiniCluster, with a watch of its own: a job that cannot
   * start stops GridFusion like the fusion job; one that keeps restarting (Elasticsearch away) is
   * DEGRADED on {@code /health} while alerts go on.
   */
  private void startIndexing(String jarForRemote) throws Exception {
    indexing = JobRunner.startIndexing(config, jarForRemote);
    JobClient idx = indexing;
    // pushed after the fusion job's cancel: popped, so cancelled first
    started.push(
        () -> {
          try {
            idx.cancel().get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.debug("cancel", e);
          }
        });
    indexingWatch =
        new JobWatch(
                JobRunner.restUrl(config),
                idx.getJobID(),
                config.get(GridFusionOptions.JOB_START_ATTEMPTS),
                "the indexing job")
            .start();
    started.push(indexingWatch);
    JobWatch w = indexingWatch;
    idx.getJobExecutionResult().whenComplete((result, error) -> w.ended(error));
    fatal = watch.fatal().applyToEither(indexingWatch.fatal(), reason -> reason);
  }

  /** What {@code /health} reports: Kafka, MQTT (the bridge), Elasticsearch, the job, the ingest. */
  private void monitor(Config config) {
    KafkaCheck kafka = new KafkaCheck(KafkaConnection.from(config, "for the health check"));
    started.push(kafka);
    MqttBridge b = bridge;
    MqttIngestServer endpoint = mqttEndpoint;
    String mqtt = mqttUrl;
    CameraIngestServer h = http;
    health
        .component(HealthStatus.KAFKA, kafka)
        .component(
            HealthStatus.MQTT,
            () -> {
              if (endpoint != null) return ComponentHealth.up("endpoint listening at " + mqtt);
              return b.isConnected()
                  ? ComponentHealth.up("bridge connected to " + mqtt)
                  : ComponentHealth.down("bridge not connected to " + mqtt + ", reconnecting");
            })
        .component(
            HealthStatus.ELASTICSEARCH,
            new ElasticsearchCheck(ElasticsearchConnection.from(config, "for the health check")))
        .component(HTTP_INGEST, () -> ComponentHealth.up(h.url()));
    IndexingLag lag = new IndexingLag(KafkaConnection.from(config, "for the indexing lag"));
    started.push(lag);
    health.indexingLag(lag);
    if (watch != null) {
      health
          .component(HealthStatus.JOB, watch)
          .component(HealthStatus.INDEXING, indexingWatch)
          .lastCheckpoint(watch::lastCheckpoint);
    } else {
      ClusterJob c = cluster;
      health
          .component(
              HealthStatus.JOB,
              () ->
                  ComponentHealth.up(
                      "job " + c.jobId() + " on the cluster at " + c.cluster().rest().url()))
          .component(
              HealthStatus.INDEXING,
              () ->
                  ComponentHealth.up(
                      "job "
                          + c.indexingJobId()
                          + " on the cluster at "
                          + c.cluster().rest().url()));
    }
    health.start();
  }

  /** Until the job is RUNNING; fails at once with the watch's reason when it cannot start. */
  private void awaitRunning(Duration timeout) throws Exception {
    if (cluster != null) {
      cluster.awaitRunning(timeout);
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitRunning(job, "the fusion job", deadline, timeout);
    awaitRunning(indexing, "the indexing job", deadline, timeout);
  }

  private void awaitRunning(JobClient client, String label, long deadline, Duration timeout)
      throws Exception {
    while (System.nanoTime() < deadline) {
      if (fatal.isDone()) throw new IllegalStateException(fatal.get());
      JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
      if (status == JobStatus.RUNNING) return;
      if (status.isGloballyTerminalState()) {
        client.getJobExecutionResult().get();
        throw new IllegalStateException(label + " ended as " + status);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(label + " is not running after " + timeout.toSeconds() + " s");
  }

  /** What {@code gridfusion setup} does: topics in Kafka, index templates in Elasticsearch. */
  public static void setup(Config config) {
    KafkaSetup.createTopics(
        KafkaConnection.from(config, "to create topics"),
        config.get(GridFusionOptions.KAFKA_PARTITIONS),
        config.get(GridFusionOptions.KAFKA_REPLICATION).shortValue(),
        config.get(GridFusionOptions.KAFKA_DEADLETTER_RETENTION));
    IndexTemplates.install(
        ElasticsearchConnection.from(config, "to install index templates"),
        config.get(GridFusionOptions.ELASTICSEARCH_SHARDS),
        config.get(GridFusionOptions.ELASTICSEARCH_REPLICAS));
  }

  /** The configuration the pipeline runs with (the Flink REST port filled in). */
  public Config config() {
    return config;
  }

  /** The job on the MiniCluster; null in cluster mode. */
  public JobClient job() {
    return job;
  }

  /** The indexing job on the MiniCluster; null in cluster mode. */
  public JobClient indexingJob() {
    return indexing;
  }

  /** The job on {@code up}'s own Flink cluster (contract §8); null on a MiniCluster. */
  public ClusterJob cluster() {
    return cluster;
  }

  /**
   * Completes with the reason when the job cannot run: GridFusion should stop. In cluster mode the
   * cluster's own supervisor restarts what dies, and this never completes.
   */
  public CompletableFuture<String> fatal() {
    return fatal;
  }

  /** The health snapshot source of this pipeline (also served at the ingest's /health). */
  public HealthMonitor health() {
    return health;
  }

  /** The watch on the MiniCluster's job; null in cluster mode. */
  public JobWatch jobWatch() {
    return watch;
  }

  public CameraIngestServer http() {
    return http;
  }

  /** The bridge, when {@code mqtt.url} names a broker; else null. */
  public MqttBridge bridge() {
    return bridge;
  }

  /** GridFusion's own MQTT endpoint, when {@code mqtt.url} is unset; else null. */
  public MqttIngestServer mqttEndpoint() {
    return mqttEndpoint;
  }

  /** Where sensors publish: the endpoint, or the broker the bridge subscribes to. */
  public String mqttUrl() {
    return mqttUrl;
  }

  /** What a simulated sensor logs in with at {@link #mqttUrl()}. */
  public MqttLogin mqttLogin() {
    return mqttLogin;
  }

  public InboxWatcher inbox() {
    return inbox;
  }

  public Path inboxDir() {
    return inboxDir;
  }

  @Override
  public void close() {
    // Quiet first: a probe of a part being stopped would only log a false alarm.
    if (health != null) health.close();
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        LOG.warn("Error while stopping: {}", e.toString());
      }
    }
  }
}
