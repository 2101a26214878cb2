package org.gridfusion.console;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;

/**
 * Writes work-order commands to {@code gf.workorder-commands} (contract §2.4), keyed by order so
 * the commands of one order stay in order, and returns only once Kafka acknowledged them from all
 * in-sync replicas: the API's {@code 202} means the command is on the topic.
 */
final class CommandSender implements AutoCloseable {
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaProducer<String, String> producer;

  CommandSender(KafkaConnection kafka) {
    Properties p = kafka.properties("gridfusion-console-commands");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ACK_TIMEOUT.toMillis()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ACK_TIMEOUT.toMillis() / 2));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ACK_TIMEOUT.toMillis() / 2));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  /** Sends and waits for the acknowledgement; a failure is an {@link ApiError} (503). */
  void send(String orderId, String json) {
    try {
      producer
          .send(new ProducerRecord<>(Topics.WORKORDER_COMMANDS, orderId, json))
          .get(ACK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.unavailable("interrupted before Kafka acknowledged the command");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw ApiError.unavailable("Kafka did not acknowledge the command: " + cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
