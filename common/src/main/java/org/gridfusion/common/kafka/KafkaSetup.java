package org.gridfusion.common.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates GridFusion's topics (idempotent) and holds the producer settings every connector uses.
 */
public final class KafkaSetup {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);

  private KafkaSetup() {}

  /** Creates the missing topics of {@link Topics#all()}; existing topics are left as they are. */
  public static List<String> createTopics(String bootstrap, int partitions, short replication) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : Topics.all()) {
        if (!existing.contains(topic)) {
          missing.add(newTopic(topic, partitions, replication));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
      List<String> created = missing.stream().map(NewTopic::name).toList();
      LOG.info(
          "Kafka topics at {}: created {}, {} already present",
          bootstrap,
          created,
          existing.size());
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topics at " + bootstrap + ": " + e.getCause().getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics at " + bootstrap + ": " + e, e);
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
  public static Properties reliableProducer(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
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
