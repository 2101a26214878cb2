package org.gridfusion.jobs.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.gridfusion.common.kafka.KafkaConnection;

/**
 * Kafka sources and sinks of the jobs, configured the same way everywhere, each with the client
 * security of the {@link KafkaConnection} (TLS, SASL) like every other Kafka client of GridFusion.
 */
public final class KafkaEndpoints {
  /**
   * Must not exceed the broker's transaction.max.timeout.ms (15 min by default). A job restarted
   * later than this after it was killed between a checkpoint and its commit finds that checkpoint's
   * transactions aborted by the broker; {@code kafka.properties} may raise it up to the broker's
   * maximum (README, Faults).
   */
  private static final String TRANSACTION_TIMEOUT_MS = "600000";

  private KafkaEndpoints() {}

  /** Reads committed Avro values, from the group's committed offsets or else from the beginning. */
  public static <T extends SpecificRecordBase> KafkaSource<T> avroSource(
      KafkaConnection kafka, String topic, String groupId, Class<T> type) {
    return KafkaSource.<T>builder()
        .setProperties(kafka.properties())
        .setBootstrapServers(kafka.bootstrap())
        .setTopics(topic)
        .setGroupId(groupId)
        .setClientIdPrefix(groupId + "-" + topic)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", "60000")
        .setDeserializer(new AvroRecordDeserializer<>(type))
        .build();
  }

  /**
   * Reads a compacted text topic (rule sets) from the beginning, every message: its latest value is
   * the state in force, whatever the group read before.
   */
  public static KafkaSource<String> textSource(
      KafkaConnection kafka, String topic, String groupId) {
    return KafkaSource.<String>builder()
        .setProperties(kafka.properties())
        .setBootstrapServers(kafka.bootstrap())
        .setTopics(topic)
        .setGroupId(groupId)
        .setClientIdPrefix(groupId)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
  }

  /**
   * Reads a text topic of commands from the group's committed offsets, from the beginning only when
   * the group has none (its first start). A job started without a checkpoint (a new deployment, a
   * lost state directory) so goes on after the last command it committed instead of replaying all
   * history against orders it no longer holds; with a checkpoint the offsets in the checkpoint win,
   * as for every Kafka source.
   */
  public static KafkaSource<String> commandSource(
      KafkaConnection kafka, String topic, String groupId) {
    return KafkaSource.<String>builder()
        .setProperties(kafka.properties())
        .setBootstrapServers(kafka.bootstrap())
        .setTopics(topic)
        .setGroupId(groupId)
        .setClientIdPrefix(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setValueOnlyDeserializer(new SimpleStringSchema())
        .build();
  }

  /**
   * Exactly-once Avro sink: records become visible to {@code read_committed} consumers when the
   * checkpoint that covers them completes.
   */
  public static <T extends SpecificRecordBase> KafkaSink<T> avroSink(
      KafkaConnection kafka,
      String topic,
      Class<T> type,
      SerializationSchema<T> key,
      String transactionalIdPrefix) {
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(avroSinkProperties(kafka))
        .setBootstrapServers(kafka.bootstrap())
        .setRecordSerializer(
            KafkaRecordSerializationSchema.<T>builder()
                .setTopic(topic)
                .setKeySerializationSchema(key)
                .setValueSerializationSchema(new AvroValueSerializer<>(type))
                .build())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .build();
  }

  /**
   * The producer settings of the Avro sinks. The transaction timeout, batching and compression are
   * defaults that a {@code kafka.properties} entry overrides: {@code compression.type=none} gave
   * the records job ~20 % more records per CPU-second (lz4 runs on the task thread) for three times
   * the bytes in gf.records.
   */
  static Properties avroSinkProperties(KafkaConnection kafka) {
    Properties props = kafka.properties();
    props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
    props.putIfAbsent("compression.type", "lz4");
    // Consumers see nothing before the checkpoint commits the transaction, so waiting to fill
    // larger batches costs no visible latency; the default 16 KB batches (~50 records) made the
    // producer open a compressor for every few dozen records (a tenth of the records job's CPU in
    // a profile).
    props.putIfAbsent("batch.size", "262144");
    props.putIfAbsent("linger.ms", "50");
    return props;
  }

  /**
   * How long the broker keeps a transaction of the Avro sinks open: {@link #avroSinkProperties}.
   */
  public static Duration transactionTimeout(KafkaConnection kafka) {
    return Duration.ofMillis(
        Long.parseLong(avroSinkProperties(kafka).getProperty("transaction.timeout.ms")));
  }

  /**
   * At-least-once JSON text sink (dead letters): visible at once, duplicates are harmless there.
   */
  public static KafkaSink<String> textSink(KafkaConnection kafka, String topic) {
    return KafkaSink.<String>builder()
        .setKafkaProducerConfig(kafka.properties())
        .setBootstrapServers(kafka.bootstrap())
        .setRecordSerializer(
            KafkaRecordSerializationSchema.<String>builder()
                .setTopic(topic)
                .setValueSerializationSchema(new TextSerializer())
                .build())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }
}
