package org.gridfusion.connectors.mqtt;

import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/** Settings of the MQTT → Kafka bridge, read and checked once at start. */
public record BridgeSettings(
    String mqttUrl,
    String clientId,
    String topicFilter,
    String sharedGroup,
    int maxInflight,
    String username,
    String password,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window) {

  public static BridgeSettings from(Config c) {
    int inflight = c.get(GridFusionOptions.MQTT_MAX_INFLIGHT);
    return new BridgeSettings(
        c.require(GridFusionOptions.MQTT_URL, "for the bridge to subscribe"),
        c.get(GridFusionOptions.MQTT_CLIENT_ID),
        c.get(GridFusionOptions.MQTT_TOPIC_FILTER),
        c.get(GridFusionOptions.MQTT_SHARED_GROUP),
        inflight,
        c.get(GridFusionOptions.MQTT_USERNAME),
        c.get(GridFusionOptions.MQTT_PASSWORD),
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
