package org.gridfusion.simulator.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.district.ContextRecord;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.Grid;
import org.gridfusion.simulator.format.Coordinates;
import org.gridfusion.simulator.format.Timestamps;
import org.gridfusion.simulator.traffic.Quality;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * Incidents for demos and end-to-end tests: each returns the inputs that make one default rule of
 * contract §5 fire at event time {@code at}, and the alert expected from them.
 *
 * <p>Without an explicit device, one is chosen from {@code at} (a different device for each minute),
 * so repeated incidents spread over the district; deterministic for a district and an instant. A
 * rule raises one alert per grid until it has been quiet for 30 minutes (§5), so two incidents of the
 * same rule in the same grid less than 30 minutes apart produce one alert.
 */
public final class Incidents {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private Incidents() {}

  /**
   * Water rising at a gauge: 9.5, 21, 27.5 cm in the quarter hour before {@code at}, then 56 cm at
   * {@code at}: WATERLOGGING, URGENT (at or above 50).
   */
  public static Incident waterlogging(District d, Instant at) {
    return waterlogging(d, at, choose(d.sensors(SensorType.WATER_LEVEL), at, "WATER_LEVEL sensor").deviceId());
  }

  public static Incident waterlogging(District d, Instant at, String deviceId) {
    Device gauge = sensor(d, deviceId, SensorType.WATER_LEVEL);
    List<TrafficItem> items = List.of(
        reading(gauge, at.minus(MINUTE.multipliedBy(15)), "9.5"),
        reading(gauge, at.minus(MINUTE.multipliedBy(10)), "21.0"),
        reading(gauge, at.minus(MINUTE.multipliedBy(5)), "27.5"),
        reading(gauge, at, "56.0"));
    return new Incident("waterlogging at " + deviceId, items,
        new GroundTruth("WATERLOGGING", gauge.gridId(), Severity.URGENT, at));
  }

  /** A manhole cover at rest (1.2 degrees), then knocked askew (18.5 degrees) at {@code at}: IMPORTANT. */
  public static Incident manholeDisplaced(District d, Instant at) {
    return manholeDisplaced(d, at, choose(d.sensors(SensorType.MANHOLE_TILT), at, "MANHOLE_TILT sensor").deviceId());
  }

  public static Incident manholeDisplaced(District d, Instant at, String deviceId) {
    Device tilt = sensor(d, deviceId, SensorType.MANHOLE_TILT);
    List<TrafficItem> items = List.of(reading(tilt, at.minus(MINUTE.multipliedBy(10)), "1.2"), reading(tilt, at, "18.5"));
    return new Incident("manhole displaced at " + deviceId, items,
        new GroundTruth("MANHOLE_DISPLACED", tilt.gridId(), Severity.IMPORTANT, at));
  }

  /** A camera sees someone fall, confidence 0.88 (the rule needs 0.7): FALL_DETECTED, IMPORTANT. */
  public static Incident fallDetected(District d, Instant at) {
    return fallDetected(d, at, choose(d.cameras(), at, "camera").deviceId());
  }

  public static Incident fallDetected(District d, Instant at, String cameraId) {
    Device camera = camera(d, cameraId);
    TrafficItem event = cameraEvent(camera, at, "FALL_DETECTED", "0.88", 1, "fall");
    return new Incident("fall seen by " + cameraId, List.of(event),
        new GroundTruth("FALL_DETECTED", camera.gridId(), Severity.IMPORTANT, at));
  }

  /**
   * A smoke detector at 14.5 %/m at {@code at} and, a minute later, a camera in the same grid seeing
   * fire at confidence 0.91: FIRE_CONFIRMED, URGENT.
   */
  public static Incident fireConfirmed(District d, Instant at) {
    List<Grid> candidates = d.grids().stream()
        .filter(g -> has(d, g, SensorType.SMOKE.name()) && has(d, g, Device.CAMERA_TYPE)).toList();
    Grid grid = choose(candidates, at, "grid with a smoke detector and a camera");
    Device smoke = d.devicesIn(grid.gridId()).stream().filter(x -> x.type().equals(SensorType.SMOKE.name()))
        .findFirst().orElseThrow();
    Device camera = d.devicesIn(grid.gridId()).stream().filter(Device::isCamera).findFirst().orElseThrow();
    List<TrafficItem> items = List.of(reading(smoke, at, "14.50"),
        cameraEvent(camera, at.plus(MINUTE), "FIRE_SMOKE", "0.91", 0, "fire"));
    return new Incident("fire in " + grid.gridId(), items,
        new GroundTruth("FIRE_CONFIRMED", grid.gridId(), Severity.URGENT, at));
  }

  /**
   * Two consecutive readings of one gas detector above 20 %LEL (24 ten seconds before {@code at}, 31.5
   * at {@code at}): GAS_LEAK, URGENT in a school or hospital grid or in a grid with a
   * HAZARDOUS_ENTERPRISE context record, IMPORTANT elsewhere. The URGENT case assumes the district's
   * context records were loaded.
   */
  public static Incident gasLeak(District d, Instant at) {
    return gasLeak(d, at, choose(d.sensors(SensorType.GAS), at, "GAS sensor").deviceId());
  }

  public static Incident gasLeak(District d, Instant at, String deviceId) {
    Device detector = sensor(d, deviceId, SensorType.GAS);
    Grid grid = d.grid(detector.gridId()).orElseThrow();
    boolean hazardous = d.contextRecords(ContextRecord.HAZARDOUS_ENTERPRISE).stream()
        .anyMatch(r -> r.gridId().equals(grid.gridId()));
    Severity severity = Set.of(GridKind.SCHOOL, GridKind.HOSPITAL).contains(grid.kind()) || hazardous
        ? Severity.URGENT : Severity.IMPORTANT;
    // Ten seconds apart, as a detector in alarm reports: no everyday reading falls in between.
    List<TrafficItem> items = List.of(reading(detector, at.minusSeconds(10), "24.0"), reading(detector, at, "31.5"));
    return new Incident("gas leak at " + deviceId, items,
        new GroundTruth("GAS_LEAK", grid.gridId(), severity, at));
  }

  /** Every incident above, {@code spacing} apart from {@code first}: a compact end-to-end check. */
  public static List<Incident> oneOfEach(District d, Instant first, Duration spacing) {
    List<Incident> out = new ArrayList<>();
    out.add(waterlogging(d, first));
    out.add(manholeDisplaced(d, first.plus(spacing)));
    out.add(fallDetected(d, first.plus(spacing.multipliedBy(2))));
    out.add(fireConfirmed(d, first.plus(spacing.multipliedBy(3))));
    out.add(gasLeak(d, first.plus(spacing.multipliedBy(4))));
    return out;
  }

  private static boolean has(District d, Grid g, String type) {
    return d.devicesIn(g.gridId()).stream().anyMatch(x -> x.type().equals(type));
  }

  private static <T> T choose(List<T> options, Instant at, String what) {
    if (options.isEmpty()) throw new IllegalStateException("the district has no " + what);
    return options.get((int) Math.floorMod(at.getEpochSecond() / 60, (long) options.size()));
  }

  private static Device sensor(District d, String deviceId, SensorType type) {
    Device device = d.device(deviceId).orElseThrow(() -> new IllegalArgumentException("no device " + deviceId));
    if (!type.name().equals(device.type())) {
      throw new IllegalArgumentException(deviceId + " is a " + device.type() + ", not a " + type);
    }
    return device;
  }

  private static Device camera(District d, String cameraId) {
    Device device = d.device(cameraId).orElseThrow(() -> new IllegalArgumentException("no device " + cameraId));
    if (!device.isCamera()) throw new IllegalArgumentException(cameraId + " is not a camera");
    return device;
  }

  private static TrafficItem reading(Device sensor, Instant ts, String value) {
    String payload = "{\"ts\":\"" + Timestamps.chinaMillis(ts) + "\",\"value\":" + value + ",\"battery\":80}";
    return new TrafficItem(TrafficSource.SENSOR, ts, "gf/sensors/" + sensor.type() + "/" + sensor.deviceId(),
        payload, Quality.GOOD, null, sensor.gridId(), sensor.type());
  }

  private static TrafficItem cameraEvent(Device camera, Instant ts, String type, String confidence, int objectCount,
      String tag) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("eventId", "inc-" + tag + "-" + camera.deviceId() + "-" + ts.toEpochMilli());
    o.put("cameraId", camera.deviceId());
    o.put("type", type);
    o.put("ts", Timestamps.utcMillis(ts));
    o.put("confidence", new BigDecimal(confidence));
    o.put("objectCount", objectCount);
    o.put("lat", Coordinates.decimal(camera.lat()));
    o.put("lon", Coordinates.decimal(camera.lon()));
    o.putObject("attributes");
    return new TrafficItem(TrafficSource.CAMERA, ts, null, Json.write(o), Quality.GOOD, null, camera.gridId(), type);
  }
}
