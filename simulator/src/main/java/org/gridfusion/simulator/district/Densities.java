package org.gridfusion.simulator.district;

/**
 * How much of everything a generated district holds. Counts are means of a Poisson draw per grid
 * unless said otherwise; the defaults give about 5 grids, 11 cameras and 52 sensors per community.
 *
 * @param minBasicGridsPerCommunity fewest basic grids tiling one community (uniform draw)
 * @param maxBasicGridsPerCommunity most basic grids tiling one community
 * @param dedicatedGridsPerCommunity schools, hospitals, markets, ... per community (at most one per
 *     basic grid)
 * @param camerasPerBasicGrid cameras per basic grid, at least one each
 * @param sensorScale multiplies every per-kind sensor mean except DOOR, which follows the elderly
 * @param elderlyPerBasicGrid elderly people living alone per basic grid, each with a DOOR sensor
 * @param waterLevelShare share of basic grids with a low point and a water gauge, beyond the one
 *     guaranteed per community
 * @param dangerousBuildingShare share of basic grids with a building rated dangerous (C or D)
 * @param correctionPerBasicGrid people under community correction per basic grid
 * @param lowIncomePerBasicGrid subsistence-allowance (dibao) households per basic grid
 * @param hazardousEnterpriseShare share of basic grids with a hazardous business (filling station,
 *     gas depot); industrial grids always have one or two
 * @param minAddressesPerBasicGrid fewest standard addresses (buildings) per basic grid
 * @param maxAddressesPerBasicGrid most standard addresses per basic grid
 */
public record Densities(
    int minBasicGridsPerCommunity,
    int maxBasicGridsPerCommunity,
    double dedicatedGridsPerCommunity,
    double camerasPerBasicGrid,
    double sensorScale,
    double elderlyPerBasicGrid,
    double waterLevelShare,
    double dangerousBuildingShare,
    double correctionPerBasicGrid,
    double lowIncomePerBasicGrid,
    double hazardousEnterpriseShare,
    int minAddressesPerBasicGrid,
    int maxAddressesPerBasicGrid) {

  public static final Densities DEFAULT =
      new Densities(3, 5, 1.0, 2.0, 1.0, 2.0, 0.2, 0.1, 0.15, 1.5, 0.03, 3, 6);

  public Densities {
    if (minBasicGridsPerCommunity < 1
        || maxBasicGridsPerCommunity < minBasicGridsPerCommunity
        || maxBasicGridsPerCommunity > 12) {
      throw new IllegalArgumentException(
          "basic grids per community must satisfy 1 <= min <= max <= 12, got "
              + minBasicGridsPerCommunity
              + ".."
              + maxBasicGridsPerCommunity);
    }
    if (minAddressesPerBasicGrid < 1 || maxAddressesPerBasicGrid < minAddressesPerBasicGrid) {
      throw new IllegalArgumentException(
          "addresses per basic grid must satisfy 1 <= min <= max, got "
              + minAddressesPerBasicGrid
              + ".."
              + maxAddressesPerBasicGrid);
    }
    requireMean("dedicatedGridsPerCommunity", dedicatedGridsPerCommunity);
    requireMean("camerasPerBasicGrid", camerasPerBasicGrid);
    requireMean("sensorScale", sensorScale);
    requireMean("elderlyPerBasicGrid", elderlyPerBasicGrid);
    requireMean("correctionPerBasicGrid", correctionPerBasicGrid);
    requireMean("lowIncomePerBasicGrid", lowIncomePerBasicGrid);
    requireShare("waterLevelShare", waterLevelShare);
    requireShare("dangerousBuildingShare", dangerousBuildingShare);
    requireShare("hazardousEnterpriseShare", hazardousEnterpriseShare);
  }

  private static void requireMean(String name, double v) {
    // Poisson draws by multiplication underflow beyond ~700; 30 is already far past any real
    // density.
    if (!(v >= 0 && v <= 30))
      throw new IllegalArgumentException(name + " must be in [0, 30], got " + v);
  }

  private static void requireShare(String name, double v) {
    if (!(v >= 0 && v <= 1))
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
  }
}
