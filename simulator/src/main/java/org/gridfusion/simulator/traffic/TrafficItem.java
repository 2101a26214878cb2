package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.json.Json;

/**
 * One generated input message with its ground truth.
 *
 * @param topic the MQTT topic for sensor readings, null otherwise
 * @param payload the exact text to send: MQTT payload, one camera event JSON, or one JSONL line
 * @param expectedReason the dead-letter reason the pipeline should give a BAD item, null otherwise
 * @param gridId the grid a valid item belongs to, null for BAD items
 * @param type sensor type, camera event type or department record type of a valid item; for BAD
 *     items whatever it claims to be (may be null)
 */
public record TrafficItem(
    TrafficSource source,
    Instant eventTime,
    String topic,
    String payload,
    Quality quality,
    Reason expectedReason,
    String gridId,
    String type) {

  public boolean isGood() {
    return quality == Quality.GOOD;
  }

  /**
   * A camera item that is not JSON at all must travel in a request of its own: inside an array it
   * would make the whole body unparseable and take the valid events beside it down with it (§3).
   */
  public boolean sendsAlone() {
    return source == TrafficSource.CAMERA && expectedReason == Reason.MALFORMED;
  }

  /** The same message again, marked as a duplicate. */
  TrafficItem duplicate() {
    return new TrafficItem(
        source, eventTime, topic, payload, Quality.DUPLICATE, null, gridId, type);
  }

  /**
   * The device that sent a sensor reading (the topic's last part) or a camera event ({@code
   * cameraId}); null for department records and for items that name none.
   */
  public String deviceId() {
    if (source == TrafficSource.SENSOR) {
      return topic == null ? null : topic.substring(topic.lastIndexOf('/') + 1);
    }
    if (source != TrafficSource.CAMERA) return null;
    try {
      JsonNode id = Json.MAPPER.readTree(payload).get("cameraId");
      return id == null || !id.isTextual() ? null : id.asText();
    } catch (IOException | RuntimeException e) {
      return null; // not JSON: a bad message, which names no device
    }
  }

  /** The same message delivered at {@code deliveredAt} instead of its event time. */
  public TrafficItem deliveredAt(Instant deliveredAt) {
    return new TrafficItem(
        source, deliveredAt, topic, payload, quality, expectedReason, gridId, type);
  }

  /** The MQTT message of a sensor item. */
  public MqttMessage toMqttMessage() {
    if (source != TrafficSource.SENSOR)
      throw new IllegalStateException("not a sensor reading: " + source);
    return new MqttMessage(topic, payload);
  }
}
