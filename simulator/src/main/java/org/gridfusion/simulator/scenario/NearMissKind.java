package org.gridfusion.simulator.scenario;

import static org.gridfusion.simulator.scenario.Incidents.MINUTE;
import static org.gridfusion.simulator.scenario.Incidents.cameraEvent;
import static org.gridfusion.simulator.scenario.Incidents.reading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.traffic.Quality;
import org.gridfusion.simulator.traffic.TrafficItem;

/**
 * The near misses a scenario file can name ({@code nearMisses[].kind}), one per way of just missing
 * a default rule of contract §5. Each is built around one device ({@link #device()}: a sensor type
 * or {@code CAMERA}); {@code at} is the event time of its last input.
 */
public enum NearMissKind {
  /** 12, 21.5, then 29.9 cm: a tenth under the 30 cm of WATERLOGGING. */
  WATERLOGGING_BELOW_THRESHOLD(SensorType.WATER_LEVEL.name(), "WATERLOGGING") {
    @Override
    List<TrafficItem> items(District d, Device gauge, Instant at) {
      return List.of(
          reading(gauge, at.minus(MINUTE.multipliedBy(10)), "12.0"),
          reading(gauge, at.minus(MINUTE.multipliedBy(5)), "21.5"),
          reading(gauge, at, "29.9"));
    }
  },
  /** 14.9 degrees: a tenth under the 15 of MANHOLE_DISPLACED. */
  MANHOLE_BELOW_THRESHOLD(SensorType.MANHOLE_TILT.name(), "MANHOLE_DISPLACED") {
    @Override
    List<TrafficItem> items(District d, Device tilt, Instant at) {
      return List.of(
          reading(tilt, at.minus(MINUTE.multipliedBy(10)), "1.1"), reading(tilt, at, "14.9"));
    }
  },
  /** A fall seen at confidence 0.69, under the 0.7 of FALL_DETECTED. */
  FALL_LOW_CONFIDENCE(Device.CAMERA_TYPE, "FALL_DETECTED") {
    @Override
    List<TrafficItem> items(District d, Device camera, Instant at) {
      return List.of(cameraEvent(camera, at, "FALL_DETECTED", "0.69", 1, "fall-miss"));
    }
  },
  /**
   * Smoke at 9.9 %/m and a camera's FIRE_SMOKE at 0.79 a minute apart: neither side of the fire
   * rules matches.
   */
  FIRE_BELOW_THRESHOLD(SensorType.SMOKE.name(), "FIRE_CONFIRMED", "FIRE_SUSPECTED") {
    @Override
    List<TrafficItem> items(District d, Device smoke, Instant at) {
      Device camera = Incidents.first(d, smoke.gridId(), Device.CAMERA_TYPE);
      return List.of(
          cameraEvent(camera, at.minus(MINUTE), "FIRE_SMOKE", "0.79", 0, "fire-miss"),
          reading(smoke, at, "9.90"));
    }
  },
  /**
   * Smoke at 14.5 %/m, then a camera seeing fire at 0.91 six minutes later: outside the 5-minute
   * window, so no FIRE_CONFIRMED. Each is a FIRE_SUSPECTED firing, and the two fall into one alert
   * (same rule and grid within 30 minutes, §5), dated by the smoke and known once its window has
   * closed.
   */
  FIRE_PARTNER_TOO_LATE(SensorType.SMOKE.name(), "FIRE_CONFIRMED") {
    @Override
    List<TrafficItem> items(District d, Device smoke, Instant at) {
      Device camera = Incidents.first(d, smoke.gridId(), Device.CAMERA_TYPE);
      return List.of(
          reading(smoke, at.minus(MINUTE.multipliedBy(6)), "14.50"),
          cameraEvent(camera, at, "FIRE_SMOKE", "0.91", 0, "fire-late"));
    }

    @Override
    Optional<GroundTruth> raises(District d, Device smoke, Instant at) {
      Instant smoked = at.minus(MINUTE.multipliedBy(6));
      return Optional.of(
          new GroundTruth(
              "FIRE_SUSPECTED",
              smoke.gridId(),
              Severity.IMPORTANT,
              smoked,
              smoked.plus(Incidents.FIRE_PARTNER_WINDOW)));
    }
  },
  /** 24, 18.5, 25 %LEL ten seconds apart: two readings over 20, but never two in a row. */
  GAS_NOT_CONSECUTIVE(SensorType.GAS.name(), "GAS_LEAK") {
    @Override
    List<TrafficItem> items(District d, Device detector, Instant at) {
      return List.of(
          reading(detector, at.minusSeconds(20), "24.0"),
          reading(detector, at.minusSeconds(10), "18.5"),
          reading(detector, at, "25.0"));
    }
  },
  /**
   * Two crowds of 80 and one of 49 within two minutes: only two count toward the three of
   * CROWD_GATHERING.
   */
  CROWD_TOO_FEW(Device.CAMERA_TYPE, "CROWD_GATHERING") {
    @Override
    List<TrafficItem> items(District d, Device camera, Instant at) {
      return List.of(
          cameraEvent(camera, at.minus(MINUTE.multipliedBy(2)), "CROWD", "0.90", 80, "crowd-few"),
          cameraEvent(camera, at.minus(MINUTE), "CROWD", "0.90", 80, "crowd-few"),
          cameraEvent(camera, at, "CROWD", "0.90", 49, "crowd-few"));
    }
  },
  /** Three crowds of 60 spread over 10.5 minutes: no 10-minute window holds all three. */
  CROWD_TOO_SPREAD(Device.CAMERA_TYPE, "CROWD_GATHERING") {
    @Override
    List<TrafficItem> items(District d, Device camera, Instant at) {
      return List.of(
          cameraEvent(
              camera, at.minus(Duration.ofSeconds(630)), "CROWD", "0.90", 60, "crowd-spread"),
          cameraEvent(
              camera, at.minus(Duration.ofSeconds(315)), "CROWD", "0.90", 60, "crowd-spread"),
          cameraEvent(camera, at, "CROWD", "0.90", 60, "crowd-spread"));
    }
  },
  /** Five vendors sixteen minutes apart: any hour holds four, one short of STREET_VENDING. */
  STREET_VENDING_TOO_SPREAD(Device.CAMERA_TYPE, "STREET_VENDING") {
    @Override
    List<TrafficItem> items(District d, Device camera, Instant at) {
      List<TrafficItem> items = new ArrayList<>();
      for (int i = 4; i >= 0; i--) {
        items.add(
            cameraEvent(
                camera,
                at.minus(MINUTE.multipliedBy(16L * i)),
                "STREET_VENDING",
                "0.85",
                1,
                "vending-spread"));
      }
      return items;
    }
  },
  /** 74-78 dBA at night for 25 minutes, five short of NIGHT_NOISE's half hour. */
  NIGHT_NOISE_TOO_SHORT(SensorType.NOISE.name(), "NIGHT_NOISE") {
    @Override
    List<TrafficItem> items(District d, Device meter, Instant at) {
      Instant from = at.minus(MINUTE.multipliedBy(25));
      Incidents.requireNight(from, at, name());
      return Incidents.loudReadings(meter, from, at);
    }
  },
  /**
   * 74-78 dBA for half an hour by day: loud enough and long enough, but not between 22:00 and
   * 06:00.
   */
  NIGHT_NOISE_BY_DAY(SensorType.NOISE.name(), "NIGHT_NOISE") {
    @Override
    List<TrafficItem> items(District d, Device meter, Instant at) {
      Instant from = at.minus(Incidents.NIGHT_NOISE_SPAN);
      for (Instant t = from; !t.isAfter(at); t = t.plus(MINUTE)) {
        if (Incidents.isNight(t))
          throw new IllegalArgumentException(
              name() + " must lie wholly outside 22:00-06:00 local time");
      }
      return Incidents.loudReadings(meter, from, at);
    }
  },
  /** 29, 29.9, 29, 29.9 cm a minute apart: flapping just under the 30 cm of WATERLOGGING. */
  WATERLOGGING_FLAPPING_BELOW(SensorType.WATER_LEVEL.name(), "WATERLOGGING") {
    @Override
    List<TrafficItem> items(District d, Device gauge, Instant at) {
      return List.of(
          reading(gauge, at.minus(MINUTE.multipliedBy(3)), "29.0"),
          reading(gauge, at.minus(MINUTE.multipliedBy(2)), "29.9"),
          reading(gauge, at.minus(MINUTE), "29.0"),
          reading(gauge, at, "29.9"));
    }
  },
  /**
   * A temperature sensor silent for 2 h 50 min, ten minutes short of its 3 h allowance, then heard
   * at {@code at}: no DEVICE_OFFLINE.
   */
  DEVICE_SILENT_WITHIN_ALLOWANCE(SensorType.TEMPERATURE.name(), "DEVICE_OFFLINE") {
    @Override
    List<TrafficItem> items(District d, Device sensor, Instant at) {
      return List.of(
          reading(
              sensor, at.minus(Incidents.SENSOR_SILENCE.minus(MINUTE.multipliedBy(10))), "20.5"),
          reading(sensor, at, "21.0"));
    }
  },
  /**
   * A fall (confidence 0.88) from a camera whose clock runs 12 minutes ahead, delivered at {@code
   * at}: beyond the 10-minute tolerance of §3, so it is dead-lettered TS_IN_FUTURE and raises no
   * FALL_DETECTED. Only meaningful when the input reaches the connector at {@code at} (played in
   * the present, or delivered at its event time as the jobs module's tests do).
   */
  CLOCK_AHEAD_BEYOND_TOLERANCE(Device.CAMERA_TYPE, "FALL_DETECTED") {
    @Override
    List<TrafficItem> items(District d, Device camera, Instant at) {
      TrafficItem ahead =
          cameraEvent(
              camera,
              at.plus(Incidents.MAX_FUTURE).plus(MINUTE.multipliedBy(2)),
              "FALL_DETECTED",
              "0.88",
              1,
              "fall-ahead");
      return List.of(
          new TrafficItem(
              ahead.source(),
              at,
              ahead.topic(),
              ahead.payload(),
              Quality.BAD,
              Reason.TS_IN_FUTURE,
              ahead.gridId(),
              ahead.type()));
    }
  },
  /**
   * Cold start (contract §10): an elderly person registered five days before {@code at}, whose grid
   * the pipeline first observes 23 hours before {@code at} (a PM2.5 or current reading) and whose
   * door is first heard at {@code at}. Counted from the registration, the silence would be days;
   * observed, it is 23 hours: no ELDERLY_INACTIVE. Background traffic must leave the door alone
   * until {@code at} and the run must end less than a day after the grid was first observed or the
   * door last heard.
   */
  ELDERLY_COLD_START(SensorType.DOOR.name(), "ELDERLY_INACTIVE") {
    @Override
    List<TrafficItem> items(District d, Device door, Instant at) {
      return List.of(
          Incidents.elderlyRegistration(door, at.minus(Duration.ofDays(5))),
          reading(observer(d, door), at.minus(Duration.ofHours(23)), "35.0"),
          reading(door, at, "1"));
    }

    @Override
    public boolean accepts(District d, Device device) {
      return super.accepts(d, device) && observer(d, device) != null;
    }
  };

  /** A sensor beside {@code door} that no default rule reads, to mark its grid observed. */
  private static Device observer(District d, Device door) {
    return d.devicesIn(door.gridId()).stream()
        .filter(
            x ->
                x.type().equals(SensorType.PM25.name())
                    || x.type().equals(SensorType.ELECTRIC_CURRENT.name()))
        .findFirst()
        .orElse(null);
  }

  private final String device;
  private final List<String> mustNotRaise;

  NearMissKind(String device, String... mustNotRaise) {
    this.device = device;
    this.mustNotRaise = List.of(mustNotRaise);
  }

  /** The device type the near miss is built around: a sensor type, or {@code CAMERA}. */
  public String device() {
    return device;
  }

  /** The rule whose near miss this is; a scenario keeps it apart from that rule's other entries. */
  public String rule() {
    return mustNotRaise.get(0);
  }

  /**
   * Whether the near miss can be built around {@code device} (the fire ones need a camera beside
   * the smoke detector).
   */
  public boolean accepts(District d, Device device) {
    return device.type().equals(this.device)
        && (!this.device.equals(SensorType.SMOKE.name())
            || d.devicesIn(device.gridId()).stream().anyMatch(Device::isCamera));
  }

  public NearMiss build(District d, Device device, Instant at) {
    if (!accepts(d, device)) {
      throw new IllegalArgumentException(
          name()
              + " needs a "
              + this.device
              + (this.device.equals(SensorType.SMOKE.name()) ? " in a grid with a camera" : "")
              + ", not "
              + device.deviceId()
              + " ("
              + device.type()
              + " in "
              + device.gridId()
              + ")");
    }
    return new NearMiss(
        this,
        name() + " at " + device.deviceId(),
        items(d, device, at),
        mustNotRaise,
        raises(d, device, at));
  }

  abstract List<TrafficItem> items(District d, Device device, Instant at);

  Optional<GroundTruth> raises(District d, Device device, Instant at) {
    return Optional.empty();
  }
}
