package org.gridfusion.common.contract;

/** Sensor types of contract §2.2, each with the unit of its {@code value}. */
public enum SensorType {
  SMOKE("obscuration %/m"),
  GAS("%LEL"),
  WATER_LEVEL("cm"),
  MANHOLE_TILT("degrees"),
  NOISE("dBA"),
  DOOR("1 opened, 0 closed"),
  TEMPERATURE("°C"),
  PM25("µg/m³"),
  ELECTRIC_CURRENT("A");

  private final String unit;

  SensorType(String unit) {
    this.unit = unit;
  }

  public String unit() {
    return unit;
  }

  public static boolean isKnown(String s) {
    return Enums.isKnown(SensorType.class, s);
  }
}
