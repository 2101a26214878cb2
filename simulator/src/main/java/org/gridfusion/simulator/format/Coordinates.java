package org.gridfusion.simulator.format;

import java.math.BigDecimal;

/**
 * Coordinates as whole micro-degrees (1e-6 degree, about 0.1 m). The district is laid out in
 * integer micro-degrees so that two grids sharing an edge hold the very same number for it, and
 * every value written to a file is exactly the one kept in memory.
 */
public final class Coordinates {
  public static final double MICRO = 1e-6;

  private Coordinates() {}

  /**
   * Degrees of a micro-degree count; division by an exact power of ten gives the nearest double.
   */
  public static double degrees(int micro) {
    return micro / 1e6;
  }

  public static int micro(double degrees) {
    return (int) Math.round(degrees * 1e6);
  }

  /** Six fixed decimals, independent of the default locale ({@code 43.620000}). */
  public static BigDecimal decimal(double degrees) {
    return BigDecimal.valueOf(micro(degrees), 6);
  }

  public static String text(double degrees) {
    return decimal(degrees).toPlainString();
  }
}
