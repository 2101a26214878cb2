package org.gridfusion.simulator.scenario;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.ContextRecord;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;

/**
 * The incidents a scenario file can ask for ({@code incidents[].rule} and {@code severity}): one
 * per default rule of contract §5 and severity it can take, each built by {@link Incidents} around
 * one device of the district.
 */
public enum IncidentKind {
  FIRE_CONFIRMED(
      "FIRE_CONFIRMED",
      Severity.URGENT,
      SensorType.SMOKE.name(),
      (d, smoke, at) -> Incidents.fireConfirmed(d, at, smoke.gridId())) {
    @Override
    boolean fits(District d, Device smoke) {
      return d.devicesIn(smoke.gridId()).stream().anyMatch(Device::isCamera);
    }
  },
  FIRE_SUSPECTED(
      "FIRE_SUSPECTED",
      Severity.IMPORTANT,
      SensorType.SMOKE.name(),
      (d, smoke, at) -> Incidents.fireSuspected(d, at, smoke.deviceId())),
  /** In a grid that is no school or hospital and has no hazardous enterprise on record. */
  GAS_LEAK_IMPORTANT(
      "GAS_LEAK",
      Severity.IMPORTANT,
      SensorType.GAS.name(),
      (d, detector, at) -> Incidents.gasLeak(d, at, detector.deviceId())) {
    @Override
    boolean fits(District d, Device detector) {
      return !sensitive(d, detector) && !hazardous(d, detector);
    }
  },
  /**
   * In a school or hospital grid. (A hazardous enterprise makes it URGENT too, but only if the
   * district's context records were loaded, which a scenario cannot know.)
   */
  GAS_LEAK_URGENT(
      "GAS_LEAK",
      Severity.URGENT,
      SensorType.GAS.name(),
      (d, detector, at) -> Incidents.gasLeak(d, at, detector.deviceId())) {
    @Override
    boolean fits(District d, Device detector) {
      return sensitive(d, detector);
    }
  },
  WATERLOGGING_IMPORTANT(
      "WATERLOGGING",
      Severity.IMPORTANT,
      SensorType.WATER_LEVEL.name(),
      (d, gauge, at) -> Incidents.waterlogging(d, at, gauge.deviceId(), Severity.IMPORTANT)),
  WATERLOGGING_URGENT(
      "WATERLOGGING",
      Severity.URGENT,
      SensorType.WATER_LEVEL.name(),
      (d, gauge, at) -> Incidents.waterlogging(d, at, gauge.deviceId(), Severity.URGENT)),
  MANHOLE_DISPLACED(
      "MANHOLE_DISPLACED",
      Severity.IMPORTANT,
      SensorType.MANHOLE_TILT.name(),
      (d, tilt, at) -> Incidents.manholeDisplaced(d, at, tilt.deviceId())),
  CROWD_GATHERING_IMPORTANT(
      "CROWD_GATHERING",
      Severity.IMPORTANT,
      Device.CAMERA_TYPE,
      (d, camera, at) -> Incidents.crowdGathering(d, at, camera.deviceId(), false)),
  /** After a police call (INCIDENT_REPORT) in the grid two hours before. */
  CROWD_GATHERING_URGENT(
      "CROWD_GATHERING",
      Severity.URGENT,
      Device.CAMERA_TYPE,
      (d, camera, at) -> Incidents.crowdGathering(d, at, camera.deviceId(), true)),
  ELDERLY_INACTIVE(
      "ELDERLY_INACTIVE",
      Severity.IMPORTANT,
      SensorType.DOOR.name(),
      (d, door, at) -> Incidents.elderlyInactive(d, at, door.deviceId())),
  NIGHT_NOISE_GENERAL(
      "NIGHT_NOISE",
      Severity.GENERAL,
      SensorType.NOISE.name(),
      (d, meter, at) -> Incidents.nightNoise(d, at, meter.deviceId(), false)),
  /** After a DISPUTE_REPORTED in the grid three hours before. */
  NIGHT_NOISE_IMPORTANT(
      "NIGHT_NOISE",
      Severity.IMPORTANT,
      SensorType.NOISE.name(),
      (d, meter, at) -> Incidents.nightNoise(d, at, meter.deviceId(), true)),
  STREET_VENDING(
      "STREET_VENDING",
      Severity.GENERAL,
      Device.CAMERA_TYPE,
      (d, camera, at) -> Incidents.streetVending(d, at, camera.deviceId())),
  FALL_DETECTED(
      "FALL_DETECTED",
      Severity.IMPORTANT,
      Device.CAMERA_TYPE,
      (d, camera, at) -> Incidents.fallDetected(d, at, camera.deviceId())),
  /**
   * A dead device (contract §10): a temperature sensor heard once, then silent past its allowance.
   */
  DEVICE_OFFLINE(
      "DEVICE_OFFLINE",
      Severity.GENERAL,
      SensorType.TEMPERATURE.name(),
      (d, sensor, at) -> Incidents.deadDevice(d, at, sensor.deviceId())),
  /**
   * Water flapping around the line, 29, 31, 29, 31 cm: exactly one alert. Named by {@code kind:}
   * only, since {@code rule: WATERLOGGING} means the plain incident.
   */
  WATERLOGGING_FLAPPING(
      "WATERLOGGING",
      Severity.IMPORTANT,
      SensorType.WATER_LEVEL.name(),
      (d, gauge, at) -> Incidents.waterloggingFlapping(d, at, gauge.deviceId())) {
    @Override
    public boolean variant() {
      return true;
    }
  };

  private static final Set<GridKind> SENSITIVE = Set.of(GridKind.SCHOOL, GridKind.HOSPITAL);

  private final String rule;
  private final Severity severity;
  private final String device;
  private final Maker maker;

  IncidentKind(String rule, Severity severity, String device, Maker maker) {
    this.rule = rule;
    this.severity = severity;
    this.device = device;
    this.maker = maker;
  }

  /** How a kind builds its incident around one device; {@link #build} has checked the device. */
  @FunctionalInterface
  private interface Maker {
    Incident make(District d, Device device, Instant at);
  }

  public String rule() {
    return rule;
  }

  public Severity severity() {
    return severity;
  }

  /** The device type the incident is built around: a sensor type, or {@code CAMERA}. */
  public String device() {
    return device;
  }

  /** The default rules of §5 (and DEVICE_OFFLINE, §10) that have incidents. */
  public static Set<String> rules() {
    return Arrays.stream(values())
        .map(IncidentKind::rule)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The kinds of a rule, lowest severity first (variants left out: they are asked for by name). */
  public static List<IncidentKind> of(String rule) {
    return Arrays.stream(values()).filter(k -> k.rule.equals(rule) && !k.variant()).toList();
  }

  /** Whether the kind is a variant of its rule's incident, asked for by {@code kind:}. */
  public boolean variant() {
    return false;
  }

  /** {@code RULE SEVERITY}, or the name of a variant. */
  public String label() {
    return variant() ? name() : rule + " " + severity;
  }

  /** Whether an incident of this kind built around {@code device} raises the alert it promises. */
  boolean fits(District d, Device device) {
    return true;
  }

  public Incident build(District d, Device device, Instant at) {
    if (!device.type().equals(this.device)) {
      throw new IllegalArgumentException(
          rule + " needs a " + this.device + ", " + device.deviceId() + " is a " + device.type());
    }
    if (!fits(d, device)) {
      throw new IllegalArgumentException(
          device.deviceId() + " in " + device.gridId() + " cannot raise " + rule + " " + severity);
    }
    return maker.make(d, device, at);
  }

  /** Whether {@code device} is one this kind can be built around. */
  public boolean accepts(District d, Device device) {
    return device.type().equals(this.device) && fits(d, device);
  }

  private static boolean sensitive(District d, Device x) {
    return d.grid(x.gridId()).map(g -> SENSITIVE.contains(g.kind())).orElse(false);
  }

  private static boolean hazardous(District d, Device x) {
    return d.contextRecords(ContextRecord.HAZARDOUS_ENTERPRISE).stream()
        .anyMatch(r -> r.gridId().equals(x.gridId()));
  }
}
