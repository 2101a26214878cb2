package org.gridfusion.connectors.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Rejection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges sensor readings from MQTT into Kafka without loss (contract §2.2).
 *
 * <p>The session is persistent (fixed client id, clean session off) and messages are acknowledged
 * manually: the PUBACK for a QoS 1 message goes to the broker only after Kafka acknowledged the
 * reading (or its dead letter). A bridge killed at any moment leaves its unacknowledged messages
 * with the broker, which redelivers them when the bridge reconnects; Kafka may then hold a reading
 * twice, and the records job removes the duplicate by its record id.
 *
 * <p>A Kafka send that fails is retried with back-off and the message stays unacknowledged
 * meanwhile. How many readings wait on Kafka at once is the <em>broker's</em> per-client in-flight
 * window (Mosquitto {@code max_inflight_messages}, default 20; Moquette 0.17 a fixed 10): Paho's
 * {@code maxInflight} only limits what a client publishes, and this bridge publishes nothing to
 * MQTT.
 *
 * <p>Lossless only as far as the broker keeps what it acknowledged to the sensors: a broker that
 * drops queued messages (Mosquitto's default {@code max_queued_messages 1000}) loses readings while
 * the bridge is down or behind, whatever the bridge does. The README gives the broker settings.
 */
public final class MqttBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);
  private static final long RETRY_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final BridgeSettings settings;
  private final KafkaPublisher kafka;
  private final InputParsers parsers;
  private final AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
  private final Metrics metrics = new Metrics("bridge");
  private final LongAdder received =
      metrics.counter("messages_received_total", "MQTT messages received");
  private final LongAdder forwarded =
      metrics.counter("readings_forwarded_total", "readings acknowledged by Kafka");
  private final LongAdder retried = metrics.counter("kafka_retries_total", "Kafka sends retried");

  /**
   * While Kafka is down every held reading fails each round: one warning per interval, not per
   * reading.
   */
  private final AtomicLong lastRetryWarning =
      new AtomicLong(System.nanoTime() - RETRY_WARNING_INTERVAL_NANOS);

  private final ScheduledExecutorService retries;
  private final MqttAsyncClient client;
  private volatile boolean closing;

  private MqttBridge(BridgeSettings settings) throws MqttException {
    this.settings = settings;
    // The broker lets the bridge hold only its in-flight window of unacknowledged readings
    // (Moquette a
    // fixed 10), so a producer waiting to fill batches would idle the whole window: send at once.
    this.kafka =
        new KafkaPublisher(
            settings.kafka(), "gridfusion-bridge-" + settings.clientId(), settings.privacy(), 0);
    this.parsers = new InputParsers(settings.window());
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bridge-retry");
              t.setDaemon(true);
              return t;
            });
    this.client =
        new MqttAsyncClient(settings.mqttUrl(), settings.clientId(), new MemoryPersistence());
  }

  /** Connects and subscribes; returns once the subscription is in place. */
  public static MqttBridge start(BridgeSettings settings) throws MqttException {
    MqttBridge bridge = new MqttBridge(settings);
    bridge.connect();
    return bridge;
  }

  private void connect() throws MqttException {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(30_000);
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout(10);
    o.setMaxInflight(settings.maxInflight());
    if (settings.username() != null) o.setUserName(settings.username());
    if (settings.password() != null) o.setPassword(settings.password().toCharArray());
    client.setManualAcks(true);
    client.setCallback(new Callback());
    client.connect(o).waitForCompletion(30_000);
    // Subscribing also on the first connect: connectComplete may run before waitForCompletion
    // returns.
    subscribe();
    LOG.info(
        "MQTT bridge {} connected to {}, subscribed to {} (QoS 1, persistent session), publishing to {}",
        settings.clientId(),
        settings.mqttUrl(),
        settings.subscription(),
        settings.kafka());
  }

  private void subscribe() {
    try {
      client.subscribe(settings.subscription(), 1).waitForCompletion(30_000);
    } catch (MqttException e) {
      LOG.error("Subscribing to {} failed: {}", settings.subscription(), e.toString());
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        LOG.info("MQTT bridge reconnected to {}", serverUri);
        retries.execute(MqttBridge.this::subscribe);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      if (!closing)
        LOG.warn(
            "MQTT connection lost ({}); reconnecting with back-off",
            cause == null ? "?" : cause.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.increment();
      handle(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  private void handle(String topic, MqttMessage message) {
    long receivedAt = System.currentTimeMillis();
    Parsed<String> text = InputParsers.utf8(message.getPayload());
    Parsed<SensorReading> reading =
        text instanceof Parsed.Ok<String> ok
            ? parsers.sensorReading(topic, ok.value(), receivedAt)
            : new Parsed.Rejected<>(((Parsed.Rejected<String>) text).rejection());
    if (reading instanceof Parsed.Ok<SensorReading> r) {
      SensorReading value = r.value();
      deliver(
          message,
          () -> kafka.send(Topics.RAW_SENSOR, value.getDeviceId(), codec.encode(value)),
          forwarded);
    } else {
      Rejection why = ((Parsed.Rejected<SensorReading>) reading).rejection();
      String payload =
          text instanceof Parsed.Ok<String> ok
              ? ok.value()
              : new String(message.getPayload(), StandardCharsets.ISO_8859_1);
      LongAdder counter =
          metrics.counter(
              "dead_letters_total",
              "reason",
              why.reason().name(),
              "messages dead-lettered, by reason");
      deliver(
          message,
          () ->
              kafka.deadLetter(
                  why.toDeadLetter(InputSource.SENSOR, payload, receivedAt, "mqtt:" + topic)),
          counter);
    }
  }

  private void deliver(
      MqttMessage message, Supplier<CompletableFuture<?>> send, LongAdder onSuccess) {
    send.get()
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                onSuccess.increment();
                ack(message);
              } else if (!closing) {
                retried.increment();
                warnRetrying(error);
                retries.schedule(() -> deliver(message, send, onSuccess), 1, TimeUnit.SECONDS);
              }
            });
  }

  private void warnRetrying(Throwable error) {
    long now = System.nanoTime();
    long last = lastRetryWarning.get();
    if (now - last >= RETRY_WARNING_INTERVAL_NANOS && lastRetryWarning.compareAndSet(last, now)) {
      LOG.warn(
          "Kafka did not take a reading ({}); each failed send is retried after 1 s and its MQTT message "
              + "stays unacknowledged ({} retries so far)",
          error.toString(),
          retried.sum());
    }
  }

  private void ack(MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      // The connection dropped before the ack: the broker redelivers, and downstream dedup absorbs
      // it.
      LOG.debug("ack of message {} not sent: {}", message.getId(), e.toString());
    }
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Whether the bridge is connected to its broker now (it reconnects by itself otherwise). */
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (client.isConnected()) client.disconnect(5_000).waitForCompletion(6_000);
    } catch (MqttException e) {
      LOG.debug("disconnect", e);
    }
    try {
      client.close();
    } catch (MqttException e) {
      LOG.debug("close", e);
    }
    retries.shutdownNow();
    kafka.close();
    LOG.info("MQTT bridge stopped: {} received, {} forwarded", received.sum(), forwarded.sum());
  }
}
