package org.gridfusion.connectors.mqtt;

import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.ChildReports;
import org.gridfusion.connectors.ParentWatchdog;

/**
 * Runs one {@link MqttBridge} in a JVM of its own, so a test can kill it with SIGKILL (see {@link
 * BridgeProcess}). Not a production entry point: {@code bin/gridfusion bridge} is.
 *
 * <p>Arguments: {@code mqttUrl clientId kafkaBootstrap topicFilter [sharedGroup]}. Prints {@code
 * bridge ready} once subscribed and then {@code forwarded N} whenever the count of readings Kafka
 * acknowledged changes, which the parent reads to pick its moment to kill. The bridge stops when
 * its standard input closes, so it dies with the test JVM even when nobody kills it.
 */
public final class BridgeMain {
  private BridgeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println(
          "usage: BridgeMain mqttUrl clientId kafkaBootstrap topicFilter [sharedGroup]");
      System.exit(2);
    }
    ParentWatchdog.start();
    String sharedGroup = args.length > 4 ? args[4] : null;
    MqttBridge bridge = MqttBridge.start(settings(args[0], args[1], args[2], args[3], sharedGroup));
    System.out.println("bridge ready");
    System.out.flush();
    ChildReports.tellChanges(
        "forwarded", () -> bridge.metrics().get("readings_forwarded_total"), Duration.ofMillis(50));
    ChildReports.runUntilKilled();
  }

  /**
   * Settings as {@code bin/gridfusion bridge} would build them from these keys; {@code sharedGroup}
   * may be null.
   */
  static BridgeSettings settings(
      String mqttUrl,
      String clientId,
      String kafkaBootstrap,
      String topicFilter,
      String sharedGroup) {
    Config config =
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
            .with(GridFusionOptions.MQTT_URL, mqttUrl)
            .with(GridFusionOptions.MQTT_CLIENT_ID, clientId)
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafkaBootstrap)
            .with(GridFusionOptions.MQTT_TOPIC_FILTER, topicFilter);
    if (sharedGroup != null) {
      config = config.with(GridFusionOptions.MQTT_SHARED_GROUP, sharedGroup);
    }
    return BridgeSettings.from(config);
  }
}
