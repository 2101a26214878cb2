package org.gridfusion.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;

/**
 * Test helper over Kafka: creates topics and reads a topic from the beginning, as a downstream
 * consumer with {@code read_committed} would see it, until what was read satisfies a condition.
 *
 * <p>Reads use partition assignment, not a consumer group, so nothing is committed and repeated
 * reads in one test always start from offset 0.
 */
public final class KafkaProbe {
  private KafkaProbe() {}

  /** Creates every GridFusion topic ({@code Topics.all()}) that is missing, replication 1. */
  public static List<String> createTopics(String bootstrap, int partitions) {
    return createTopics(KafkaConnection.plaintext(bootstrap), partitions);
  }

  /** As {@link #createTopics(String, int)} on a broker that may need a login. */
  public static List<String> createTopics(KafkaConnection kafka, int partitions) {
    return KafkaSetup.createTopics(
        kafka, partitions, (short) 1, KafkaSetup.DEFAULT_DEADLETTER_RETENTION);
  }

  /** Creates one topic (replication 1); an existing topic is left as it is. */
  public static void createTopic(String bootstrap, String topic, int partitions) {
    try (Admin admin = Admin.create(KafkaConnection.plaintext(bootstrap).properties())) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
  }

  /**
   * Reads {@code topic} from the beginning of every partition with {@code read_committed} until
   * {@code done} holds for everything read so far.
   *
   * @return all records read (in arrival order; ordered per partition)
   * @throws AssertionError on timeout, describing what was read
   */
  public static List<ConsumerRecord<byte[], byte[]>> readUntil(
      String bootstrap,
      String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    return readUntil(KafkaConnection.plaintext(bootstrap), topic, done, timeout);
  }

  /**
   * As {@link #readUntil(String, String, Predicate, Duration)} on a broker that may need a login.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readUntil(
      KafkaConnection kafka,
      String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    String bootstrap = kafka.bootstrap();
    List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty()) {
        // A topic created a moment ago may not be in the metadata yet.
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        partitions =
            infos == null
                ? List.of()
                : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        if (partitions.isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "topic " + topic + " at " + bootstrap + " has no partitions after " + timeout);
          }
          sleep(100);
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!done.test(seen)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "after "
                  + timeout
                  + ", "
                  + seen.size()
                  + " record(s) read from "
                  + topic
                  + " do not satisfy the condition; "
                  + describe(seen, 20));
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(r);
        }
      }
    }
    return seen;
  }

  /**
   * Reads everything {@code topic} holds now: from the beginning to the end offsets taken at the
   * call (with {@code read_committed}, the last stable offsets), so what was acknowledged before is
   * all there.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrap, String topic, Duration timeout) {
    return readAll(KafkaConnection.plaintext(bootstrap), topic, timeout);
  }

  /** As {@link #readAll(String, String, Duration)} on a broker that may need a login. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      KafkaConnection kafka, String topic, Duration timeout) {
    String bootstrap = kafka.bootstrap();
    List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty())
        throw new AssertionError("topic " + topic + " at " + bootstrap + " has no partitions");
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "after " + timeout + ", " + topic + " not read to its end offsets " + end);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) seen.add(r);
      }
    }
    return seen;
  }

  /** Reads until at least {@code count} records are there. */
  public static List<ConsumerRecord<byte[], byte[]>> readAtLeast(
      String bootstrap, String topic, int count, Duration timeout) {
    return readUntil(bootstrap, topic, records -> records.size() >= count, timeout);
  }

  /**
   * Reads until, for each of {@code markers}, some record's value contains it (a test's own ids in
   * {@code gf.deadletter}, say).
   *
   * @return the values read, as text, in the order {@link #readUntil} gives
   */
  public static List<String> readUntilContaining(
      String bootstrap, String topic, Collection<String> markers, Duration timeout) {
    return readUntil(
            bootstrap,
            topic,
            rs ->
                markers.stream()
                    .allMatch(m -> rs.stream().map(KafkaProbe::text).anyMatch(t -> t.contains(m))),
            timeout)
        .stream()
        .map(KafkaProbe::text)
        .toList();
  }

  /** Sends text values (JSON commands, rule sets) to a topic and waits until Kafka has them. */
  public static void send(String bootstrap, String topic, String key, String... values) {
    send(KafkaConnection.plaintext(bootstrap), topic, key, values);
  }

  /** As {@link #send(String, String, String, String...)} on a broker that may need a login. */
  public static void send(KafkaConnection kafka, String topic, String key, String... values) {
    Properties p = kafka.properties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<String, String>(p, new StringSerializer(), new StringSerializer())) {
      for (String v : values) producer.send(new ProducerRecord<>(topic, key, v)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic + ": " + e.getMessage(), e);
    }
  }

  /** The value as UTF-8 text (JSON topics), or null for a tombstone. */
  public static String text(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
  }

  /** The last {@code max} records, keys and values as text (truncated), for failure messages. */
  public static String describe(List<ConsumerRecord<byte[], byte[]>> records, int max) {
    StringBuilder sb = new StringBuilder("last records:");
    for (ConsumerRecord<byte[], byte[]> r :
        records.subList(Math.max(0, records.size() - max), records.size())) {
      sb.append("\n  ")
          .append(r.partition())
          .append('@')
          .append(r.offset())
          .append(' ')
          .append(shorten(r.key()))
          .append(" = ")
          .append(shorten(r.value()));
    }
    return records.isEmpty() ? "no records" : sb.toString();
  }

  private static String shorten(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    String s = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
    return s.length() > 300 ? s.substring(0, 300) + "…(" + bytes.length + " bytes)" : s;
  }

  private static Properties consumerProps(KafkaConnection kafka) {
    Properties p = kafka.properties();
    p.putAll(
        Map.of(
            ConsumerConfig.CLIENT_ID_CONFIG,
            "gridfusion-testkit-probe-" + UUID.randomUUID(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName()));
    return p;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
