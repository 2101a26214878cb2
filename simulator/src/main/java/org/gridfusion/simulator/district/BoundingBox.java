package org.gridfusion.simulator.district;

import org.gridfusion.simulator.format.Coordinates;

/**
 * An axis-aligned WGS-84 rectangle. Every grid, community and street of a generated district is
 * one, with corners on whole micro-degrees (see {@link Coordinates}).
 */
public record BoundingBox(double minLat, double minLon, double maxLat, double maxLon) {

  public BoundingBox {
    if (!(minLat < maxLat) || !(minLon < maxLon)) {
      throw new IllegalArgumentException(
          "empty box " + minLat + "," + minLon + " .. " + maxLat + "," + maxLon);
    }
  }

  static BoundingBox ofMicro(int minLat, int minLon, int maxLat, int maxLon) {
    return new BoundingBox(
        Coordinates.degrees(minLat),
        Coordinates.degrees(minLon),
        Coordinates.degrees(maxLat),
        Coordinates.degrees(maxLon));
  }

  public double centroidLat() {
    return (minLat + maxLat) / 2;
  }

  public double centroidLon() {
    return (minLon + maxLon) / 2;
  }

  /** Strictly inside: a point on the border does not count. */
  public boolean containsStrictly(double lat, double lon) {
    return lat > minLat && lat < maxLat && lon > minLon && lon < maxLon;
  }

  /** Whether {@code other} lies inside this box, borders included. */
  public boolean covers(BoundingBox other) {
    return other.minLat >= minLat
        && other.maxLat <= maxLat
        && other.minLon >= minLon
        && other.maxLon <= maxLon;
  }

  /** Whether the interiors meet (touching along an edge is not overlapping). */
  public boolean overlaps(BoundingBox other) {
    return other.minLat < maxLat
        && minLat < other.maxLat
        && other.minLon < maxLon
        && minLon < other.maxLon;
  }

  /** Area in square degrees, enough to compare tilings. */
  public double area() {
    return (maxLat - minLat) * (maxLon - minLon);
  }

  int minLatMicro() {
    return Coordinates.micro(minLat);
  }

  int minLonMicro() {
    return Coordinates.micro(minLon);
  }

  int maxLatMicro() {
    return Coordinates.micro(maxLat);
  }

  int maxLonMicro() {
    return Coordinates.micro(maxLon);
  }
}
