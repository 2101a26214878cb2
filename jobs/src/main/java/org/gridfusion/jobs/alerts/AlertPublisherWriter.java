package org.gridfusion.jobs.alerts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alert updates at once, skipping those a replay repeats (see {@link AlertPublisher}); a
 * flush, which every checkpoint makes, returns only when the broker has acknowledged all of them.
 */
final class AlertPublisherWriter implements SinkWriter<Alert> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertPublisherWriter.class);
  private static final AvroCodec<Alert> CODEC = AvroCodec.of(Alert.class);
  private static final Duration READ_BACK_WITHIN = Duration.ofMinutes(2);

  /** How often remembered updates are checked for their age. */
  private static final Duration FORGET_EVERY = Duration.ofSeconds(30);

  private final String topic;
  private final Duration lookback;
  private final PublishedAlerts published;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Counter suppressed;
  private volatile Exception failure;
  private long nextForget;

  private AlertPublisherWriter(
      String topic,
      Duration lookback,
      PublishedAlerts published,
      KafkaProducer<byte[], byte[]> producer,
      Counter suppressed) {
    this.topic = topic;
    this.lookback = lookback;
    this.published = published;
    this.producer = producer;
    this.suppressed = suppressed;
    this.nextForget = System.currentTimeMillis() + FORGET_EVERY.toMillis();
  }

  static AlertPublisherWriter start(
      KafkaConnection kafka, String topic, Duration lookback, MetricGroup metrics, String task)
      throws IOException {
    String clientId = "gf-alerts-publisher-" + task.replaceAll("[^A-Za-z0-9._-]", "_");
    PublishedAlerts published =
        PublishedAlerts.readBack(
            kafka, topic, Instant.now().minus(lookback), READ_BACK_WITHIN, clientId + "-readback");
    LOG.info(
        "{}: {} alert updates published on {} in the last {} will not be sent again",
        task,
        published.size(),
        topic,
        lookback);
    Properties props = kafka.properties(clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // a 5 ms batch: an alert is on the topic almost at once
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new AlertPublisherWriter(
        topic,
        lookback,
        published,
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
        metrics.counter("alertsReplaySuppressed"));
  }

  @Override
  public void write(Alert alert, Context context) throws IOException {
    rethrowFailure();
    forgetOld();
    if (published.claim(alert)) {
      if (suppressed.getCount() == 0) {
        // once per writer: a replay is happening, the rest go to the metric
        LOG.info(
            "Replayed alert updates already on {} are left out, the first: {}",
            topic,
            PublishedAlerts.identity(alert));
      }
      suppressed.inc();
      return;
    }
    producer.send(
        new ProducerRecord<>(
            topic, alert.getGridId().getBytes(StandardCharsets.UTF_8), CODEC.encode(alert)),
        (metadata, e) -> {
          if (e != null && failure == null) failure = e;
        });
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    producer.flush();
    rethrowFailure();
  }

  @Override
  public void close() {
    // waits for what is in flight, so a writer started after this one reads it back
    producer.close(Duration.ofSeconds(30));
    if (suppressed.getCount() > 0) {
      LOG.info(
          "{} replayed alert updates were on {} already, not sent again",
          suppressed.getCount(),
          topic);
    }
  }

  private void forgetOld() {
    long now = System.currentTimeMillis();
    if (now < nextForget) return;
    nextForget = now + FORGET_EVERY.toMillis();
    published.forgetBefore(Instant.ofEpochMilli(now).minus(lookback));
  }

  private void rethrowFailure() throws IOException {
    Exception e = failure;
    if (e != null) throw new IOException("could not publish an alert update on " + topic, e);
  }
}
