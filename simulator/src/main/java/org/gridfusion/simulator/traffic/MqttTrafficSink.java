package org.gridfusion.simulator.traffic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes sensor readings over MQTT (contract §2.2) with QoS 1, to GridFusion's MQTT endpoint or
 * a district's broker; a reading counts as acknowledged when the PUBACK arrives (from the endpoint:
 * once Kafka has it).
 *
 * <p>Paho refuses a publish once {@code maxInflight} messages await their PUBACK; a semaphore of
 * the same size makes the sender wait instead, which is the back-pressure a fast simulation needs.
 * A clean session is used: a simulator that reconnects has nothing worth resuming, and a lost
 * connection counts the in-flight readings as failed.
 */
public final class MqttTrafficSink implements TrafficSink {
  private static final Logger LOG = LoggerFactory.getLogger(MqttTrafficSink.class);
  public static final int DEFAULT_MAX_INFLIGHT = 1000;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private final MqttAsyncClient client;
  private final int maxInflight;
  private final InFlight inflight;
  private final SinkCounters counters = new SinkCounters();
  private volatile boolean closed;

  private MqttTrafficSink(MqttAsyncClient client, int maxInflight) {
    this.client = client;
    this.maxInflight = maxInflight;
    this.inflight = new InFlight(maxInflight);
  }

  /**
   * Connects to {@code url} ({@code tcp://host:port}).
   *
   * @throws IllegalStateException when the broker cannot be reached within 10 s
   */
  public static MqttTrafficSink connect(String url, String clientId) {
    return connect(url, clientId, DEFAULT_MAX_INFLIGHT);
  }

  public static MqttTrafficSink connect(String url, String clientId, int maxInflight) {
    return connect(url, clientId, maxInflight, null, null);
  }

  /**
   * Connects with a user name and password (both null: anonymously), as GridFusion's MQTT endpoint
   * requires unless it allows anonymous clients.
   */
  public static MqttTrafficSink connect(
      String url, String clientId, int maxInflight, String username, String password) {
    if (maxInflight < 1)
      throw new IllegalArgumentException("maxInflight must be >= 1, got " + maxInflight);
    try {
      MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setAutomaticReconnect(true);
      options.setMaxInflight(maxInflight);
      options.setConnectionTimeout(10);
      options.setKeepAliveInterval(30);
      if (username != null) options.setUserName(username);
      if (password != null) options.setPassword(password.toCharArray());
      client.connect(options).waitForCompletion(10_000);
      LOG.info("MQTT sink connected to {} as {}", url, clientId);
      return new MqttTrafficSink(client, maxInflight);
    } catch (MqttException e) {
      throw new IllegalStateException(
          "cannot connect to MQTT broker " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void sendSensor(String topic, String payloadJson) {
    if (closed) throw new IllegalStateException("sink is closed");
    counters.sent(TrafficSource.SENSOR, 1);
    try {
      // Bounded: should a lost connection never report its in-flight messages, do not hang forever.
      if (!inflight.acquire(FLUSH_TIMEOUT)) {
        counters.failed(TrafficSource.SENSOR, 1);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      counters.failed(TrafficSource.SENSOR, 1);
      return;
    }
    try {
      client.publish(
          topic,
          payloadJson.getBytes(StandardCharsets.UTF_8),
          1,
          false,
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              counters.acknowledged(TrafficSource.SENSOR, 1);
              inflight.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
              counters.failed(TrafficSource.SENSOR, 1);
              inflight.release();
            }
          });
    } catch (MqttException | RuntimeException e) {
      // Not connected (reconnecting) or client closing: this reading is lost, the next may go
      // through.
      counters.failed(TrafficSource.SENSOR, 1);
      inflight.release();
      LOG.debug("publish to {} failed: {}", topic, e.toString());
    }
  }

  @Override
  public void flush() {
    inflight.drain(FLUSH_TIMEOUT, LOG, "MQTT sink: readings");
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public void close() {
    if (closed) return;
    flush();
    closed = true;
    try {
      if (client.isConnected()) client.disconnect(2_000).waitForCompletion(5_000);
    } catch (MqttException e) {
      LOG.debug("MQTT disconnect: {}", e.toString());
    }
    try {
      client.close();
    } catch (MqttException e) {
      LOG.debug("MQTT close: {}", e.toString());
    }
  }
}
