package org.gridfusion.jobs.alerts;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert updates recently published on gf.alerts, by identity (alertId, count, status: what
 * tells one update of an incident from another, and what consumers deduplicate by), each with the
 * time the broker took it. Read back from the topic when a writer starts; an entry goes when a
 * replayed update claims it, or when it is older than the lookback, so memory holds at most the
 * updates of one lookback.
 */
final class PublishedAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedAlerts.class);
  private static final AvroCodec<Alert> CODEC = AvroCodec.of(Alert.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Long> publishedAt = new HashMap<>();

  static String identity(Alert a) {
    return a.getAlertId() + "#" + a.getCount() + "#" + a.getStatus();
  }

  /**
   * Reads every partition of the topic from {@code since} to its end as of now. read_committed: it
   * sees this sink's non-transactional writes all the same, and never an update a transactional
   * (exactly-once) run of the job wrote and aborted, which read_committed consumers never saw and
   * so must not suppress a replay.
   */
  static PublishedAlerts readBack(
      KafkaConnection kafka, String topic, Instant since, Duration within, String clientId)
      throws IOException {
    PublishedAlerts published = new PublishedAlerts();
    Properties props = kafka.properties(clientId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, within)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> times = new HashMap<>();
      for (TopicPartition tp : partitions) times.put(tp, since.toEpochMilli());
      Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, within);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, within));
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp start = from.get(tp);
        if (start == null || start.offset() >= end.get(tp)) {
          end.remove(tp); // nothing published there since
        } else {
          consumer.seek(tp, start.offset());
        }
      }
      consumer.pause(partitions.stream().filter(tp -> !end.containsKey(tp)).toList());
      long deadline = System.nanoTime() + within.toNanos();
      while (!end.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "could not read back " + topic + " within " + within + ", left: " + end.keySet());
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          Long last = end.get(new TopicPartition(r.topic(), r.partition()));
          if (last == null || r.offset() >= last) continue;
          published.remember(r);
        }
        for (Iterator<Map.Entry<TopicPartition, Long>> it = end.entrySet().iterator();
            it.hasNext(); ) {
          Map.Entry<TopicPartition, Long> e = it.next();
          // position, not the last offset seen: transaction markers take offsets too
          if (consumer.position(e.getKey(), within) >= e.getValue()) {
            consumer.pause(List.of(e.getKey()));
            it.remove();
          }
        }
      }
    }
    return published;
  }

  void remember(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) return;
    try {
      publishedAt.put(identity(CODEC.decode(r.value())), r.timestamp());
    } catch (IOException | RuntimeException e) {
      // not ours to judge here: a foreign value cannot be an update this job would repeat
      LOG.warn("Ignoring undecodable value at {}-{}@{}", r.topic(), r.partition(), r.offset());
    }
  }

  /** Whether this update is already on the topic; it is forgotten then (a replay repeats once). */
  boolean claim(Alert update) {
    return publishedAt.remove(identity(update)) != null;
  }

  /** Forgets what was published before the instant: a replay never goes back that far. */
  void forgetBefore(Instant instant) {
    long t = instant.toEpochMilli();
    publishedAt.values().removeIf(at -> at < t);
  }

  int size() {
    return publishedAt.size();
  }
}
