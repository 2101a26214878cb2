package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.Grid;

/**
 * What the pipeline would make of a message, by the contract's own parser plus the reference-data
 * checks of §1/§3: the dead-letter reason, or the grid it lands in.
 */
public final class ContractCheck {
  public record Outcome(Reason reason, String gridId) {}

  private final District district;
  private final InputParsers parsers = new InputParsers(TimeWindow.CONTRACT_DEFAULT);

  public ContractCheck(District district) {
    this.district = district;
  }

  /** Received a second after its event time, as a live pipeline would. */
  public Outcome check(TrafficItem item) {
    long receivedAt = item.eventTime().toEpochMilli() + 1000;
    return switch (item.source()) {
      case SENSOR -> sensor(item, receivedAt);
      case CAMERA -> camera(item, receivedAt);
      case DEPARTMENT -> department(item, receivedAt);
    };
  }

  private Outcome sensor(TrafficItem item, long receivedAt) {
    Parsed<SensorReading> p = parsers.sensorReading(item.topic(), item.payload(), receivedAt);
    if (p instanceof Parsed.Rejected<SensorReading> r) return rejected(r.rejection().reason());
    SensorReading reading = ((Parsed.Ok<SensorReading>) p).value();
    return district
        .device(reading.getDeviceId())
        .map(d -> new Outcome(null, d.gridId()))
        .orElse(rejected(Reason.UNKNOWN_DEVICE));
  }

  private Outcome camera(TrafficItem item, long receivedAt) {
    Parsed<JsonNode> json = InputParsers.json(item.payload());
    if (json instanceof Parsed.Rejected<JsonNode> r) return rejected(r.rejection().reason());
    Parsed<CameraEvent> p = parsers.cameraEvent(((Parsed.Ok<JsonNode>) json).value(), receivedAt);
    if (p instanceof Parsed.Rejected<CameraEvent> r) return rejected(r.rejection().reason());
    CameraEvent e = ((Parsed.Ok<CameraEvent>) p).value();
    if (e.getLat() == null) {
      return district
          .device(e.getCameraId())
          .map(Device::gridId)
          .map(g -> new Outcome(null, g))
          .orElse(rejected(Reason.UNKNOWN_DEVICE));
    }
    return locate(e.getLat(), e.getLon());
  }

  private Outcome department(TrafficItem item, long receivedAt) {
    Parsed<JsonNode> json = InputParsers.json(item.payload());
    if (json instanceof Parsed.Rejected<JsonNode> r) return rejected(r.rejection().reason());
    Parsed<DepartmentRecord> p =
        parsers.departmentRecord(((Parsed.Ok<JsonNode>) json).value(), receivedAt, "test");
    if (p instanceof Parsed.Rejected<DepartmentRecord> r) return rejected(r.rejection().reason());
    DepartmentRecord rec = ((Parsed.Ok<DepartmentRecord>) p).value();
    if (rec.getLat() != null) return locate(rec.getLat(), rec.getLon());
    return district
        .address(rec.getAddressCode())
        .map(a -> new Outcome(null, a.gridId()))
        .orElse(rejected(Reason.UNKNOWN_ADDRESS));
  }

  private Outcome locate(double lat, double lon) {
    return district
        .gridAt(lat, lon)
        .map(Grid::gridId)
        .map(g -> new Outcome(null, g))
        .orElse(rejected(Reason.OUT_OF_AREA));
  }

  private static Outcome rejected(Reason reason) {
    return new Outcome(reason, null);
  }
}
