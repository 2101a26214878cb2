package org.gridfusion.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates GridFusion's topics (idempotent) and holds the producer settings every connector uses.
 */
public final class KafkaSetup {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);

  /** Retention of gf.deadletter when nobody configured one (kafka.deadletterRetention). */
  public static final Duration DEFAULT_DEADLETTER_RETENTION = Duration.ofDays(7);

  private KafkaSetup() {}

  /**
   * Creates the missing topics of {@link Topics#all()}; existing topics are left as they are,
   * except that gf.deadletter always gets {@code deadLetterRetention} as its {@code retention.ms}
   * (dead letters may hold an unparseable payload as received: how long is the operator's call).
   */
  public static List<String> createTopics(
      KafkaConnection kafka, int partitions, short replication, Duration deadLetterRetention) {
    Properties props = kafka.properties("gridfusion-setup");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    String retention = Long.toString(deadLetterRetention.toMillis());
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : Topics.all()) {
        if (!existing.contains(topic)) {
          NewTopic t = newTopic(topic, partitions, replication);
          if (topic.equals(Topics.DEADLETTER)) {
            t.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retention));
          }
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
      if (existing.contains(Topics.DEADLETTER)) {
        ConfigResource dl = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEADLETTER);
        Collection<AlterConfigOp> set =
            List.of(
                new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retention),
                    AlterConfigOp.OpType.SET));
        admin.incrementalAlterConfigs(Map.of(dl, set)).all().get(30, TimeUnit.SECONDS);
      }
      List<String> created = missing.stream().map(NewTopic::name).toList();
      LOG.info(
          "Kafka topics at {}: created {}, {} already present; {} keeps dead letters {}",
          kafka,
          created,
          existing.size(),
          Topics.DEADLETTER,
          deadLetterRetention);
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topics at " + kafka + ": " + e.getCause().getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics at " + kafka + ": " + e, e);
    }
  }

  /**
   * The topic as GridFusion wants it: rule sets and reference data compacted on one partition (the
   * latest value per key is the state in force), reference files up to {@link
   * Topics#REFERENCE_MAX_BYTES}.
   */
  static NewTopic newTopic(String topic, int partitions, short replication) {
    if (topic.equals(Topics.RULES)) {
      return new NewTopic(topic, 1, replication)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    if (topic.equals(Topics.REFERENCE)) {
      return new NewTopic(topic, 1, replication)
          .configs(
              Map.of(
                  TopicConfig.CLEANUP_POLICY_CONFIG,
                  TopicConfig.CLEANUP_POLICY_COMPACT,
                  TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                  String.valueOf(Topics.REFERENCE_MAX_BYTES)));
    }
    return new NewTopic(topic, partitions, replication);
  }

  /**
   * Producer settings for connectors: idempotent, {@code acks=all}, retries on, so an acknowledged
   * send is durable and a retried one is not duplicated by the producer.
   */
  public static Properties reliableProducer(KafkaConnection kafka, String clientId) {
    Properties p = kafka.properties(clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }
}
