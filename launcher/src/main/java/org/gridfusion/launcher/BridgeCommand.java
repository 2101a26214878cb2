package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.mqtt.BridgeSettings;
import org.gridfusion.connectors.mqtt.MqttBridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the MQTT -> Kafka bridge alone (mqtt.url, kafka.bootstrap, mqtt.clientId, mqtt.sharedGroup).",
      "Readings are acknowledged to the broker only after Kafka has them."
    })
final class BridgeCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    return Connectors.runUntilStopped(
        MqttBridge.start(
            BridgeSettings.from(
                configOptions.load(
                    GridFusionOptions.MQTT_URL,
                    GridFusionOptions.KAFKA_BOOTSTRAP,
                    GridFusionOptions.PRIVACY_HMAC_SECRET))),
        "MQTT bridge");
  }
}
