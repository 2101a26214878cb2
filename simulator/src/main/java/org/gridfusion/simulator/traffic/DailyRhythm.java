package org.gridfusion.simulator.traffic;

import org.gridfusion.common.contract.GridKind;

/**
 * How busy a place is at an hour of the local day, 0 (empty) to 1 (its peak): markets in the
 * morning and after work, school gates at drop-off and pick-up, business buildings at lunch and
 * closing time, parks in the morning and evening, homes through the day. Drives crowd sizes and how
 * often doors open.
 */
final class DailyRhythm {
  private DailyRhythm() {}

  static double busyness(GridKind kind, int localHour) {
    int h = localHour;
    if (h < 6 || h >= 22) return 0.05;
    return switch (kind) {
      case MARKET -> h >= 7 && h < 10 || h >= 17 && h < 19 ? 1.0 : 0.45;
      case SCHOOL -> h == 7 || h == 16 || h == 17 ? 1.0 : h >= 8 && h < 16 ? 0.35 : 0.1;
      case BUSINESS -> h == 12 || h == 18 ? 0.9 : h >= 8 && h < 19 ? 0.5 : 0.15;
      case PARK -> h >= 6 && h < 9 || h >= 18 && h < 21 ? 0.8 : 0.3;
      case HOSPITAL -> h >= 8 && h < 12 ? 0.8 : 0.4;
      case INDUSTRIAL -> h == 8 || h == 17 ? 0.5 : 0.2;
      case BASIC -> h >= 7 && h < 9 || h >= 17 && h < 21 ? 0.5 : 0.3;
    };
  }

  /**
   * Hour of the day, 0-23, in China time (UTC+8, no daylight saving), where the simulated district
   * is.
   */
  static int localHour(long epochMs) {
    return (int) Math.floorMod((epochMs + 8 * 3_600_000L) / 3_600_000L, 24L);
  }

  /** Households are up and about from six in the morning until late evening. */
  static boolean doorsActive(int localHour) {
    return localHour >= 6 && localHour < 23;
  }
}
