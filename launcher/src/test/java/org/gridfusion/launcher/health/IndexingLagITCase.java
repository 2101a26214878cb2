package org.gridfusion.launcher.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The indexing lag {@code /health} reports, against a real broker: committed records of the topic
 * minus what the indexing group committed; everything before the group commits anything; only what
 * read_committed consumers can see (an open transaction's records are not behind yet).
 */
@ExtendWith(EmbeddedStackExtension.class)
class IndexingLagITCase {

  @Test
  void countsCommittedRecordsTheGroupHasNotCommittedPast(Endpoints e) throws Exception {
    String topic = "lag-test-" + System.nanoTime();
    String group = topic + "-indexing";
    KafkaProbe.createTopic(e.kafkaBootstrap(), topic, 2);
    try (IndexingLag lag = new IndexingLag(e.kafka(), topic, group);
        Admin admin = Admin.create(e.kafka().properties())) {
      assertThat(lag.get()).isZero();

      // 3 records in partition 0 and 2 in partition 1, committed in one transaction
      Properties p = e.kafka().properties("lag-test");
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>(topic, i < 3 ? 0 : 1, null, new byte[] {(byte) i}));
        }
        producer.flush();
        // not committed yet: nothing a read_committed reader could index
        assertThat(lag.get()).isZero();
        producer.commitTransaction();
      }
      // nothing committed by the group: all of it is behind (+ one transaction marker each), once
      // the coordinator has written the commit markers
      Await.until("the committed records counted", () -> lag.get() >= 5, Duration.ofSeconds(30));
      assertThat(lag.get()).isBetween(5L, 7L);

      // the group committed past 2 records of partition 0 and all of partition 1
      long end1 =
          admin
              .listOffsets(
                  Map.of(
                      new TopicPartition(topic, 1),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get(10, TimeUnit.SECONDS)
              .get(new TopicPartition(topic, 1))
              .offset();
      admin
          .alterConsumerGroupOffsets(
              group,
              Map.of(
                  new TopicPartition(topic, 0), new OffsetAndMetadata(2),
                  new TopicPartition(topic, 1), new OffsetAndMetadata(end1)))
          .all()
          .get(10, TimeUnit.SECONDS);
      // 1 record of partition 0 (and its transaction marker) still behind
      assertThat(lag.get()).isBetween(1L, 2L);
    }
  }
}
