package org.gridfusion.connectors.mqtt;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges sensor readings from an MQTT broker a district runs (Mosquitto, EMQX) into Kafka without
 * loss (contract §2.2). Where no broker is run, sensors publish to {@link MqttIngestServer}
 * instead.
 *
 * <p>The session is persistent (fixed client id, clean session off) and messages are acknowledged
 * manually: the PUBACK for a QoS 1 message goes to the broker only after Kafka acknowledged the
 * reading (or its dead letter). A bridge killed at any moment leaves its unacknowledged messages
 * with the broker, which redelivers them when the bridge reconnects; Kafka may then hold a reading
 * twice, and the records job removes the duplicate by its record id.
 *
 * <p>Connected means subscribed: a connection whose SUBSCRIBE the broker refuses (SUBACK 0x80, an
 * ACL, a bad filter) or does not answer is dropped and tried again, with back-off doubling up to
 * {@code mqtt.maxReconnectDelay}, as a lost connection is. Only the first attempt, in {@link
 * #start}, fails outright, so a wrong URL, password or certificate stops start-up with its reason.
 * Credentials ({@code mqtt.username}/{@code mqtt.password}) and TLS ({@code ssl://} URLs, trusting
 * {@code mqtt.tls.caFile} or the JVM's trust store, host name verified) come from configuration.
 *
 * <p>A Kafka send that fails is retried with back-off and the message stays unacknowledged
 * meanwhile. How many readings wait on Kafka at once is the <em>broker's</em> per-client in-flight
 * window (Mosquitto {@code max_inflight_messages}, default 20): Paho's {@code maxInflight} only
 * limits what a client publishes, and this bridge publishes nothing to MQTT.
 *
 * <p>Lossless only as far as the broker keeps what it acknowledged to the sensors: a broker that
 * drops queued messages (Mosquitto's default {@code max_queued_messages 1000}) loses readings while
 * the bridge is down or behind, whatever the bridge does. The README gives the broker settings.
 */
public final class MqttBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);
  private static final long RETRY_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long FIRST_RECONNECT_DELAY_MS = 1_000;
  private static final int SUBACK_FAILURE = 0x80;

  private final BridgeSettings settings;
  private final KafkaPublisher kafka;
  private final SensorReadingIngest ingest;
  private final Metrics metrics = new Metrics("bridge");
  private final LongAdder received =
      metrics.counter("messages_received_total", "MQTT messages received");
  private final LongAdder forwarded =
      metrics.counter("readings_forwarded_total", "readings acknowledged by Kafka");
  private final LongAdder retried = metrics.counter("kafka_retries_total", "Kafka sends retried");
  private final LongAdder reconnects =
      metrics.counter(
          "connection_failures_total",
          "connections lost, refused or left unsubscribed (each is retried)");

  /**
   * While Kafka is down every held reading fails each round: one warning per interval, not per
   * reading.
   */
  private final AtomicLong lastRetryWarning =
      new AtomicLong(System.nanoTime() - RETRY_WARNING_INTERVAL_NANOS);

  /** Kafka retries and reconnects; one thread, so two reconnects never race. */
  private final ScheduledExecutorService scheduler;

  private final MqttAsyncClient client;
  private final MqttConnectOptions options;

  /** Touched only on the scheduler thread. */
  private long reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;

  private volatile boolean closing;

  private MqttBridge(BridgeSettings settings) throws MqttException {
    this.settings = settings;
    // The broker lets the bridge hold only its in-flight window of unacknowledged readings, so a
    // producer waiting to fill batches would idle the whole window: send at once.
    this.kafka =
        new KafkaPublisher(
            settings.kafka(), "gridfusion-bridge-" + settings.clientId(), settings.privacy(), 0);
    this.ingest =
        new SensorReadingIngest(settings.window(), settings.maxPayloadBytes(), settings.privacy());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bridge-retry");
              t.setDaemon(true);
              return t;
            });
    this.client =
        new MqttAsyncClient(settings.mqttUrl(), settings.clientId(), new MemoryPersistence());
    this.options = connectOptions(settings);
    client.setManualAcks(true);
    client.setCallback(new Callback());
  }

  private static MqttConnectOptions connectOptions(BridgeSettings settings) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    // Reconnecting is this class's own loop: Paho's would reconnect without subscribing.
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout(10);
    o.setMaxInflight(settings.maxInflight());
    if (settings.username() != null) o.setUserName(settings.username());
    if (settings.password() != null) o.setPassword(settings.password().toCharArray());
    if (settings.caFile() != null) {
      o.setSocketFactory(MqttTls.clientTrusting(settings.caFile()).getSocketFactory());
    }
    o.setHttpsHostnameVerificationEnabled(true);
    return o;
  }

  /**
   * Connects and subscribes; returns once the subscription is in place, throws when the broker
   * cannot be reached, refuses the credentials or refuses the subscription.
   */
  public static MqttBridge start(BridgeSettings settings) throws MqttException {
    MqttBridge bridge = new MqttBridge(settings);
    try {
      bridge.connectAndSubscribe();
    } catch (MqttException | RuntimeException e) {
      bridge.close();
      throw e;
    }
    LOG.info(
        "MQTT bridge {} connected to {}, subscribed to {} (QoS 1, persistent session), publishing to {}",
        settings.clientId(),
        settings.mqttUrl(),
        settings.subscription(),
        settings.kafka());
    return bridge;
  }

  /** Connected means subscribed: a refused SUBSCRIBE throws, and the connection is dropped. */
  private void connectAndSubscribe() throws MqttException {
    client.connect(options).waitForCompletion(30_000);
    IMqttToken sub;
    try {
      sub = client.subscribe(settings.subscription(), 1);
      sub.waitForCompletion(30_000);
    } catch (MqttException e) {
      dropConnection();
      throw e;
    }
    int[] granted = sub.getGrantedQos();
    if (granted == null || granted.length == 0 || granted[0] == SUBACK_FAILURE) {
      dropConnection();
      throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
    }
  }

  private void dropConnection() {
    try {
      client.disconnectForcibly(0, 1_000, false);
    } catch (MqttException e) {
      LOG.debug("dropping the connection", e);
    }
  }

  /** One attempt on the scheduler thread; the next one after a longer pause if it fails. */
  private void reconnect() {
    if (closing) return;
    try {
      if (!client.isConnected()) connectAndSubscribe();
      reconnectDelayMs = FIRST_RECONNECT_DELAY_MS;
      LOG.info(
          "MQTT bridge {} reconnected to {} and subscribed to {}",
          settings.clientId(),
          settings.mqttUrl(),
          settings.subscription());
    } catch (MqttException | RuntimeException e) {
      if (closing) return;
      reconnects.increment();
      LOG.warn(
          "MQTT bridge {} could not connect and subscribe to {} at {} ({}); next attempt in {} ms",
          settings.clientId(),
          settings.subscription(),
          settings.mqttUrl(),
          e.toString(),
          reconnectDelayMs);
      scheduler.schedule(this::reconnect, reconnectDelayMs, TimeUnit.MILLISECONDS);
      reconnectDelayMs = Math.min(reconnectDelayMs * 2, settings.maxReconnectDelay().toMillis());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      if (closing) return;
      reconnects.increment();
      LOG.warn(
          "MQTT connection lost ({}); reconnecting with back-off",
          cause == null ? "?" : cause.toString());
      scheduler.schedule(
          MqttBridge.this::reconnect, FIRST_RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.increment();
      SensorReadingIngest.Delivery d =
          ingest.accept(topic, message.getPayload(), System.currentTimeMillis());
      LongAdder counter =
          d.isReading()
              ? forwarded
              : metrics.counter(
                  "dead_letters_total",
                  "reason",
                  d.rejected().name(),
                  "messages dead-lettered, by reason");
      deliver(message, d, counter);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  private void deliver(MqttMessage message, SensorReadingIngest.Delivery d, LongAdder onSuccess) {
    kafka
        .send(d.topic(), d.key(), d.value())
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                onSuccess.increment();
                ack(message);
              } else if (!closing) {
                retried.increment();
                warnRetrying(error);
                scheduler.schedule(() -> deliver(message, d, onSuccess), 1, TimeUnit.SECONDS);
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
    scheduler.shutdownNow();
    try {
      if (client.isConnected()) client.disconnect(5_000).waitForCompletion(6_000);
    } catch (MqttException e) {
      LOG.debug("disconnect", e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("close", e);
    }
    kafka.close();
    LOG.info("MQTT bridge stopped: {} received, {} forwarded", received.sum(), forwarded.sum());
  }
}
