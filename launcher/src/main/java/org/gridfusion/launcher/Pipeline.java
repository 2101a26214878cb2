package org.gridfusion.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GridFusion's moving parts against given endpoints: topics and index templates, the fusion job,
 * and the connectors (MQTT, HTTP ingest, inbox; the JDBC poller when ingest.jdbc.url is set). For
 * MQTT, sensors publish to GridFusion's own endpoint ({@code ingest.mqtt.*}) unless {@code
 * mqtt.url} names a broker the district runs, which the bridge then subscribes to. {@code up},
 * {@code demo} and the end-to-end tests all start it the same way; closing it stops everything in
 * reverse order.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private JobClient job;
  private ClusterJob cluster;
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
      setup(config);
      if (config.isSet(GridFusionOptions.REFERENCE_GRID_MAP)) {
        // gf.reference always holds what this GridFusion places records by (contract additions)
        ReferencePublisher.publish(
            config.get(GridFusionOptions.KAFKA_BOOTSTRAP), ReferencePublisher.files(config));
      }
      if (config.get(GridFusionOptions.FLINK_TASK_MANAGERS) > 0) {
        p.cluster =
            ClusterJob.start(
                config, jarForRemote == null ? null : Path.of(jarForRemote), System.out);
        p.started.push(p.cluster);
      } else {
        p.job = JobRunner.startFusion(config, jarForRemote);
        JobClient job = p.job;
        p.started.push(
            () -> {
              try {
                job.cancel().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                LOG.debug("cancel", e);
              }
            });
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
      p.http = CameraIngestServer.start(IngestSettings.from(config));
      p.started.push(p.http);
      InboxSettings inboxSettings = InboxSettings.from(config);
      p.inboxDir = inboxSettings.inbox();
      p.inbox = InboxWatcher.start(inboxSettings);
      p.started.push(p.inbox);
      if (config.isSet(GridFusionOptions.INGEST_JDBC_URL)) {
        p.started.push(JdbcPoller.start(JdbcSettings.from(config)));
      }
      if (p.job != null) JobRunner.awaitRunning(p.job, Duration.ofSeconds(120));
      return p;
    } catch (Exception e) {
      p.close();
      throw e;
    }
  }

  /** What {@code gridfusion setup} does: topics in Kafka, index templates in Elasticsearch. */
  public static void setup(Config config) {
    KafkaSetup.createTopics(
        config.require(GridFusionOptions.KAFKA_BOOTSTRAP, "to create topics"),
        config.get(GridFusionOptions.KAFKA_PARTITIONS),
        config.get(GridFusionOptions.KAFKA_REPLICATION).shortValue());
    IndexTemplates.install(
        config.require(GridFusionOptions.ELASTICSEARCH_URL, "to install index templates"),
        config.get(GridFusionOptions.ELASTICSEARCH_SHARDS),
        config.get(GridFusionOptions.ELASTICSEARCH_REPLICAS));
  }

  /** The job on the MiniCluster; null in cluster mode. */
  public JobClient job() {
    return job;
  }

  /** The job on {@code up}'s own Flink cluster (contract §8); null on a MiniCluster. */
  public ClusterJob cluster() {
    return cluster;
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
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        LOG.warn("Error while stopping: {}", e.toString());
      }
    }
  }
}
