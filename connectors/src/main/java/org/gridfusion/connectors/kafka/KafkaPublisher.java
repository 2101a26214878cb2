package org.gridfusion.connectors.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * The connectors' one way into Kafka: an idempotent {@code acks=all} producer whose sends complete
 * a future only once the broker acknowledged them. Connectors answer their own clients (HTTP 202,
 * MQTT PUBACK, inbox position) only after that future completes, which is what makes them lossless.
 *
 * <p>Every dead letter passes through the {@link PayloadPseudonymiser} here, so no connector can
 * write a personal identifier to {@code gf.deadletter} in clear (contract §4).
 */
public final class KafkaPublisher implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final PayloadPseudonymiser privacy;

  public KafkaPublisher(KafkaConnection kafka, String clientId, PayloadPseudonymiser privacy) {
    this.producer = new KafkaProducer<>(KafkaSetup.reliableProducer(kafka, clientId));
    this.privacy = Objects.requireNonNull(privacy, "privacy");
  }

  /** With its own {@code linger.ms}: 0 for a client that can only have a few sends outstanding. */
  public KafkaPublisher(
      KafkaConnection kafka, String clientId, PayloadPseudonymiser privacy, int lingerMs) {
    Properties p = KafkaSetup.reliableProducer(kafka, clientId);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    this.producer = new KafkaProducer<>(p);
    this.privacy = Objects.requireNonNull(privacy, "privacy");
  }

  public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
    CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(
              topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value),
          (metadata, error) -> {
            if (error != null) f.completeExceptionally(error);
            else f.complete(metadata);
          });
    } catch (RuntimeException e) {
      // send() itself throws when metadata is unavailable for max.block.ms (broker down)
      f.completeExceptionally(e);
    }
    return f;
  }

  public CompletableFuture<RecordMetadata> deadLetter(DeadLetter letter) {
    DeadLetter safe = privacy.apply(letter);
    return send(Topics.DEADLETTER, safe.key(), safe.toJson().getBytes(StandardCharsets.UTF_8));
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
