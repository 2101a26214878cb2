package org.gridfusion.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ingest-mqtt",
    mixinStandardHelpOptions = true,
    description = {
      "Runs GridFusion's MQTT endpoint alone.",
      "Sensors connect to it directly and publish to gf/sensors/{type}/{deviceId}; a QoS 1 reading is acknowledged only once Kafka has it (ingest.mqtt.port, ingest.mqtt.bind, ingest.mqtt.users, ingest.mqtt.tls.*, kafka.bootstrap; ingest.mqtt.metricsPort for GET /metrics and /health). Several can run behind a TCP load balancer."
    })
final class IngestMqttCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    Config config = configOptions.load(GridFusionOptions.KAFKA_BOOTSTRAP);
    MqttIngestServer server = MqttIngestServer.start(MqttIngestSettings.from(config));
    Integer metricsPort = config.get(GridFusionOptions.INGEST_MQTT_METRICS_PORT);
    if (metricsPort == null) {
      return Connectors.runUntilStopped(server, "MQTT ingest endpoint on " + server.url());
    }
    HttpServer http =
        HttpServer.create(
            new InetSocketAddress(config.get(GridFusionOptions.INGEST_MQTT_BIND), metricsPort), 16);
    http.createContext(
        "/metrics",
        ex -> respond(ex, server.metrics().prometheusText(), "text/plain; version=0.0.4"));
    http.createContext(
        "/health",
        ex ->
            respond(
                ex,
                "{\"status\":\"UP\",\"connections\":" + server.metrics().get("connections") + "}",
                "application/json"));
    http.start();
    System.out.println(
        "metrics on http://"
            + http.getAddress().getHostString()
            + ":"
            + http.getAddress().getPort()
            + "/metrics");
    return Connectors.runUntilStopped(
        () -> {
          http.stop(0);
          server.close();
        },
        "MQTT ingest endpoint on " + server.url());
  }

  private static void respond(HttpExchange ex, String body, String contentType) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
