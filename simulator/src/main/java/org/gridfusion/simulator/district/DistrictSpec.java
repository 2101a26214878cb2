package org.gridfusion.simulator.district;

import java.time.Instant;

/**
 * What to generate: a district of {@code streets} vertical strips, each tiled by {@code
 * communitiesPerStreet} communities. Same spec, same bytes.
 *
 * @param seed the only source of randomness
 * @param asOf the "now" of the reference data: context records are dated 1 to 20 days before it, so
 *     they are inside the contract's 30-day horizon when replayed at or shortly after {@code asOf}
 * @param name the {@code district} property of every grid
 * @param bounds the district's rectangle
 */
public record DistrictSpec(
    int streets,
    int communitiesPerStreet,
    long seed,
    Instant asOf,
    String name,
    BoundingBox bounds,
    Densities densities) {

  /** Horqin District, Tongliao (Inner Mongolia). */
  public static final BoundingBox DEFAULT_BOUNDS = new BoundingBox(43.62, 122.20, 43.68, 122.30);

  public static final String DEFAULT_NAME = "Horqin";

  /** A fixed default so that generation without an explicit instant is reproducible. */
  public static final Instant DEFAULT_AS_OF = Instant.parse("2026-11-24T00:00:00Z");

  /** Enough for 500 x 500 communities; beyond that grids would shrink below a few metres. */
  public static final int MAX_STREETS = 500;

  public static final int MAX_COMMUNITIES_PER_STREET = 500;

  public DistrictSpec {
    if (streets < 1 || streets > MAX_STREETS) {
      throw new IllegalArgumentException(
          "streets must be in [1, " + MAX_STREETS + "], got " + streets);
    }
    if (communitiesPerStreet < 1 || communitiesPerStreet > MAX_COMMUNITIES_PER_STREET) {
      throw new IllegalArgumentException(
          "communitiesPerStreet must be in [1, "
              + MAX_COMMUNITIES_PER_STREET
              + "], got "
              + communitiesPerStreet);
    }
    if (asOf == null) throw new IllegalArgumentException("asOf is required");
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
    if (bounds == null) throw new IllegalArgumentException("bounds are required");
    if (densities == null) throw new IllegalArgumentException("densities are required");
  }

  /** {@code streets} x {@code communitiesPerStreet} communities with the default densities. */
  public static DistrictSpec of(int streets, int communitiesPerStreet, long seed) {
    return new DistrictSpec(
        streets,
        communitiesPerStreet,
        seed,
        DEFAULT_AS_OF,
        DEFAULT_NAME,
        DEFAULT_BOUNDS,
        Densities.DEFAULT);
  }

  /** 2 streets x 2 communities (about 20 grids): tests and demos. */
  public static DistrictSpec small(long seed) {
    return of(2, 2, seed);
  }

  public DistrictSpec withAsOf(Instant asOf) {
    return new DistrictSpec(streets, communitiesPerStreet, seed, asOf, name, bounds, densities);
  }

  public DistrictSpec withDensities(Densities densities) {
    return new DistrictSpec(streets, communitiesPerStreet, seed, asOf, name, bounds, densities);
  }

  public DistrictSpec withBounds(BoundingBox bounds) {
    return new DistrictSpec(streets, communitiesPerStreet, seed, asOf, name, bounds, densities);
  }

  public int communities() {
    return streets * communitiesPerStreet;
  }
}
