package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ingest-mqtt",
    mixinStandardHelpOptions = true,
    description = {
      "Runs GridFusion's MQTT endpoint alone: sensors connect to it directly and publish to",
      "gf/sensors/{type}/{deviceId}; a QoS 1 reading is acknowledged only once Kafka has it",
      "(ingest.mqtt.port, ingest.mqtt.bind, ingest.mqtt.users, ingest.mqtt.tls.*, kafka.bootstrap).",
      "Several can run behind a TCP load balancer."
    })
final class IngestMqttCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    MqttIngestServer server =
        MqttIngestServer.start(
            MqttIngestSettings.from(configOptions.load(GridFusionOptions.KAFKA_BOOTSTRAP)));
    return Connectors.runUntilStopped(server, "MQTT ingest endpoint on " + server.url());
  }
}
