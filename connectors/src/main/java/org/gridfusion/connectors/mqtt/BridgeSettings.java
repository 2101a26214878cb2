package org.gridfusion.connectors.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * Settings of the MQTT → Kafka bridge, read and checked once at start.
 *
 * @param caFile PEM certificate(s) trusted for an {@code ssl://} broker; null: the JVM's trust
 *     store
 */
public record BridgeSettings(
    String mqttUrl,
    String clientId,
    String topicFilter,
    String sharedGroup,
    int maxInflight,
    String username,
    String password,
    Path caFile,
    Duration maxReconnectDelay,
    int maxPayloadBytes,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window) {

  public static BridgeSettings from(Config c) {
    String ca = c.get(GridFusionOptions.MQTT_TLS_CA_FILE);
    return new BridgeSettings(
        c.require(GridFusionOptions.MQTT_URL, "for the bridge to subscribe"),
        c.get(GridFusionOptions.MQTT_CLIENT_ID),
        c.get(GridFusionOptions.MQTT_TOPIC_FILTER),
        c.get(GridFusionOptions.MQTT_SHARED_GROUP),
        c.get(GridFusionOptions.MQTT_MAX_INFLIGHT),
        c.get(GridFusionOptions.MQTT_USERNAME),
        c.get(GridFusionOptions.MQTT_PASSWORD),
        ca == null ? null : Path.of(ca),
        c.get(GridFusionOptions.MQTT_MAX_RECONNECT_DELAY),
        c.get(GridFusionOptions.INGEST_MQTT_MAX_PAYLOAD),
        KafkaConnection.from(c, "for the bridge to publish"),
        PayloadPseudonymiser.from(c),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)));
  }

  /**
   * {@code $share/<group>/<filter>} when a group is set, so bridges with the same group split the
   * load.
   */
  public String subscription() {
    return sharedGroup == null || sharedGroup.isBlank()
        ? topicFilter
        : "$share/" + sharedGroup + "/" + topicFilter;
  }
}
