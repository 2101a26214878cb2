package org.gridfusion.simulator.district;

import java.util.EnumMap;
import java.util.Map;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;

/**
 * Mean number of cameras and of each sensor type per grid, by grid kind. Loosely modelled on what a
 * city installs: smoke detectors everywhere, gas detectors where there are kitchens, boilers or
 * process gas, manhole tilt sensors along streets, water gauges at low points and in parks.
 * WATER_LEVEL in basic grids and DOOR (one per elderly person living alone) are decided by the
 * generator, not here.
 */
final class DeviceMix {
  private static final Map<GridKind, Double> CAMERAS = new EnumMap<>(GridKind.class);
  private static final Map<GridKind, Map<SensorType, Double>> SENSORS =
      new EnumMap<>(GridKind.class);

  static {
    CAMERAS.put(GridKind.SCHOOL, 4.0);
    CAMERAS.put(GridKind.HOSPITAL, 4.0);
    CAMERAS.put(GridKind.MARKET, 3.0);
    CAMERAS.put(GridKind.BUSINESS, 3.0);
    CAMERAS.put(GridKind.PARK, 2.0);
    CAMERAS.put(GridKind.INDUSTRIAL, 2.0);

    sensors(GridKind.BASIC, 2.5, 1.5, 0, 1.5, 1.0, 0.5, 0.3, 1.0);
    sensors(GridKind.SCHOOL, 4.0, 1.0, 0, 0.5, 1.0, 1.0, 1.0, 1.0);
    sensors(GridKind.HOSPITAL, 5.0, 1.0, 0, 0.5, 0, 2.0, 0.5, 2.0);
    sensors(GridKind.MARKET, 3.0, 2.0, 0, 1.0, 1.0, 0.5, 0, 2.0);
    sensors(GridKind.BUSINESS, 4.0, 0.5, 0, 0, 0.5, 1.0, 0, 2.0);
    sensors(GridKind.PARK, 0.5, 0, 1.0, 1.0, 1.0, 0, 1.0, 0);
    sensors(GridKind.INDUSTRIAL, 3.0, 3.0, 0, 1.0, 1.0, 2.0, 1.0, 3.0);
  }

  private DeviceMix() {}

  private static void sensors(
      GridKind kind,
      double smoke,
      double gas,
      double waterLevel,
      double manhole,
      double noise,
      double temperature,
      double pm25,
      double current) {
    Map<SensorType, Double> m = new EnumMap<>(SensorType.class);
    m.put(SensorType.SMOKE, smoke);
    m.put(SensorType.GAS, gas);
    m.put(SensorType.WATER_LEVEL, waterLevel);
    m.put(SensorType.MANHOLE_TILT, manhole);
    m.put(SensorType.NOISE, noise);
    m.put(SensorType.TEMPERATURE, temperature);
    m.put(SensorType.PM25, pm25);
    m.put(SensorType.ELECTRIC_CURRENT, current);
    SENSORS.put(kind, m);
  }

  /** Mean cameras of a dedicated grid; basic grids take {@link Densities#camerasPerBasicGrid()}. */
  static double cameras(GridKind kind) {
    return CAMERAS.getOrDefault(kind, 0.0);
  }

  /** Mean sensors of the type, 0 for DOOR (those follow the elderly). */
  static double sensors(GridKind kind, SensorType type) {
    return SENSORS.get(kind).getOrDefault(type, 0.0);
  }
}
