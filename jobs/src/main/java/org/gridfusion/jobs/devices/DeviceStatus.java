package org.gridfusion.jobs.devices;

/**
 * A change in one device's health, from {@link DeviceWatch} to {@link FeedWatch}: first heard from,
 * gone offline, back.
 *
 * @param source the device's feed: {@code CAMERA} or {@code SENSOR}
 * @param lastRecordId the device's last record (the evidence of an outage)
 * @param lastHeard the event time of that record
 * @param at the event time of the change: the first or returning record's, or when the silence
 *     passed its allowance
 */
public record DeviceStatus(
    Change change,
    String deviceId,
    String source,
    String type,
    String gridId,
    String gridKind,
    String street,
    String community,
    double lat,
    double lon,
    String lastRecordId,
    long lastHeard,
    long at) {

  public enum Change {
    HEARD,
    OFFLINE,
    BACK
  }

  DeviceStatus as(Change c, long when) {
    return new DeviceStatus(
        c,
        deviceId,
        source,
        type,
        gridId,
        gridKind,
        street,
        community,
        lat,
        lon,
        lastRecordId,
        lastHeard,
        when);
  }
}
