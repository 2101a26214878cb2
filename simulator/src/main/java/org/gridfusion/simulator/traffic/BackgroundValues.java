package org.gridfusion.simulator.traffic;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.SensorType;

/**
 * Everyday sensor values: each device has its own resting level, plus time-of-day and random
 * variation. Every value stays clear of the default alert thresholds of contract §5 (hard caps
 * below), so background traffic alone never raises an alert and every alert in a run comes from an
 * injected incident.
 */
final class BackgroundValues {
  /** FIRE rules fire at 10; kitchen steam and dust stay under 2. */
  static final double SMOKE_CAP = 1.9;

  /** GAS_LEAK fires at 20 %LEL; a cooker being lit shows a few %. */
  static final double GAS_CAP = 4.9;

  /** WATERLOGGING fires at 30 cm; puddles after rain reach the teens at most. */
  static final double WATER_LEVEL_CAP = 20;

  /** MANHOLE_DISPLACED fires at 15 degrees; covers sit within a few degrees. */
  static final double MANHOLE_TILT_CAP = 2.9;

  /** NIGHT_NOISE fires at 70 dBA; a busy street by day stays under 66. */
  static final double NOISE_CAP = 66;

  private BackgroundValues() {}

  /** A device's resting level, drawn once per device. */
  static double restingLevel(SensorType type, SplittableRandom r) {
    return switch (type) {
      case SMOKE -> 0.02 + r.nextDouble() * 0.28;
      case GAS -> r.nextDouble() * 1.5;
      case WATER_LEVEL -> r.nextDouble() * 6;
      case MANHOLE_TILT -> 0.2 + r.nextDouble() * 1.8;
      case NOISE -> r.nextDouble() * 6;
      case DOOR -> 0;
      case TEMPERATURE ->
          18 + r.nextDouble() * 6; // heated rooms through the Inner Mongolian winter
      case PM25 -> 15 + r.nextDouble() * 45;
      case ELECTRIC_CURRENT -> 3 + r.nextDouble() * 37;
    };
  }

  /**
   * A reading.
   *
   * @param localHour hour of day in China time, 0-23
   * @param doorOpen for DOOR, whether the door is now open
   * @param wetness how wet the streets are, 0-1 ({@link Weather#wetness})
   */
  static double value(
      SensorType type,
      double resting,
      int localHour,
      boolean doorOpen,
      double wetness,
      SplittableRandom r) {
    boolean day = localHour >= 7 && localHour < 22;
    double v =
        switch (type) {
          case SMOKE ->
              resting + r.nextDouble() * 0.5 + (r.nextInt(20) == 0 ? r.nextDouble() * 0.9 : 0);
          case GAS ->
              resting + r.nextDouble() * 1.5 + (r.nextInt(20) == 0 ? r.nextDouble() * 1.9 : 0);
          case WATER_LEVEL -> resting + wetness * 12 + r.nextDouble() * 2;
          case MANHOLE_TILT -> Math.max(0, resting + (r.nextDouble() - 0.5) * 0.4);
          case NOISE ->
              day ? 45 + resting * 2 + r.nextDouble() * 7 : 35 + resting * 1.5 + r.nextDouble() * 6;
          case DOOR -> doorOpen ? 1 : 0;
          case TEMPERATURE -> resting + (r.nextDouble() - 0.5) * 2;
          case PM25 -> resting + r.nextDouble() * 20;
          case ELECTRIC_CURRENT -> resting * (day ? 1.0 : 0.4) * (0.9 + r.nextDouble() * 0.2);
        };
    return Math.min(v, cap(type));
  }

  static double cap(SensorType type) {
    return switch (type) {
      case SMOKE -> SMOKE_CAP;
      case GAS -> GAS_CAP;
      case WATER_LEVEL -> WATER_LEVEL_CAP;
      case MANHOLE_TILT -> MANHOLE_TILT_CAP;
      case NOISE -> NOISE_CAP;
      default -> Double.MAX_VALUE;
    };
  }

  /** The value as JSON number text, with the precision the device reports. */
  static String text(SensorType type, double v) {
    int places =
        switch (type) {
          case DOOR, PM25 -> 0;
          case SMOKE -> 2;
          default -> 1;
        };
    return decimal(v, places);
  }

  static String decimal(double v, int places) {
    return BigDecimal.valueOf(Math.round(v * StrictMath.pow(10, places)), places).toPlainString();
  }

  /** Mains-powered current clamps report no battery (the field is optional in §2.2). */
  static boolean hasBattery(SensorType type) {
    return type != SensorType.ELECTRIC_CURRENT;
  }
}
