package org.gridfusion.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.launcher.traffic.KafkaTrafficSink;
import org.gridfusion.simulator.traffic.HttpTrafficSink;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * How a probe's input is handed to GridFusion. {@link #send} returns once the input is accepted —
 * MQTT PUBACK, HTTP 202, Kafka ack — which is where the event→alert latency starts.
 */
interface ProbeChannel extends AutoCloseable {

  void send(ProbeTarget target, String payload) throws Exception;

  @Override
  void close();

  /** MQTT for sensor probes and HTTP for camera probes, each on a connection of its own. */
  static ProbeChannel connectors(BenchEndpoints endpoints, String clientId) throws Exception {
    return new Connectors(endpoints, clientId);
  }

  /** The raw topics, written as the connectors write them. */
  static ProbeChannel kafka(KafkaTrafficSink raw) {
    return new Kafka(raw);
  }

  final class Connectors implements ProbeChannel {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final MqttClient mqtt;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI cameraEvents;
    private final String authorization;

    private Connectors(BenchEndpoints endpoints, String clientId) throws Exception {
      mqtt = new MqttClient(endpoints.mqttUrl(), clientId, new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      o.setConnectionTimeout((int) TIMEOUT.toSeconds());
      if (endpoints.mqttUser() != null) o.setUserName(endpoints.mqttUser());
      if (endpoints.mqttPassword() != null) o.setPassword(endpoints.mqttPassword().toCharArray());
      mqtt.setTimeToWait(TIMEOUT.toMillis());
      mqtt.connect(o);
      String base = endpoints.httpIngestUrl().replaceAll("/+$", "");
      cameraEvents = URI.create(base + HttpTrafficSink.PATH);
      authorization = "Bearer " + endpoints.httpToken();
    }

    @Override
    public void send(ProbeTarget target, String payload) throws Exception {
      if (target.source() == TrafficSource.SENSOR) {
        // Synchronous QoS 1: returns when the PUBACK is in (from GridFusion's endpoint: once
        // Kafka has the reading).
        mqtt.publish(target.mqttTopic(), payload.getBytes(StandardCharsets.UTF_8), 1, false);
        return;
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(cameraEvents)
                  .timeout(TIMEOUT)
                  .header("Content-Type", "application/json")
                  .header("Authorization", authorization)
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202 || r.body().contains("\"index\"")) {
        throw new IllegalStateException(
            "camera ingest answered " + r.statusCode() + " " + r.body());
      }
    }

    @Override
    public void close() {
      try {
        if (mqtt.isConnected()) mqtt.disconnect(2_000);
        mqtt.close();
      } catch (Exception ignored) {
        // the broker may already be gone at shutdown
      }
    }
  }

  final class Kafka implements ProbeChannel {
    private final KafkaTrafficSink raw;

    private Kafka(KafkaTrafficSink raw) {
      this.raw = raw;
    }

    @Override
    public void send(ProbeTarget target, String payload) throws Exception {
      boolean stored =
          (target.source() == TrafficSource.SENSOR
                  ? raw.publishSensor(target.mqttTopic(), payload)
                  : raw.publishCamera(payload))
              .get(10, TimeUnit.SECONDS);
      if (!stored) throw new IllegalStateException("probe input was dead-lettered: " + payload);
    }

    @Override
    public void close() {
      // the raw sink belongs to the caller
    }
  }
}
