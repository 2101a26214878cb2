package org.gridfusion.jobs.records;

import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.privacy.Pseudonymiser;
import org.gridfusion.jobs.reference.AddressRegistry;
import org.gridfusion.jobs.reference.DeviceRegistry;
import org.gridfusion.jobs.reference.Grid;
import org.gridfusion.jobs.reference.ReferenceData;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.Source;

/**
 * Turns a raw input into the normalised {@link Record}: locate it (its own coordinates, else its
 * device's, else its address's), place it in its grid, pseudonymise it (contract §1, §3, §4). Pure
 * apart from the reference snapshot it is given, so it is tested without Flink.
 */
public final class RecordNormaliser {
  private final Pseudonymiser pseudonymiser;

  public RecordNormaliser(Pseudonymiser pseudonymiser) {
    this.pseudonymiser = pseudonymiser;
  }

  public Parsed<Record> camera(CameraEvent e, ReferenceData.Snapshot ref) {
    Placed at =
        e.getLat() != null && e.getLon() != null
            ? new Placed(e.getLat(), e.getLon(), null)
            : ofDevice(ref, e.getCameraId());
    if (at == null) {
      return Parsed.rejected(
          Reason.UNKNOWN_DEVICE,
          "camera "
              + e.getCameraId()
              + " is not in the device registry and the event has no lat/lon");
    }
    Record r = new Record();
    r.setRecordId(RecordIds.camera(e.getEventId()));
    r.setSource(Source.CAMERA);
    r.setType(e.getType());
    r.setTs(e.getTs());
    r.setConfidence(e.getConfidence());
    r.setObjectCount(e.getObjectCount());
    r.setDeviceId(e.getCameraId());
    r.setAttributes(pseudonymiser.attributes(e.getAttributes()));
    r.setReceivedAt(e.getReceivedAt());
    return place(ref, at, r);
  }

  public Parsed<Record> sensor(SensorReading s, ReferenceData.Snapshot ref) {
    Placed at = ofDevice(ref, s.getDeviceId());
    if (at == null) {
      return Parsed.rejected(
          Reason.UNKNOWN_DEVICE, "sensor " + s.getDeviceId() + " is not in the device registry");
    }
    Record r = new Record();
    r.setRecordId(RecordIds.sensor(s.getDeviceId(), s.getType(), s.getTs().toEpochMilli()));
    r.setSource(Source.SENSOR);
    r.setType(s.getType());
    r.setTs(s.getTs());
    r.setValue(s.getValue());
    r.setBattery(s.getBattery());
    r.setDeviceId(s.getDeviceId());
    r.setAttributes(Map.of());
    r.setReceivedAt(s.getReceivedAt());
    return place(ref, at, r);
  }

  public Parsed<Record> department(DepartmentRecord d, ReferenceData.Snapshot ref) {
    Placed at = null;
    if (d.getLat() != null && d.getLon() != null) {
      at = new Placed(d.getLat(), d.getLon(), null);
    } else if (d.getAddressCode() != null) {
      Optional<AddressRegistry.Address> a = ref.addresses().find(d.getAddressCode());
      if (a.isPresent()) at = new Placed(a.get().lat(), a.get().lon(), null);
    }
    if (at == null) {
      return Parsed.rejected(
          Reason.UNKNOWN_ADDRESS,
          "address "
              + d.getAddressCode()
              + " is not in the address registry and the record has no lat/lon");
    }
    Map<String, String> attributes = pseudonymiser.attributes(d.getAttributes());
    if (d.getAddressCode() != null) attributes.put("addressCode", d.getAddressCode());
    Record r = new Record();
    r.setRecordId(RecordIds.department(d.getRecordId()));
    r.setSource(Source.DEPARTMENT);
    r.setType(d.getRecordType());
    r.setDepartment(d.getDepartment());
    r.setTs(d.getTs());
    r.setSubjectRef(pseudonymiser.subjectRef(d.getSubjectId()));
    r.setAttributes(attributes);
    r.setReceivedAt(d.getReceivedAt());
    return place(ref, at, r);
  }

  /** A position, with its grid when already known (a registered device's). */
  private record Placed(double lat, double lon, Grid grid) {}

  private static Placed ofDevice(ReferenceData.Snapshot ref, String deviceId) {
    Optional<DeviceRegistry.Device> d = ref.devices().find(deviceId);
    return d.map(x -> new Placed(x.lat(), x.lon(), ref.deviceGrids().get(deviceId))).orElse(null);
  }

  /**
   * Completes the record with its position and grid; fields not set stay null, as the schema
   * allows.
   */
  private static Parsed<Record> place(ReferenceData.Snapshot ref, Placed at, Record r) {
    Grid g = at.grid() != null ? at.grid() : ref.grids().locate(at.lat(), at.lon()).orElse(null);
    if (g == null) {
      return Parsed.rejected(
          Reason.OUT_OF_AREA, "lat " + at.lat() + ", lon " + at.lon() + " is outside every grid");
    }
    r.setLat(at.lat());
    r.setLon(at.lon());
    r.setGridId(g.gridId());
    r.setGridKind(g.kind().name());
    r.setDistrict(g.district());
    r.setStreet(g.street());
    r.setCommunity(g.community());
    return Parsed.ok(r);
  }
}
