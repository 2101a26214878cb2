package org.gridfusion.simulator.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>Without an explicit device, one is chosen from {@code at} (a different device for each
 * minute), so repeated incidents spread over the district; deterministic for a district and an
 * instant. A rule raises one alert per grid until it has been quiet for 30 minutes (§5), so two
 * incidents of the same rule in the same grid less than 30 minutes apart produce one alert.
 */
public final class Incidents {
  static final Duration MINUTE = Duration.ofMinutes(1);

  /** §5: FIRE_CONFIRMED partners are within 5 minutes; FIRE_SUSPECTED waits that long. */
  static final Duration FIRE_PARTNER_WINDOW = Duration.ofMinutes(5);

  static final Duration ELDERLY_SILENCE = Duration.ofHours(24);

  /**
   * Silence a sensor is allowed before it is DEVICE_OFFLINE ({@code devices.offline.after}, SENSOR
   * default), and how long a device's outage waits for the feed's verdict before it is raised alone
   * ({@code devices.offline.feedGrace}).
   */
  public static final Duration SENSOR_SILENCE = Duration.ofHours(3);

  public static final Duration FEED_GRACE = Duration.ofMinutes(2);

  /** How far ahead of the receiving connector's clock a {@code ts} may be (contract §3). */
  public static final Duration MAX_FUTURE = Duration.ofMinutes(10);

  static final Duration NIGHT_NOISE_SPAN = Duration.ofMinutes(30);
  private static final LocalTime NIGHT_FROM = LocalTime.of(22, 0);
  private static final LocalTime NIGHT_TO = LocalTime.of(6, 0);

  private Incidents() {}

  /**
   * Water rising at a gauge: 9.5, 21, 27.5 cm in the quarter hour before {@code at}, then 56 cm at
   * {@code at}: WATERLOGGING, URGENT (at or above 50).
   */
  public static Incident waterlogging(District d, Instant at) {
    return waterlogging(
        d, at, choose(d.sensors(SensorType.WATER_LEVEL), at, "WATER_LEVEL sensor").deviceId());
  }

  public static Incident waterlogging(District d, Instant at, String deviceId) {
    return waterlogging(d, at, deviceId, Severity.URGENT);
  }

  /**
   * As above, peaking at 56 cm for URGENT or at 49.9 cm, just under the URGENT level, for IMPORTANT
   * (the severity boundary is a near miss of its own).
   */
  public static Incident waterlogging(District d, Instant at, String deviceId, Severity severity) {
    if (severity == Severity.GENERAL)
      throw new IllegalArgumentException("WATERLOGGING is IMPORTANT or URGENT, never GENERAL");
    Device gauge = sensor(d, deviceId, SensorType.WATER_LEVEL);
    List<TrafficItem> items =
        List.of(
            reading(gauge, at.minus(MINUTE.multipliedBy(15)), "9.5"),
            reading(gauge, at.minus(MINUTE.multipliedBy(10)), "21.0"),
            reading(gauge, at.minus(MINUTE.multipliedBy(5)), "27.5"),
            reading(gauge, at, severity == Severity.URGENT ? "56.0" : "49.9"));
    return new Incident(
        "waterlogging at " + deviceId,
        items,
        new GroundTruth("WATERLOGGING", gauge.gridId(), severity, at));
  }

  /**
   * A manhole cover at rest (1.2 degrees), then knocked askew (18.5 degrees) at {@code at}:
   * IMPORTANT.
   */
  public static Incident manholeDisplaced(District d, Instant at) {
    return manholeDisplaced(
        d, at, choose(d.sensors(SensorType.MANHOLE_TILT), at, "MANHOLE_TILT sensor").deviceId());
  }

  public static Incident manholeDisplaced(District d, Instant at, String deviceId) {
    Device tilt = sensor(d, deviceId, SensorType.MANHOLE_TILT);
    List<TrafficItem> items =
        List.of(reading(tilt, at.minus(MINUTE.multipliedBy(10)), "1.2"), reading(tilt, at, "18.5"));
    return new Incident(
        "manhole displaced at " + deviceId,
        items,
        new GroundTruth("MANHOLE_DISPLACED", tilt.gridId(), Severity.IMPORTANT, at));
  }

  /** A camera sees someone fall, confidence 0.88 (the rule needs 0.7): FALL_DETECTED, IMPORTANT. */
  public static Incident fallDetected(District d, Instant at) {
    return fallDetected(d, at, choose(d.cameras(), at, "camera").deviceId());
  }

  public static Incident fallDetected(District d, Instant at, String cameraId) {
    Device camera = camera(d, cameraId);
    TrafficItem event = cameraEvent(camera, at, "FALL_DETECTED", "0.88", 1, "fall");
    return new Incident(
        "fall seen by " + cameraId,
        List.of(event),
        new GroundTruth("FALL_DETECTED", camera.gridId(), Severity.IMPORTANT, at));
  }

  /**
   * A smoke detector at 14.5 %/m at {@code at} and, a minute later, a camera in the same grid
   * seeing fire at confidence 0.91: FIRE_CONFIRMED, URGENT.
   */
  public static Incident fireConfirmed(District d, Instant at) {
    List<Grid> candidates =
        d.grids().stream()
            .filter(g -> has(d, g, SensorType.SMOKE.name()) && has(d, g, Device.CAMERA_TYPE))
            .toList();
    return fireConfirmed(
        d, at, choose(candidates, at, "grid with a smoke detector and a camera").gridId());
  }

  /** As above, with the first smoke detector and the first camera of {@code gridId}. */
  public static Incident fireConfirmed(District d, Instant at, String gridId) {
    Device smoke = first(d, gridId, SensorType.SMOKE.name());
    Device camera = first(d, gridId, Device.CAMERA_TYPE);
    List<TrafficItem> items =
        List.of(
            reading(smoke, at, "14.50"),
            cameraEvent(camera, at.plus(MINUTE), "FIRE_SMOKE", "0.91", 0, "fire"));
    return new Incident(
        "fire in " + gridId, items, new GroundTruth("FIRE_CONFIRMED", gridId, Severity.URGENT, at));
  }

  /**
   * A smoke detector at 12 %/m and no camera seeing fire: FIRE_SUSPECTED, IMPORTANT, dated by the
   * reading but raised only once the five-minute partner window has passed (§5).
   */
  public static Incident fireSuspected(District d, Instant at, String smokeDeviceId) {
    Device smoke = sensor(d, smokeDeviceId, SensorType.SMOKE);
    return new Incident(
        "smoke alone at " + smokeDeviceId,
        List.of(reading(smoke, at, "12.00")),
        new GroundTruth(
            "FIRE_SUSPECTED",
            smoke.gridId(),
            Severity.IMPORTANT,
            at,
            at.plus(FIRE_PARTNER_WINDOW)));
  }

  /**
   * Three CROWD events of 60, 64 and 71 people within eight minutes, the last at {@code at}:
   * CROWD_GATHERING, IMPORTANT; URGENT when {@code afterPoliceCall}, with an INCIDENT_REPORT in the
   * grid two hours before.
   */
  public static Incident crowdGathering(
      District d, Instant at, String cameraId, boolean afterPoliceCall) {
    Device camera = camera(d, cameraId);
    List<TrafficItem> items = new ArrayList<>();
    if (afterPoliceCall) {
      items.add(
          departmentRecord(
              camera,
              at.minus(Duration.ofHours(2)),
              "POLICE",
              "INCIDENT_REPORT",
              "category",
              "PUBLIC_ORDER"));
    }
    items.add(cameraEvent(camera, at.minus(MINUTE.multipliedBy(8)), "CROWD", "0.90", 60, "crowd"));
    items.add(cameraEvent(camera, at.minus(MINUTE.multipliedBy(4)), "CROWD", "0.90", 64, "crowd"));
    items.add(cameraEvent(camera, at, "CROWD", "0.90", 71, "crowd"));
    return new Incident(
        "crowd at " + cameraId + (afterPoliceCall ? " after a police call" : ""),
        items,
        new GroundTruth(
            "CROWD_GATHERING",
            camera.gridId(),
            afterPoliceCall ? Severity.URGENT : Severity.IMPORTANT,
            at));
  }

  /**
   * An elderly person living alone registered by civil affairs 24 hours before {@code at}, whose
   * door sensor reports once then (the door shut) and then nothing: ELDERLY_INACTIVE, IMPORTANT, at
   * {@code at}. The reading is what makes the silence observed (contract §10): without it the
   * pipeline counts a never-heard door's silence only from its grid's first record, however old the
   * registration. Any later reading of the door sensor (background traffic included) would postpone
   * the alert.
   */
  public static Incident elderlyInactive(District d, Instant at, String doorDeviceId) {
    Device door = sensor(d, doorDeviceId, SensorType.DOOR);
    Instant registered = at.minus(ELDERLY_SILENCE);
    TrafficItem record = elderlyRegistration(door, registered);
    return new Incident(
        "elderly person behind " + doorDeviceId + " silent for a day",
        List.of(record, reading(door, registered, "0")),
        new GroundTruth("ELDERLY_INACTIVE", door.gridId(), Severity.IMPORTANT, at));
  }

  /**
   * A CIVIL_AFFAIRS ELDERLY_LIVING_ALONE record dated {@code registered} naming {@code door} as the
   * resident's door sensor.
   */
  static TrafficItem elderlyRegistration(Device door, Instant registered) {
    ObjectNode o = departmentJson(door, registered, "CIVIL_AFFAIRS", "ELDERLY_LIVING_ALONE");
    // An 18-digit synthetic ID-card number: the pipeline must only ever store its keyed hash.
    o.put(
        "subjectId",
        String.format(
            Locale.ROOT,
            "1505021940%08d",
            Math.floorMod(registered.getEpochSecond(), 100_000_000L)));
    ((ObjectNode) o.get("attributes")).put("doorSensorId", door.deviceId()).put("name", "王秀英");
    return new TrafficItem(
        TrafficSource.DEPARTMENT,
        registered,
        null,
        Json.write(o),
        Quality.GOOD,
        null,
        door.gridId(),
        "ELDERLY_LIVING_ALONE");
  }

  /**
   * A dead device: a temperature sensor reports once, {@link #SENSOR_SILENCE} before {@code at},
   * and never again: DEVICE_OFFLINE (contract §10), GENERAL, dated {@code at} (its silence passed
   * the allowance) and raised once {@link #FEED_GRACE} has passed without a feed outage. Background
   * traffic must leave the sensor alone from its reading to then.
   */
  public static Incident deadDevice(District d, Instant at, String deviceId) {
    Device sensor = sensor(d, deviceId, SensorType.TEMPERATURE);
    return new Incident(
        "dead device " + deviceId,
        List.of(reading(sensor, at.minus(SENSOR_SILENCE), "21.5")),
        new GroundTruth(
            "DEVICE_OFFLINE", sensor.gridId(), Severity.GENERAL, at, at.plus(FEED_GRACE)));
  }

  /**
   * A water level flapping around the 30 cm line: 29, 31, 29, 31 cm a minute apart, the first 31 at
   * {@code at}: one WATERLOGGING alert, IMPORTANT, dated {@code at} (the readings under the line do
   * not close it, §5).
   */
  public static Incident waterloggingFlapping(District d, Instant at, String deviceId) {
    Device gauge = sensor(d, deviceId, SensorType.WATER_LEVEL);
    return new Incident(
        "water flapping at " + deviceId,
        List.of(
            reading(gauge, at.minus(MINUTE), "29.0"),
            reading(gauge, at, "31.0"),
            reading(gauge, at.plus(MINUTE), "29.0"),
            reading(gauge, at.plus(MINUTE.multipliedBy(2)), "31.0")),
        new GroundTruth("WATERLOGGING", gauge.gridId(), Severity.IMPORTANT, at));
  }

  /**
   * 74 to 78 dBA every five minutes for the half hour ending at {@code at}, all of it between 22:00
   * and 06:00 in {@link Timestamps#LOCAL_ZONE}: NIGHT_NOISE, GENERAL; IMPORTANT when {@code
   * afterDispute}, with a DISPUTE_REPORTED in the grid three hours before.
   */
  public static Incident nightNoise(District d, Instant at, String deviceId, boolean afterDispute) {
    Device meter = sensor(d, deviceId, SensorType.NOISE);
    requireNight(at.minus(NIGHT_NOISE_SPAN), at, "NIGHT_NOISE");
    List<TrafficItem> items = new ArrayList<>();
    if (afterDispute) {
      items.add(
          departmentRecord(
              meter,
              at.minus(Duration.ofHours(3)),
              "JUSTICE",
              "DISPUTE_REPORTED",
              "category",
              "FAMILY"));
    }
    items.addAll(loudReadings(meter, at.minus(NIGHT_NOISE_SPAN), at));
    return new Incident(
        "noise at " + deviceId + (afterDispute ? " after a dispute" : ""),
        items,
        new GroundTruth(
            "NIGHT_NOISE",
            meter.gridId(),
            afterDispute ? Severity.IMPORTANT : Severity.GENERAL,
            at));
  }

  /**
   * Five STREET_VENDING events twelve minutes apart, the last at {@code at}: STREET_VENDING,
   * GENERAL.
   */
  public static Incident streetVending(District d, Instant at, String cameraId) {
    Device camera = camera(d, cameraId);
    List<TrafficItem> items = new ArrayList<>();
    for (int i = 4; i >= 0; i--) {
      items.add(
          cameraEvent(
              camera,
              at.minus(MINUTE.multipliedBy(12L * i)),
              "STREET_VENDING",
              "0.85",
              1,
              "vending"));
    }
    return new Incident(
        "street vending at " + cameraId,
        items,
        new GroundTruth("STREET_VENDING", camera.gridId(), Severity.GENERAL, at));
  }

  /**
   * Two consecutive readings of one gas detector above 20 %LEL (24 ten seconds before {@code at},
   * 31.5 at {@code at}): GAS_LEAK, URGENT in a school or hospital grid or in a grid with a
   * HAZARDOUS_ENTERPRISE context record, IMPORTANT elsewhere. The URGENT case assumes the
   * district's context records were loaded.
   */
  public static Incident gasLeak(District d, Instant at) {
    return gasLeak(d, at, choose(d.sensors(SensorType.GAS), at, "GAS sensor").deviceId());
  }

  public static Incident gasLeak(District d, Instant at, String deviceId) {
    Device detector = sensor(d, deviceId, SensorType.GAS);
    Grid grid = d.grid(detector.gridId()).orElseThrow();
    boolean hazardous =
        d.contextRecords(ContextRecord.HAZARDOUS_ENTERPRISE).stream()
            .anyMatch(r -> r.gridId().equals(grid.gridId()));
    Severity severity =
        Set.of(GridKind.SCHOOL, GridKind.HOSPITAL).contains(grid.kind()) || hazardous
            ? Severity.URGENT
            : Severity.IMPORTANT;
    // Ten seconds apart, as a detector in alarm reports: no everyday reading falls in between.
    List<TrafficItem> items =
        List.of(reading(detector, at.minusSeconds(10), "24.0"), reading(detector, at, "31.5"));
    return new Incident(
        "gas leak at " + deviceId, items, new GroundTruth("GAS_LEAK", grid.gridId(), severity, at));
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

  /**
   * Loud readings (74-78 dBA, well over the 70 of §5) every five minutes from {@code from} to
   * {@code to}.
   */
  static List<TrafficItem> loudReadings(Device meter, Instant from, Instant to) {
    List<TrafficItem> items = new ArrayList<>();
    int i = 0;
    for (Instant t = from; !t.isAfter(to); t = t.plus(MINUTE.multipliedBy(5))) {
      items.add(reading(meter, t, String.valueOf(74 + (i++ % 5))));
    }
    return items;
  }

  /** Night hours of NIGHT_NOISE (22:00 to 06:00, contract §5) in the configured default zone. */
  static boolean isNight(Instant t) {
    LocalTime local = t.atZone(Timestamps.LOCAL_ZONE).toLocalTime();
    return !local.isBefore(NIGHT_FROM) || local.isBefore(NIGHT_TO);
  }

  static void requireNight(Instant from, Instant to, String what) {
    for (Instant t = from; !t.isAfter(to); t = t.plus(MINUTE)) {
      if (!isNight(t)) {
        throw new IllegalArgumentException(
            what
                + " needs readings between 22:00 and 06:00 "
                + Timestamps.LOCAL_ZONE
                + ", but "
                + from.atZone(Timestamps.LOCAL_ZONE).toLocalDateTime()
                + " to "
                + to.atZone(Timestamps.LOCAL_ZONE).toLocalDateTime()
                + " is not");
      }
    }
  }

  static Device first(District d, String gridId, String type) {
    if (d.grid(gridId).isEmpty()) throw new IllegalArgumentException("no grid " + gridId);
    return d.devicesIn(gridId).stream()
        .filter(x -> x.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("grid " + gridId + " has no " + type));
  }

  private static boolean has(District d, Grid g, String type) {
    return d.devicesIn(g.gridId()).stream().anyMatch(x -> x.type().equals(type));
  }

  private static <T> T choose(List<T> options, Instant at, String what) {
    if (options.isEmpty()) throw new IllegalStateException("the district has no " + what);
    return options.get((int) Math.floorMod(at.getEpochSecond() / 60, (long) options.size()));
  }

  static Device sensor(District d, String deviceId, SensorType type) {
    Device device =
        d.device(deviceId).orElseThrow(() -> new IllegalArgumentException("no device " + deviceId));
    if (!type.name().equals(device.type())) {
      throw new IllegalArgumentException(deviceId + " is a " + device.type() + ", not a " + type);
    }
    return device;
  }

  static Device camera(District d, String cameraId) {
    Device device =
        d.device(cameraId).orElseThrow(() -> new IllegalArgumentException("no device " + cameraId));
    if (!device.isCamera()) throw new IllegalArgumentException(cameraId + " is not a camera");
    return device;
  }

  /**
   * A reading of the type that no default rule of §5 judges (well inside the everyday range of
   * background traffic): a sign of life and nothing else.
   */
  static String harmless(SensorType type) {
    return switch (type) {
      case SMOKE -> "0.1";
      case GAS -> "0.5";
      case WATER_LEVEL -> "2.0";
      case MANHOLE_TILT -> "1.0";
      case NOISE -> "40.0";
      case DOOR -> "0";
      case TEMPERATURE -> "21.5";
      case PM25 -> "30.0";
      case ELECTRIC_CURRENT -> "10.0";
    };
  }

  static TrafficItem reading(Device sensor, Instant ts, String value) {
    String payload =
        "{\"ts\":\"" + Timestamps.chinaMillis(ts) + "\",\"value\":" + value + ",\"battery\":80}";
    return new TrafficItem(
        TrafficSource.SENSOR,
        ts,
        "gf/sensors/" + sensor.type() + "/" + sensor.deviceId(),
        payload,
        Quality.GOOD,
        null,
        sensor.gridId(),
        sensor.type());
  }

  static TrafficItem cameraEvent(
      Device camera, Instant ts, String type, String confidence, int objectCount, String tag) {
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
    return new TrafficItem(
        TrafficSource.CAMERA, ts, null, Json.write(o), Quality.GOOD, null, camera.gridId(), type);
  }

  /** A department event record located at {@code at}'s coordinates, with one attribute. */
  static TrafficItem departmentRecord(
      Device at, Instant ts, String department, String recordType, String key, String value) {
    ObjectNode o = departmentJson(at, ts, department, recordType);
    ((ObjectNode) o.get("attributes")).put(key, value);
    return new TrafficItem(
        TrafficSource.DEPARTMENT,
        ts,
        null,
        Json.write(o),
        Quality.GOOD,
        null,
        at.gridId(),
        recordType);
  }

  private static ObjectNode departmentJson(
      Device at, Instant ts, String department, String recordType) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put(
        "recordId",
        "inc-"
            + recordType.toLowerCase(Locale.ROOT)
            + "-"
            + at.deviceId()
            + "-"
            + ts.toEpochMilli());
    o.put("department", department);
    o.put("recordType", recordType);
    o.put("ts", Timestamps.chinaSeconds(ts));
    o.put("lat", Coordinates.decimal(at.lat()));
    o.put("lon", Coordinates.decimal(at.lon()));
    o.putObject("attributes");
    return o;
  }
}
