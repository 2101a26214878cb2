package org.gridfusion.connectors.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A sensor fleet in one MQTT connection: publishes NOISE readings of one device at QoS 1 (clean
 * session, as a sensor would) with up to {@value #WINDOW} awaiting the broker's PUBACK, so a test
 * can publish thousands quickly and still know that the broker took every one.
 *
 * <p>Reading {@code i} has {@code ts = t0 + i}, so each reading is identified by its {@code ts} and
 * a test can count the distinct readings that reached Kafka.
 */
final class ReadingPublisher implements AutoCloseable {
  private static final int WINDOW = 500;

  private final MqttAsyncClient client;
  private final String topic;
  private final long t0;
  private final Semaphore window = new Semaphore(WINDOW);
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final IMqttActionListener listener =
      new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          acknowledged.incrementAndGet();
          window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          failure.compareAndSet(null, error);
          window.release();
        }
      };

  private ReadingPublisher(MqttAsyncClient client, String deviceId, long t0) {
    this.client = client;
    this.topic = "gf/sensors/NOISE/" + deviceId;
    this.t0 = t0;
  }

  /** Connects as {@code clientId}; readings of {@code deviceId} get {@code ts = t0 + i}. */
  static ReadingPublisher connect(String mqttUrl, String clientId, String deviceId, long t0)
      throws MqttException {
    return connect(mqttUrl, clientId, deviceId, t0, new MqttConnectOptions());
  }

  /**
   * As {@link #connect(String, String, String, long)}, with credentials or TLS set in {@code o}.
   */
  static ReadingPublisher connect(
      String mqttUrl, String clientId, String deviceId, long t0, MqttConnectOptions o)
      throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
    o.setCleanSession(true);
    // Paho counts a publish in flight until its PUBACK has been handled, just before the listener
    // runs; the semaphore keeps below that limit, so publish() never fails with "too many
    // publishes".
    o.setMaxInflight(WINDOW);
    o.setConnectionTimeout(10);
    client.connect(o).waitForCompletion(15_000);
    return new ReadingPublisher(client, deviceId, t0);
  }

  /**
   * Publishes readings {@code from} (inclusive) to {@code to} (exclusive) without waiting for
   * PUBACKs.
   */
  void publish(int from, int to) throws MqttException, InterruptedException {
    for (int i = from; i < to; i++) {
      if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the broker acknowledged no publish for 60 s (" + acknowledged + " so far)");
      }
      byte[] payload =
          ("{\"ts\":" + (t0 + i) + ",\"value\":" + (40 + i % 30) + ".5}")
              .getBytes(StandardCharsets.UTF_8);
      client.publish(topic, payload, 1, false, null, listener);
    }
  }

  /** Waits until the broker acknowledged everything published so far. */
  void awaitAcknowledged(Duration timeout) throws InterruptedException {
    if (!window.tryAcquire(WINDOW, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "the broker did not acknowledge all publishes within "
              + timeout
              + " ("
              + acknowledged
              + " acknowledged)");
    }
    window.release(WINDOW);
    Throwable error = failure.get();
    if (error != null) {
      throw new AssertionError("a publish failed; the broker does not have every reading", error);
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(6_000);
      }
    } finally {
      client.close();
    }
  }
}
