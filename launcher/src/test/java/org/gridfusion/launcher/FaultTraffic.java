package org.gridfusion.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.Pacer;

/**
 * Inputs a client sends through {@code up}'s ingress while something is killed: camera events over
 * HTTP and sensor readings over MQTT with QoS 1, each remembered as sent, and as acknowledged once
 * the client got its 202 or PUBACK (which GridFusion gives only once Kafka has the input). An input
 * that is not acknowledged is not sent again: it may or may not be stored, and the table counts it
 * as sent only. A client reconnects to wherever {@code up} listens now.
 */
final class FaultTraffic implements AutoCloseable {
  /** What one fault's inputs came to: record ids sent and acknowledged. */
  static final class Phase {
    final String fault;
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    Phase(String fault) {
      this.fault = fault;
    }
  }

  private final Supplier<UpProcess.Endpoints> endpoints;
  private final String token;
  private final String run;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile Phase phase;

  /** The phase of the camera event and reading being sent now; null between them. */
  private volatile Phase inUse;

  private MqttClient mqtt;
  private String mqttUrl;
  private long lastTs;
  private int n;

  /**
   * @param camera the camera whose (harmless: no rule matches) ILLEGAL_PARKING events are sent
   * @param sensor the sensor whose (harmless) readings are sent
   * @param pause from one camera event and reading to the next (paced by deadline)
   */
  FaultTraffic(
      Supplier<UpProcess.Endpoints> endpoints,
      String token,
      String run,
      Device camera,
      Device sensor,
      Duration pause,
      Phase first) {
    this.endpoints = endpoints;
    this.token = token;
    this.run = run;
    this.phase = first;
    Pacer pacer = new Pacer(pause);
    thread =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  pacer.awaitNext();
                } catch (InterruptedException e) {
                  return;
                }
                Phase p = phase;
                inUse = p;
                n++;
                camera(p, run + "-bg-" + n, camera, "ILLEGAL_PARKING", 0.6);
                reading(p, sensor, 20 + n % 5);
                inUse = null;
              }
            },
            "fault-traffic");
    thread.start();
  }

  /**
   * From now on, inputs count for {@code next}; returns once no input of the previous phase is
   * still on its way, so that phase's sets stay as they are.
   */
  void phase(Phase next) {
    Phase previous = phase;
    phase = next;
    if (previous == null) return;
    Await.until(
        "the input of phase '" + previous.fault + "' on its way done (an input takes over 60 s)",
        () -> inUse != previous,
        Duration.ofSeconds(60));
  }

  /** Waits until the current phase has {@code n} more inputs acknowledged than now. */
  void awaitAcknowledged(int more, Duration within) {
    Phase p = phase;
    int target = p.acknowledged.size() + more;
    Await.until(
        p.fault + ": " + target + " acknowledged",
        () -> p.acknowledged.size() >= target,
        within,
        () -> p.acknowledged.size() + " of " + target + " acknowledged");
  }

  /**
   * One camera event over HTTP; the record id it becomes ({@code CAMERA:<eventId>}) is remembered
   * as sent, and as acknowledged on a 202.
   *
   * @return whether it was acknowledged
   */
  boolean camera(Phase p, String eventId, Device camera, String type, double confidence) {
    String recordId = "CAMERA:" + eventId;
    p.sent.add(recordId);
    String body =
        "{\"eventId\":\"%s\",\"cameraId\":\"%s\",\"type\":\"%s\",\"ts\":\"%s\",\"confidence\":%s}"
            .formatted(eventId, camera.deviceId(), type, Instant.now(), confidence);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(endpoints.get().httpIngest() + "/v1/camera-events"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(15))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 202 && r.body().contains("\"accepted\":1")) {
        p.acknowledged.add(recordId);
        return true;
      }
    } catch (Exception e) {
      // up is down: not acknowledged
    }
    return false;
  }

  /**
   * One reading over MQTT, QoS 1, with a timestamp of its own; remembered as sent, and as
   * acknowledged on its PUBACK.
   *
   * @return whether it was acknowledged
   */
  synchronized boolean reading(Phase p, Device sensor, double value) {
    long ts = Math.max(System.currentTimeMillis(), lastTs + 1);
    lastTs = ts;
    String recordId = "SENSOR:" + sensor.deviceId() + ":" + sensor.type() + ":" + ts;
    try {
      MqttClient c = connected();
      p.sent.add(recordId);
      c.publish(
          "gf/sensors/" + sensor.type() + "/" + sensor.deviceId(),
          ("{\"ts\":" + ts + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8),
          1,
          false);
      p.acknowledged.add(recordId);
      return true;
    } catch (MqttException e) {
      dropConnection();
      return false;
    }
  }

  private MqttClient connected() throws MqttException {
    String url = endpoints.get().mqtt();
    if (mqtt != null && mqtt.isConnected() && url.equals(mqttUrl)) return mqtt;
    dropConnection();
    MqttClient c = new MqttClient(url, "fault-traffic-" + run, new MemoryPersistence());
    c.setTimeToWait(15_000);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setConnectionTimeout(3);
    o.setAutomaticReconnect(false);
    c.connect(o);
    mqtt = c;
    mqttUrl = url;
    return c;
  }

  private void dropConnection() {
    if (mqtt == null) return;
    try {
      if (mqtt.isConnected()) mqtt.disconnectForcibly(100, 100);
      mqtt.close(true);
    } catch (MqttException e) {
      // gone anyway
    }
    mqtt = null;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.interrupt();
    thread.join(20_000);
    synchronized (this) {
      dropConnection();
    }
  }
}
