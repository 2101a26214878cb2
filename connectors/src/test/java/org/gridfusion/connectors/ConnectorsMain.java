package org.gridfusion.connectors;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.http.CameraIngestServer;
import org.gridfusion.connectors.http.IngestSettings;
import org.gridfusion.connectors.inbox.InboxSettings;
import org.gridfusion.connectors.inbox.InboxWatcher;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;

/**
 * The HTTP camera ingest, the MQTT endpoint and the inbox watcher in a JVM of their own, so a test
 * can give them a small fixed heap and see whether they survive what it sends (see {@link
 * BadInputVolumeITCase}). Not a production entry point: {@code bin/gridfusion ingest-*} are.
 *
 * <p>Arguments: {@code kafkaBootstrap inboxDir token mqttMaxFrameBytes}. Prints {@code http <url>}
 * and {@code mqtt <url>}, then {@code ready}, then {@code heap <peak MB>} whenever the peak heap
 * use after a collection grows. Stops when its standard input closes, so it dies with the test JVM.
 */
public final class ConnectorsMain {
  private ConnectorsMain() {}

  public static void main(String[] args) throws Exception {
    ParentWatchdog.start();
    Config config =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, args[0])
            .with(GridFusionOptions.INGEST_INBOX, args[1])
            .with(GridFusionOptions.INGEST_INBOX_POLL, "100ms")
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, args[2])
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
            .with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true)
            .with(GridFusionOptions.INGEST_MQTT_MAX_FRAME, args[3])
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123");
    CameraIngestServer http = CameraIngestServer.start(IngestSettings.from(config));
    MqttIngestServer mqtt = MqttIngestServer.start(MqttIngestSettings.from(config));
    InboxWatcher inbox = InboxWatcher.start(InboxSettings.from(config));
    System.out.println("http " + http.url());
    System.out.println("mqtt " + mqtt.url());
    System.out.println("ready");
    System.out.flush();
    long[] peak = {-1};
    ChildReports.tellChanges(
        "heap", () -> peak[0] = Math.max(peak[0], afterCollectionMb()), Duration.ofMillis(100));
    ChildReports.runUntilKilled();
  }

  /** Heap in use right after the latest collection: what the connectors really hold. */
  private static long afterCollectionMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        bytes += pool.getCollectionUsage().getUsed();
      }
    }
    return bytes / (1024 * 1024);
  }
}
