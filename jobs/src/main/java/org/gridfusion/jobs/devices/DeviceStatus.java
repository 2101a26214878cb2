package org.gridfusion.jobs.devices;

import org.gridfusion.schema.Record;

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

  /** The device of {@code r} heard from by that record. */
  public static DeviceStatus heard(Record r) {
    long ts = r.getTs().toEpochMilli();
    return new DeviceStatus(
        Change.HEARD,
        r.getDeviceId(),
        r.getSource().name(),
        r.getType(),
        r.getGridId(),
        r.getGridKind(),
        r.getStreet(),
        r.getCommunity(),
        r.getLat(),
        r.getLon(),
        r.getRecordId(),
        ts,
        ts);
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
