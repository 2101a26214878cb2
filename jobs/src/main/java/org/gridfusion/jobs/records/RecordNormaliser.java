package org.gridfusion.jobs.records;

import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
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
 * device's, else its address's), place it in its grid, pseudonymise it (contract §1, §3, §4).
 * Pure apart from the reference snapshot it is given, so it is tested without Flink.
 */
public final class RecordNormaliser {
  private final Pseudonymiser pseudonymiser;

  public RecordNormaliser(Pseudonymiser pseudonymiser) {
    this.pseudonymiser = pseudonymiser;
  }

  public Parsed<Record> camera(CameraEvent e, ReferenceData.Snapshot ref) {
    double[] pos = position(e.getLat(), e.getLon(), ref.devices(), e.getCameraId());
    if (pos == null) {
      return Parsed.rejected(Reason.UNKNOWN_DEVICE, "camera " + e.getCameraId() + " is not in the device registry and the event has no lat/lon");
    }
    Map<String, String> attributes = pseudonymiser.attributes(e.getAttributes());
    return place(ref, pos, Record.newBuilder()
        .setRecordId(RecordIds.camera(e.getEventId()))
        .setSource(Source.CAMERA)
        .setType(e.getType())
        .setTs(e.getTs())
        .setConfidence(e.getConfidence())
        .setObjectCount(e.getObjectCount())
        .setDeviceId(e.getCameraId())
        .setAttributes(attributes)
        .setReceivedAt(e.getReceivedAt()));
  }

  public Parsed<Record> sensor(SensorReading r, ReferenceData.Snapshot ref) {
    double[] pos = position(null, null, ref.devices(), r.getDeviceId());
    if (pos == null) {
      return Parsed.rejected(Reason.UNKNOWN_DEVICE, "sensor " + r.getDeviceId() + " is not in the device registry");
    }
    return place(ref, pos, Record.newBuilder()
        .setRecordId(RecordIds.sensor(r.getDeviceId(), r.getType(), r.getTs().toEpochMilli()))
        .setSource(Source.SENSOR)
        .setType(r.getType())
        .setTs(r.getTs())
        .setValue(r.getValue())
        .setBattery(r.getBattery())
        .setDeviceId(r.getDeviceId())
        .setAttributes(Map.of())
        .setReceivedAt(r.getReceivedAt()));
  }

  public Parsed<Record> department(DepartmentRecord d, ReferenceData.Snapshot ref) {
    double[] pos = null;
    if (d.getLat() != null && d.getLon() != null) {
      pos = new double[] {d.getLat(), d.getLon()};
    } else if (d.getAddressCode() != null) {
      Optional<AddressRegistry.Address> a = ref.addresses().find(d.getAddressCode());
      if (a.isPresent()) pos = new double[] {a.get().lat(), a.get().lon()};
    }
    if (pos == null) {
      return Parsed.rejected(Reason.UNKNOWN_ADDRESS, "address " + d.getAddressCode() + " is not in the address registry and the record has no lat/lon");
    }
    Map<String, String> attributes = pseudonymiser.attributes(d.getAttributes());
    if (d.getAddressCode() != null) attributes.put("addressCode", d.getAddressCode());
    return place(ref, pos, Record.newBuilder()
        .setRecordId(RecordIds.department(d.getRecordId()))
        .setSource(Source.DEPARTMENT)
        .setType(d.getRecordType())
        .setDepartment(d.getDepartment())
        .setTs(d.getTs())
        .setSubjectRef(pseudonymiser.subjectRef(d.getSubjectId()))
        .setAttributes(attributes)
        .setReceivedAt(d.getReceivedAt()));
  }

  private static double[] position(Double lat, Double lon, DeviceRegistry devices, String deviceId) {
    if (lat != null && lon != null) return new double[] {lat, lon};
    return devices.find(deviceId).map(d -> new double[] {d.lat(), d.lon()}).orElse(null);
  }

  private static Parsed<Record> place(ReferenceData.Snapshot ref, double[] pos, Record.Builder b) {
    Optional<Grid> grid = ref.grids().locate(pos[0], pos[1]);
    if (grid.isEmpty()) {
      return Parsed.rejected(Reason.OUT_OF_AREA, "lat " + pos[0] + ", lon " + pos[1] + " is outside every grid");
    }
    Grid g = grid.get();
    return Parsed.ok(b.setLat(pos[0]).setLon(pos[1])
        .setGridId(g.gridId())
        .setGridKind(g.kind().name())
        .setDistrict(g.district())
        .setStreet(g.street())
        .setCommunity(g.community())
        .build());
  }
}
