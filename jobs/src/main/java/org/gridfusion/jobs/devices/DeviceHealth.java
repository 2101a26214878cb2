package org.gridfusion.jobs.devices;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * How device health is judged (contract §10, keys {@code devices.offline.*}): how long each kind of
 * device may stay silent, and what makes many silent devices one feed outage.
 *
 * @param after silence allowed per {@code CAMERA}, per sensor type, and {@code SENSOR} for any
 *     other sensor type
 * @param feedShare share of a feed's known devices offline together that is a feed outage
 * @param feedMinDevices fewest offline devices that can be a feed outage
 * @param feedGrace how long a device's outage waits for its feed's verdict before it is raised
 */
public record DeviceHealth(
    boolean enabled,
    Map<String, Duration> after,
    double feedShare,
    int feedMinDevices,
    Duration feedGrace)
    implements Serializable {

  public static DeviceHealth from(Config config) {
    return new DeviceHealth(
        config.get(GridFusionOptions.DEVICES_OFFLINE_ENABLED),
        Map.copyOf(config.get(GridFusionOptions.DEVICES_OFFLINE_AFTER)),
        config.get(GridFusionOptions.DEVICES_FEED_SHARE),
        config.get(GridFusionOptions.DEVICES_FEED_MIN_DEVICES),
        config.get(GridFusionOptions.DEVICES_FEED_GRACE));
  }

  /** The defaults of the {@code devices.offline.*} keys. */
  public static DeviceHealth defaults() {
    return from(Config.empty());
  }

  public DeviceHealth withEnabled(boolean on) {
    return new DeviceHealth(on, after, feedShare, feedMinDevices, feedGrace);
  }

  /** How long the device of {@code r} may stay silent. */
  public long silenceAllowedMs(Record r) {
    return silenceAllowedMs(r.getSource().name(), r.getType());
  }

  /** How long a device of the feed ({@code CAMERA}, {@code SENSOR}) and type may stay silent. */
  public long silenceAllowedMs(String source, String type) {
    Duration d =
        Source.CAMERA.name().equals(source)
            ? after.get("CAMERA")
            : after.getOrDefault(type, after.get("SENSOR"));
    return d.toMillis();
  }

  /** Whether {@code offline} of {@code known} devices of one feed is the feed down. */
  public boolean isFeedOutage(int offline, int known) {
    return offline >= feedMinDevices && offline >= feedShare * known;
  }
}
