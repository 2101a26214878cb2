package org.gridfusion.connectors.mqtt;

import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.ChildReports;
import org.gridfusion.connectors.ParentWatchdog;

/**
 * Runs one {@link MqttIngestServer} in a JVM of its own, so a test can kill it with SIGKILL (see
 * {@link MqttIngestCrashITCase}). Not a production entry point: {@code bin/gridfusion ingest-mqtt}
 * is.
 *
 * <p>Arguments: {@code kafkaBootstrap port user:password}. Prints {@code endpoint ready <url>} once
 * listening and then {@code stored N} whenever the count of readings Kafka acknowledged changes,
 * which the parent reads to pick its moment to kill. It stops when its standard input closes, so it
 * dies with the test JVM even when nobody kills it.
 */
public final class MqttIngestMain {
  private MqttIngestMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: MqttIngestMain kafkaBootstrap port user:password");
      System.exit(2);
    }
    ParentWatchdog.start();
    MqttIngestServer endpoint =
        MqttIngestServer.start(
            MqttIngestSettings.from(
                Config.empty()
                    .with(GridFusionOptions.KAFKA_BOOTSTRAP, args[0])
                    .with(GridFusionOptions.INGEST_MQTT_PORT, args[1])
                    .with(GridFusionOptions.INGEST_MQTT_USERS, args[2])
                    .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")));
    System.out.println("endpoint ready " + endpoint.url());
    System.out.flush();
    ChildReports.tellChanges(
        "stored", () -> endpoint.metrics().get("readings_stored_total"), Duration.ofMillis(20));
    ChildReports.runUntilKilled();
  }
}
