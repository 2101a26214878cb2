package org.gridfusion.connectors.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * Settings of the MQTT ingest endpoint ({@code ingest.mqtt.*}), read and checked once at start.
 *
 * @param users {@code name:password} entries; empty only with {@code allowAnonymous}
 * @param tlsCertificate PEM certificate chain, or null (then {@code tlsKeyStore} or plain TCP)
 * @param tlsKeyStore PKCS12 key store, or null
 * @param ioThreads socket threads; 0 = one per core
 */
public record MqttIngestSettings(
    String bind,
    int port,
    List<String> users,
    boolean allowAnonymous,
    Path tlsCertificate,
    Path tlsPrivateKey,
    Path tlsKeyStore,
    String tlsKeyStorePassword,
    int maxPayloadBytes,
    int maxFrameBytes,
    int maxInflightPerConnection,
    int maxInflight,
    int ioThreads,
    Duration connectTimeout,
    Duration summaryInterval,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window) {

  public static MqttIngestSettings from(Config c) {
    List<String> users = c.get(GridFusionOptions.INGEST_MQTT_USERS);
    boolean anonymous = c.get(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS);
    if (users.isEmpty() && !anonymous) {
      throw new ConfigException(
          GridFusionOptions.INGEST_MQTT_USERS.key(),
          "at least one name:password is required (or ingest.mqtt.allowAnonymous: true on a trusted network)");
    }
    return new MqttIngestSettings(
        c.get(GridFusionOptions.INGEST_MQTT_BIND),
        c.get(GridFusionOptions.INGEST_MQTT_PORT),
        List.copyOf(users),
        anonymous,
        path(c.get(GridFusionOptions.INGEST_MQTT_TLS_CERTIFICATE)),
        path(c.get(GridFusionOptions.INGEST_MQTT_TLS_PRIVATE_KEY)),
        path(c.get(GridFusionOptions.INGEST_MQTT_TLS_KEY_STORE)),
        c.get(GridFusionOptions.INGEST_MQTT_TLS_KEY_STORE_PASSWORD),
        c.get(GridFusionOptions.INGEST_MQTT_MAX_PAYLOAD),
        c.get(GridFusionOptions.INGEST_MQTT_MAX_FRAME),
        c.get(GridFusionOptions.INGEST_MQTT_MAX_INFLIGHT_PER_CONNECTION),
        c.get(GridFusionOptions.INGEST_MQTT_MAX_INFLIGHT),
        c.get(GridFusionOptions.INGEST_MQTT_IO_THREADS),
        c.get(GridFusionOptions.INGEST_MQTT_CONNECT_TIMEOUT),
        c.get(GridFusionOptions.INGEST_MQTT_SUMMARY_INTERVAL),
        KafkaConnection.from(c, "for the MQTT endpoint to publish"),
        PayloadPseudonymiser.from(c),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)));
  }

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  public boolean tls() {
    return tlsCertificate != null || tlsKeyStore != null;
  }

  /** {@code tcp://} or {@code ssl://} (the scheme Paho takes for TLS). */
  public String scheme() {
    return tls() ? "ssl" : "tcp";
  }
}
