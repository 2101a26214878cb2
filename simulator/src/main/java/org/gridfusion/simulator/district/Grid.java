package org.gridfusion.simulator.district;

import org.gridfusion.common.contract.GridKind;

/**
 * One feature of the grid map (contract §1). A basic grid has no {@code hostGridId}; a dedicated
 * grid (school, hospital, ...) names the basic grid it lies in, since it takes precedence over that
 * grid for every point inside it.
 */
public record Grid(
    String gridId,
    String name,
    GridKind kind,
    String district,
    String street,
    String streetName,
    String community,
    String communityName,
    int households,
    int population,
    BoundingBox bounds,
    String hostGridId) {

  public boolean isDedicated() {
    return kind.isDedicated();
  }

  public double centroidLat() {
    return bounds.centroidLat();
  }

  public double centroidLon() {
    return bounds.centroidLon();
  }
}
