package org.gridfusion.jobs.devices;

import org.gridfusion.schema.Record;

/**
 * A change in one device's health, from {@link DeviceWatch} to {@link FeedWatch}: first heard from,
 * gone offline, back. Also what {@link DeviceWatch} is given of each camera and sensor record
 * ({@link #heard}): the few fields it reads instead of the whole record, on the shuffle by device.
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

  /**
   * A camera or sensor record as its device's {@code HEARD} status: all of the record the device
   * watch needs, dated at the record. Sent by device instead of the record itself, it is about a
   * third of the bytes and objects to serialise and rebuild on that shuffle (issue 14).
   */
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
