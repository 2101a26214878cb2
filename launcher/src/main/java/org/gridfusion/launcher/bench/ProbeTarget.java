package org.gridfusion.launcher.bench;

import java.util.Locale;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * A device whose input raises a known alert at once (a threshold rule of contract §5, which fires
 * without waiting for the watermark), so the time from accepting the input to finding the alert in
 * Elasticsearch measures the pipeline. A sensor probe enters over MQTT, a camera probe over HTTP
 * (or both through the raw topics in a Kafka run).
 *
 * <p>Probes of one target always land in one grid; while they keep coming, the rule's alert for
 * that grid stays open and each probe moves its {@code lastSeen} to the probe's event time, which
 * is what the watcher looks for.
 *
 * @param value the sensor value, or the camera event's confidence
 * @param lat latitude sent with a camera event (sensors take their registry position)
 */
public record ProbeTarget(
    TrafficSource source,
    String deviceId,
    String type,
    String value,
    String ruleId,
    String gridId,
    double lat,
    double lon) {

  public ProbeTarget {
    if (source == TrafficSource.DEPARTMENT)
      throw new IllegalArgumentException("department records raise no threshold alert");
  }

  /** A manhole cover knocked askew (18.5 degrees): MANHOLE_DISPLACED. */
  public static ProbeTarget manholeDisplaced(String deviceId, String gridId) {
    return new ProbeTarget(
        TrafficSource.SENSOR, deviceId, "MANHOLE_TILT", "18.5", "MANHOLE_DISPLACED", gridId, 0, 0);
  }

  /** Water at 35 cm (IMPORTANT): WATERLOGGING. */
  public static ProbeTarget waterlogging(String deviceId, String gridId) {
    return new ProbeTarget(
        TrafficSource.SENSOR, deviceId, "WATER_LEVEL", "35.0", "WATERLOGGING", gridId, 0, 0);
  }

  /** A fall seen with confidence 0.88 by a camera at {@code lat, lon}: FALL_DETECTED. */
  public static ProbeTarget fallDetected(String cameraId, String gridId, double lat, double lon) {
    return new ProbeTarget(
        TrafficSource.CAMERA, cameraId, "FALL_DETECTED", "0.88", "FALL_DETECTED", gridId, lat, lon);
  }

  String mqttTopic() {
    return "gf/sensors/" + type + "/" + deviceId;
  }

  /** The input text: an MQTT payload or one camera event. */
  String payload(String eventId, String isoTs) {
    if (source == TrafficSource.SENSOR) return "{\"ts\":\"" + isoTs + "\",\"value\":" + value + "}";
    return String.format(
        Locale.ROOT,
        "{\"eventId\":\"%s\",\"cameraId\":\"%s\",\"type\":\"%s\",\"ts\":\"%s\","
            + "\"confidence\":%s,\"objectCount\":1,\"lat\":%.6f,\"lon\":%.6f}",
        eventId,
        deviceId,
        type,
        isoTs,
        value,
        lat,
        lon);
  }
}
