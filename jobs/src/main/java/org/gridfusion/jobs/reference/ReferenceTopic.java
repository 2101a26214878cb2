package org.gridfusion.jobs.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;

/**
 * The latest reference files in {@code gf.reference} (compacted; key = kind, value = the whole
 * file), followed by a consumer of this task's own: no consumer group, nothing committed, every
 * task reads the topic from its start. {@link #open} waits for a grid map; {@link #poll} takes in
 * what was pushed since, without blocking.
 */
final class ReferenceTopic implements AutoCloseable {
  /** How long a task waits at start for a grid map before it fails (and is restarted). */
  static final Duration WAIT_FOR_GRID_MAP = Duration.ofSeconds(60);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, byte[]> latest = new HashMap<>();
  private long version;

  private ReferenceTopic(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  static ReferenceTopic open(KafkaConnection kafka) {
    String bootstrap = kafka.bootstrap();
    Properties p = kafka.properties();
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.REFERENCE_MAX_BYTES);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.REFERENCE_MAX_BYTES);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gridfusion-reference-" + System.nanoTime());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
    ReferenceTopic topic = new ReferenceTopic(consumer);
    try {
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.REFERENCE, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      if (parts.isEmpty()) {
        throw new IllegalStateException(
            Topics.REFERENCE + " does not exist at " + bootstrap + ": run `gridfusion setup`");
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + WAIT_FOR_GRID_MAP.toNanos();
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (!topic.caughtUp(end) || !topic.latest.containsKey(Topics.REFERENCE_GRID_MAP)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              Topics.REFERENCE
                  + " at "
                  + bootstrap
                  + " holds no grid map: publish the reference files with `gridfusion reference push`");
        }
        topic.take(Duration.ofMillis(500));
        if (topic.caughtUp(end)) end = consumer.endOffsets(parts);
      }
      return topic;
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  private boolean caughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  private boolean take(Duration timeout) {
    boolean changed = false;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (r.key() == null) continue;
      if (r.value() == null) latest.remove(r.key()); // a tombstone: that file is withdrawn
      else latest.put(r.key(), r.value());
      changed = true;
    }
    if (changed) version++;
    return changed;
  }

  /** Takes in what arrived since the last call; true when something changed. */
  boolean poll() {
    return take(Duration.ZERO);
  }

  /** Changes with every push taken in: the stamp {@link ReferenceData} compares. */
  long version() {
    return version;
  }

  /** The snapshot of the files as they are now in the topic. */
  ReferenceData.Snapshot snapshot() throws IOException {
    byte[] grids = latest.get(Topics.REFERENCE_GRID_MAP);
    if (grids == null) throw new IllegalStateException("no grid map in " + Topics.REFERENCE);
    GridIndex index =
        GridIndex.parse(
            Json.MAPPER.readTree(grids), Topics.REFERENCE + " " + Topics.REFERENCE_GRID_MAP);
    byte[] devices = latest.get(Topics.REFERENCE_DEVICES);
    byte[] addresses = latest.get(Topics.REFERENCE_ADDRESSES);
    return ReferenceData.Snapshot.of(
        index,
        devices == null
            ? DeviceRegistry.empty()
            : DeviceRegistry.parse(
                reader(devices), Topics.REFERENCE + " " + Topics.REFERENCE_DEVICES),
        addresses == null
            ? AddressRegistry.empty()
            : AddressRegistry.parse(
                reader(addresses), Topics.REFERENCE + " " + Topics.REFERENCE_ADDRESSES));
  }

  private static BufferedReader reader(byte[] text) {
    return new BufferedReader(new StringReader(new String(text, StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
