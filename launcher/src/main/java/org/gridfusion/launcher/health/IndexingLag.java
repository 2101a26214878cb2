package org.gridfusion.launcher.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.IndexingJob;

/**
 * How far record indexing lags: records committed on gf.records that the indexing job has not
 * indexed into gf-records yet, i.e. gf.records' last stable offsets minus the offsets the indexing
 * job's group ({@link IndexingJob#GROUP}) committed, summed over partitions. The indexing job
 * commits at each completed checkpoint, and its checkpoints wait for Elasticsearch, so what is
 * behind the committed offset is indexed; the figure is an upper bound by at most one checkpoint
 * interval of records. Read from Kafka, so it is the same whether the job runs on the MiniCluster
 * or on a cluster, and it keeps counting while the indexing job restarts. Null when Kafka does not
 * answer.
 */
public final class IndexingLag implements Supplier<Long>, AutoCloseable {
  private final Admin admin;
  private final String topic;
  private final String group;

  /** The lag of group {@link IndexingJob#GROUP} on gf.records. */
  public IndexingLag(KafkaConnection kafka) {
    this(kafka, Topics.RECORDS, IndexingJob.GROUP);
  }

  /** The lag of {@code group} on {@code topic} (tests use topics of their own). */
  public IndexingLag(KafkaConnection kafka, String topic, String group) {
    this.topic = topic;
    this.group = group;
    Properties p = kafka.properties("gridfusion-indexing-lag");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    this.admin = Admin.create(p);
  }

  @Override
  public Long get() {
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(3, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicPartition tp : partitions) {
        latest.put(tp, OffsetSpec.latest());
        earliest.put(tp, OffsetSpec.earliest());
      }
      // read_committed: the last stable offset, what the indexing job can read at all
      var ends =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(3, TimeUnit.SECONDS);
      var starts = admin.listOffsets(earliest).all().get(3, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(3, TimeUnit.SECONDS);
      long lag = 0;
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        long from = c == null ? starts.get(tp).offset() : c.offset();
        lag += Math.max(0, ends.get(tp).offset() - from);
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(3));
  }
}
