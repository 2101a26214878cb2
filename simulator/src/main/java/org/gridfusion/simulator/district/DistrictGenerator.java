package org.gridfusion.simulator.district;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.Department;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.format.Coordinates;
import org.gridfusion.simulator.format.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a synthetic district: streets as vertical strips of the district's rectangle,
 * communities tiling each street, 3-5 basic grids tiling each community exactly (one or two columns
 * of rows, cut at jittered positions), and dedicated grids (schools, hospitals, markets, business
 * buildings, parks, industrial plots) as smaller rectangles strictly inside a basic grid, at most
 * one per basic grid so they never overlap each other. Then per grid: standard addresses, cameras
 * and sensors by grid kind, and department context records.
 *
 * <p>Layout is done in whole micro-degrees, so neighbours share edge coordinates exactly and
 * nothing is lost to rounding when written. Devices and addresses of a basic grid are kept out of
 * the dedicated grid inside it (with a margin), so the grid recorded for them here is the grid the
 * pipeline's precedence rule will find. Every random choice comes from one {@link SplittableRandom}
 * seeded by the spec, split into independent streams for layout, equipment and records, so changing
 * a device density does not move a single grid.
 *
 * <p>Scale: 40 streets x 25 communities (about 5,000 grids, 11,000 cameras, 52,000 sensors) takes
 * well under a few seconds and a few tens of MB.
 */
public final class DistrictGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(DistrictGenerator.class);

  /** Administrative division code of Horqin District; prefix of every standard address code. */
  static final String ADDRESS_PREFIX = "150502";

  /**
   * Below this many micro-degrees (about 4 m) a grid cannot hold a margin, a device and a dedicated
   * grid.
   */
  private static final int MIN_GRID_MICRO = 40;

  private static final Map<GridKind, Double> DEDICATED_WEIGHTS = new EnumMap<>(GridKind.class);
  private static final Map<GridKind, String> ID_CODES = new EnumMap<>(GridKind.class);

  static {
    DEDICATED_WEIGHTS.put(GridKind.SCHOOL, 0.25);
    DEDICATED_WEIGHTS.put(GridKind.HOSPITAL, 0.08);
    DEDICATED_WEIGHTS.put(GridKind.MARKET, 0.22);
    DEDICATED_WEIGHTS.put(GridKind.BUSINESS, 0.20);
    DEDICATED_WEIGHTS.put(GridKind.PARK, 0.15);
    DEDICATED_WEIGHTS.put(GridKind.INDUSTRIAL, 0.10);
    ID_CODES.put(GridKind.SCHOOL, "SCH");
    ID_CODES.put(GridKind.HOSPITAL, "HOS");
    ID_CODES.put(GridKind.MARKET, "MKT");
    ID_CODES.put(GridKind.BUSINESS, "BIZ");
    ID_CODES.put(GridKind.PARK, "PRK");
    ID_CODES.put(GridKind.INDUSTRIAL, "IND");
  }

  private final DistrictSpec spec;
  private final Densities densities;
  private final SplittableRandom layoutRandom;
  private final SplittableRandom equipmentRandom;
  private final SplittableRandom recordRandom;
  private final SyntheticPeople people;

  private final List<Street> streets = new ArrayList<>();
  private final List<CommunityPlan> plans = new ArrayList<>();
  private final List<Grid> grids = new ArrayList<>();
  private final Map<String, MicroBox> boxes = new HashMap<>();

  /** Basic gridId -> the dedicated grid inside it, which its devices and addresses must avoid. */
  private final Map<String, MicroBox> dedicatedInside = new HashMap<>();

  private final List<Device> devices = new ArrayList<>();
  private final List<Address> addresses = new ArrayList<>();
  private final List<ContextRecord> records = new ArrayList<>();
  private final Map<SensorType, Integer> sensorCounters = new EnumMap<>(SensorType.class);
  private final Map<GridKind, Integer> dedicatedCounters = new EnumMap<>(GridKind.class);
  private final Map<String, Integer> recordCounters = new HashMap<>();
  private final int[] addressCounters;
  private int cameraCounter;

  /** A rectangle in whole micro-degrees. */
  private record MicroBox(int minLat, int minLon, int maxLat, int maxLon) {
    int height() {
      return maxLat - minLat;
    }

    int width() {
      return maxLon - minLon;
    }

    BoundingBox toBounds() {
      return BoundingBox.ofMicro(minLat, minLon, maxLat, maxLon);
    }
  }

  /** One community while it is being laid out. */
  private static final class CommunityPlan {
    final Community community;
    final int streetIndex;
    final List<MicroBox> basicBoxes;
    final List<GridKind> dedicatedKinds = new ArrayList<>();

    CommunityPlan(Community community, int streetIndex, List<MicroBox> basicBoxes) {
      this.community = community;
      this.streetIndex = streetIndex;
      this.basicBoxes = basicBoxes;
    }

    boolean hasFreeHost() {
      return dedicatedKinds.size() < basicBoxes.size();
    }
  }

  private DistrictGenerator(DistrictSpec spec) {
    this.spec = spec;
    this.densities = spec.densities();
    SplittableRandom root = new SplittableRandom(spec.seed());
    this.layoutRandom = root.split();
    this.equipmentRandom = root.split();
    this.recordRandom = root.split();
    this.people = new SyntheticPeople(root.split());
    this.addressCounters = new int[spec.streets()];
  }

  public static District generate(DistrictSpec spec) {
    long t0 = System.nanoTime();
    DistrictGenerator g = new DistrictGenerator(spec);
    g.checkSize();
    g.layOut();
    g.ensureEveryDedicatedKind();
    g.buildGrids();
    for (Grid grid : g.grids) g.equip(grid);
    List<Community> communities = g.plans.stream().map(p -> p.community).toList();
    District d =
        new District(spec, g.streets, communities, g.grids, g.devices, g.addresses, g.records);
    LOG.info(
        "generated district {} (seed {}) in {} ms: {}",
        spec.name(),
        spec.seed(),
        (System.nanoTime() - t0) / 1_000_000,
        d.summary());
    return d;
  }

  private void checkSize() {
    BoundingBox b = spec.bounds();
    double rows =
        densities.maxBasicGridsPerCommunity() <= 3
            ? densities.maxBasicGridsPerCommunity()
            : Math.ceil(densities.maxBasicGridsPerCommunity() / 2.0);
    // Cuts move by at most 15% / 20% of a share (see cuts()), so a share shrinks to 70% / 60% at
    // worst.
    double minWidth = (b.maxLonMicro() - b.minLonMicro()) / (double) spec.streets() * 0.7 / 2 * 0.7;
    double minHeight =
        (b.maxLatMicro() - b.minLatMicro())
            / (double) spec.communitiesPerStreet()
            * 0.7
            / rows
            * 0.6;
    if (minWidth < MIN_GRID_MICRO || minHeight < MIN_GRID_MICRO) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%d streets x %d communities do not fit in %s: grids would be under %d micro-degrees across",
              spec.streets(),
              spec.communitiesPerStreet(),
              b,
              MIN_GRID_MICRO));
    }
  }

  // ---- layout ----

  private void layOut() {
    BoundingBox b = spec.bounds();
    int[] streetCuts = cuts(b.minLonMicro(), b.maxLonMicro(), spec.streets(), 0.3, layoutRandom);
    for (int s = 0; s < spec.streets(); s++) {
      String streetCode = String.format(Locale.ROOT, "S%02d", s + 1);
      String streetName = PlaceNames.street(s);
      MicroBox strip =
          new MicroBox(b.minLatMicro(), streetCuts[s], b.maxLatMicro(), streetCuts[s + 1]);
      streets.add(new Street(streetCode, streetName, strip.toBounds()));
      int[] communityCuts =
          cuts(strip.minLat(), strip.maxLat(), spec.communitiesPerStreet(), 0.3, layoutRandom);
      for (int c = 0; c < spec.communitiesPerStreet(); c++) {
        MicroBox box =
            new MicroBox(communityCuts[c], strip.minLon(), communityCuts[c + 1], strip.maxLon());
        String code = String.format(Locale.ROOT, "%s-C%02d", streetCode, c + 1);
        Community community =
            new Community(
                code,
                PlaceNames.community(s * spec.communitiesPerStreet() + c),
                streetCode,
                box.toBounds());
        int n =
            Draw.between(
                layoutRandom,
                densities.minBasicGridsPerCommunity(),
                densities.maxBasicGridsPerCommunity());
        CommunityPlan plan = new CommunityPlan(community, s, tile(box, n));
        planDedicated(plan, s == 0 || s == spec.streets() - 1);
        plans.add(plan);
      }
    }
  }

  /**
   * Splits [lo, hi] into {@code parts} intervals of roughly equal length; each inner cut moves by
   * up to {@code jitter / 2} of a share, so consecutive cuts stay at least {@code 1 - jitter}
   * shares apart.
   */
  private static int[] cuts(int lo, int hi, int parts, double jitter, SplittableRandom r) {
    int[] c = new int[parts + 1];
    c[0] = lo;
    c[parts] = hi;
    double step = (hi - lo) / (double) parts;
    for (int i = 1; i < parts; i++) {
      c[i] = (int) Math.round(lo + step * (i + (r.nextDouble() - 0.5) * jitter));
    }
    return c;
  }

  /** n rectangles tiling the box: one column of rows for up to 3, else two columns. */
  private List<MicroBox> tile(MicroBox box, int n) {
    int columns = n <= 3 ? 1 : 2;
    int[] colCuts = cuts(box.minLon(), box.maxLon(), columns, 0.3, layoutRandom);
    List<MicroBox> out = new ArrayList<>(n);
    for (int col = 0; col < columns; col++) {
      int rows = columns == 1 ? n : (col == 0 ? (n + 1) / 2 : n / 2);
      int[] rowCuts = cuts(box.minLat(), box.maxLat(), rows, 0.4, layoutRandom);
      for (int row = 0; row < rows; row++) {
        out.add(new MicroBox(rowCuts[row], colCuts[col], rowCuts[row + 1], colCuts[col + 1]));
      }
    }
    return out;
  }

  /** Industry sits at the edge of town: the outermost streets get three times the share. */
  private void planDedicated(CommunityPlan plan, boolean outerStreet) {
    int count =
        Math.min(
            Draw.poisson(layoutRandom, densities.dedicatedGridsPerCommunity()),
            plan.basicBoxes.size());
    double total = 0;
    Map<GridKind, Double> weights = new EnumMap<>(GridKind.class);
    for (Map.Entry<GridKind, Double> e : DEDICATED_WEIGHTS.entrySet()) {
      double w = e.getValue() * (outerStreet && e.getKey() == GridKind.INDUSTRIAL ? 3 : 1);
      weights.put(e.getKey(), w);
      total += w;
    }
    for (int i = 0; i < count; i++) {
      double x = layoutRandom.nextDouble() * total;
      GridKind chosen = GridKind.PARK;
      for (Map.Entry<GridKind, Double> e : weights.entrySet()) {
        x -= e.getValue();
        if (x < 0) {
          chosen = e.getKey();
          break;
        }
      }
      plan.dedicatedKinds.add(chosen);
    }
  }

  /**
   * Scenarios and demos need one grid of each kind (a school for an URGENT gas leak, an industrial
   * plot for a hazardous enterprise); a small district may not draw them all, so add what is
   * missing.
   */
  private void ensureEveryDedicatedKind() {
    if (densities.dedicatedGridsPerCommunity() == 0) return;
    for (GridKind kind : DEDICATED_WEIGHTS.keySet()) {
      if (plans.stream().anyMatch(p -> p.dedicatedKinds.contains(kind))) continue;
      List<CommunityPlan> free = plans.stream().filter(CommunityPlan::hasFreeHost).toList();
      if (free.isEmpty()) return;
      free.get(layoutRandom.nextInt(free.size())).dedicatedKinds.add(kind);
    }
  }

  private void buildGrids() {
    for (CommunityPlan plan : plans) {
      Community c = plan.community;
      Street street = streets.get(plan.streetIndex);
      List<Grid> basics = new ArrayList<>();
      for (int i = 0; i < plan.basicBoxes.size(); i++) {
        String id = String.format(Locale.ROOT, "G-%s-B%02d", c.code(), i + 1);
        int households = Draw.between(layoutRandom, 300, 500);
        int population = (int) Math.round(households * Draw.between(layoutRandom, 2.3, 2.9));
        String name = String.format(Locale.ROOT, "%s Grid %02d", c.name(), i + 1);
        Grid g =
            new Grid(
                id,
                name,
                GridKind.BASIC,
                spec.name(),
                street.code(),
                street.name(),
                c.code(),
                c.name(),
                households,
                population,
                plan.basicBoxes.get(i).toBounds(),
                null);
        basics.add(g);
        boxes.put(id, plan.basicBoxes.get(i));
      }
      grids.addAll(basics);
      List<Integer> hosts = distinctIndices(plan.basicBoxes.size(), plan.dedicatedKinds.size());
      Map<GridKind, Integer> perKind = new EnumMap<>(GridKind.class);
      for (int i = 0; i < plan.dedicatedKinds.size(); i++) {
        GridKind kind = plan.dedicatedKinds.get(i);
        Grid host = basics.get(hosts.get(i));
        MicroBox box = inside(plan.basicBoxes.get(hosts.get(i)));
        int inCommunity = perKind.merge(kind, 1, Integer::sum);
        int ordinal = dedicatedCounters.merge(kind, 1, Integer::sum);
        String id =
            String.format(Locale.ROOT, "G-%s-%s%d", c.code(), ID_CODES.get(kind), inCommunity);
        int[] occupancy = dedicatedPeople(kind);
        Grid g =
            new Grid(
                id,
                PlaceNames.dedicated(kind, ordinal, street.name(), c.name()),
                kind,
                spec.name(),
                street.code(),
                street.name(),
                c.code(),
                c.name(),
                occupancy[0],
                occupancy[1],
                box.toBounds(),
                host.gridId());
        grids.add(g);
        boxes.put(id, box);
        dedicatedInside.put(host.gridId(), box);
      }
    }
  }

  /** Households and population (pupils, staff, workers, ...) of a dedicated grid. */
  private int[] dedicatedPeople(GridKind kind) {
    return switch (kind) {
      case SCHOOL -> new int[] {0, Draw.between(layoutRandom, 600, 2400)};
      case HOSPITAL -> new int[] {0, Draw.between(layoutRandom, 300, 1500)};
      case MARKET -> new int[] {0, Draw.between(layoutRandom, 100, 600)};
      case BUSINESS ->
          new int[] {Draw.between(layoutRandom, 0, 40), Draw.between(layoutRandom, 500, 3000)};
      case PARK -> new int[] {0, 0};
      case INDUSTRIAL -> new int[] {0, Draw.between(layoutRandom, 200, 1500)};
      case BASIC -> throw new IllegalArgumentException("not dedicated");
    };
  }

  private List<Integer> distinctIndices(int n, int k) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(i);
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates with our own random
      int j = layoutRandom.nextInt(i + 1);
      Integer t = all.get(i);
      all.set(i, all.get(j));
      all.set(j, t);
    }
    return all.subList(0, k);
  }

  /**
   * A rectangle of 30-50% of the host's width and height, at least 10% of it away from every edge.
   */
  private MicroBox inside(MicroBox host) {
    int w = host.width();
    int h = host.height();
    int dw = (int) Math.round(w * Draw.between(layoutRandom, 0.3, 0.5));
    int dh = (int) Math.round(h * Draw.between(layoutRandom, 0.3, 0.5));
    int mx = Math.max(1, w / 10);
    int my = Math.max(1, h / 10);
    int x0 = host.minLon() + mx + layoutRandom.nextInt(w - dw - 2 * mx + 1);
    int y0 = host.minLat() + my + layoutRandom.nextInt(h - dh - 2 * my + 1);
    return new MicroBox(y0, x0, y0 + dh, x0 + dw);
  }

  // ---- equipment and records ----

  private void equip(Grid grid) {
    SplittableRandom r = equipmentRandom;
    boolean basic = !grid.isDedicated();
    int streetIndex = Integer.parseInt(grid.street().substring(1)) - 1;
    List<Address> own = new ArrayList<>();
    int addressCount =
        basic
            ? Draw.between(
                r, densities.minAddressesPerBasicGrid(), densities.maxAddressesPerBasicGrid())
            : Draw.between(r, 1, 2);
    for (int i = 0; i < addressCount; i++) own.add(address(grid, streetIndex, i));
    addresses.addAll(own);

    double cameraMean = basic ? densities.camerasPerBasicGrid() : DeviceMix.cameras(grid.kind());
    int cameras = Math.max(1, Draw.poisson(r, cameraMean));
    for (int i = 0; i < cameras; i++) {
      int[] p = pointIn(grid);
      devices.add(
          new Device(
              String.format(Locale.ROOT, "CAM-%06d", ++cameraCounter),
              DeviceKind.CAMERA,
              Device.CAMERA_TYPE,
              Coordinates.degrees(p[0]),
              Coordinates.degrees(p[1]),
              grid.gridId()));
    }
    for (SensorType type : SensorType.values()) {
      int n = sensorCount(grid, type);
      for (int i = 0; i < n; i++) {
        int[] p = pointIn(grid);
        devices.add(
            sensor(type, Coordinates.degrees(p[0]), Coordinates.degrees(p[1]), grid.gridId()));
      }
    }
    if (basic) {
      int elderly = Draw.poisson(r, densities.elderlyPerBasicGrid());
      for (int i = 0; i < elderly; i++) {
        // The door sensor hangs on the flat's door: at the person's registered address.
        Address home = own.get(r.nextInt(own.size()));
        Device door = sensor(SensorType.DOOR, home.lat(), home.lon(), grid.gridId());
        devices.add(door);
        elderlyLivingAlone(home, door);
      }
      basicGridRecords(grid, own);
    } else if (grid.kind() == GridKind.INDUSTRIAL) {
      int enterprises = Draw.between(recordRandom, 1, 2);
      for (int i = 0; i < enterprises; i++) hazardousEnterprise(own.get(i % own.size()), true);
    }
  }

  private int sensorCount(Grid grid, SensorType type) {
    SplittableRandom r = equipmentRandom;
    if (type == SensorType.DOOR) return 0;
    if (type == SensorType.WATER_LEVEL && !grid.isDedicated()) {
      // Each community has at least one low point (its first basic grid), others by share.
      boolean lowPoint =
          grid.gridId().endsWith("-B01") || Draw.chance(r, densities.waterLevelShare());
      return lowPoint ? 1 : 0;
    }
    int n = Draw.poisson(r, DeviceMix.sensors(grid.kind(), type) * densities.sensorScale());
    // Fire safety code: smoke detection in every inhabited grid.
    if (type == SensorType.SMOKE && grid.kind() != GridKind.PARK && densities.sensorScale() > 0)
      n = Math.max(1, n);
    return n;
  }

  private Device sensor(SensorType type, double lat, double lon, String gridId) {
    int n = sensorCounters.merge(type, 1, Integer::sum);
    return new Device(
        String.format(Locale.ROOT, "%s-%05d", type.name(), n),
        DeviceKind.SENSOR,
        type.name(),
        lat,
        lon,
        gridId);
  }

  private Address address(Grid grid, int streetIndex, int indexInGrid) {
    int seq = ++addressCounters[streetIndex];
    String code = String.format(Locale.ROOT, "%s-%03d-%04d", ADDRESS_PREFIX, streetIndex + 1, seq);
    int building = Draw.between(equipmentRandom, 1, 240);
    String road = PlaceNames.road(streetIndex * 3 + equipmentRandom.nextInt(3));
    String label =
        grid.isDedicated()
            ? String.format(
                Locale.ROOT, "%s, gate %d, No. %d %s", grid.name(), indexInGrid + 1, building, road)
            : String.format(
                Locale.ROOT,
                "No. %d %s, building %d, %s",
                building,
                road,
                indexInGrid + 1,
                grid.communityName());
    int[] p = pointIn(grid);
    return new Address(
        code, Coordinates.degrees(p[0]), Coordinates.degrees(p[1]), label, grid.gridId());
  }

  /**
   * A point strictly inside the grid, at least 5% of its size from every edge, and for a basic grid
   * outside the dedicated grid it hosts (by the same margin).
   */
  private int[] pointIn(Grid grid) {
    MicroBox b = boxes.get(grid.gridId());
    MicroBox avoid = grid.isDedicated() ? null : dedicatedInside.get(grid.gridId());
    int my = Math.max(1, b.height() / 20);
    int mx = Math.max(1, b.width() / 20);
    for (int attempt = 0; attempt < 1000; attempt++) {
      int lat = b.minLat() + my + equipmentRandom.nextInt(b.height() - 2 * my + 1);
      int lon = b.minLon() + mx + equipmentRandom.nextInt(b.width() - 2 * mx + 1);
      if (avoid != null
          && lat >= avoid.minLat() - my
          && lat <= avoid.maxLat() + my
          && lon >= avoid.minLon() - mx
          && lon <= avoid.maxLon() + mx) {
        continue;
      }
      return new int[] {lat, lon};
    }
    // Unreachable with dedicated grids of at most half the host's width and height.
    throw new IllegalStateException("no free point in grid " + grid.gridId());
  }

  private void basicGridRecords(Grid grid, List<Address> own) {
    SplittableRandom r = recordRandom;
    if (Draw.chance(r, densities.hazardousEnterpriseShare())) hazardousEnterprise(pick(own), false);
    if (Draw.chance(r, densities.dangerousBuildingShare())) dangerousBuilding(pick(own));
    int corrections = Draw.poisson(r, densities.correctionPerBasicGrid());
    for (int i = 0; i < corrections; i++) communityCorrection(pick(own));
    int lowIncome = Draw.poisson(r, densities.lowIncomePerBasicGrid());
    for (int i = 0; i < lowIncome; i++) lowIncomeHousehold(pick(own));
  }

  private Address pick(List<Address> own) {
    return own.get(recordRandom.nextInt(own.size()));
  }

  private void elderlyLivingAlone(Address home, Device door) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("doorSensorId", door.deviceId());
    a.put("name", people.name());
    a.put("phone", people.mobile());
    a.put("emergencyContactPhone", people.mobile());
    records.add(
        record(
            "ca",
            Department.CIVIL_AFFAIRS,
            ContextRecord.ELDERLY_LIVING_ALONE,
            home,
            false,
            people.idNumber(1930, 1956),
            a));
  }

  private void hazardousEnterprise(Address at, boolean industrial) {
    Map<String, String> a = new LinkedHashMap<>();
    String[] kinds =
        industrial
            ? new String[] {
              "CHEMICALS", "FLAMMABLE_GAS", "DUST_EXPLOSION", "LIQUID_AMMONIA_REFRIGERATION"
            }
            : new String[] {"FILLING_STATION", "LPG_DEPOT", "FIREWORKS_STORE"};
    String hazard = Draw.pick(recordRandom, kinds);
    a.put("enterpriseName", enterpriseName(hazard));
    a.put("hazardClass", hazard);
    a.put(
        "licenceNo",
        String.format(Locale.ROOT, "(蒙)WH安许证字[2026]%06d", recordRandom.nextInt(1_000_000)));
    records.add(
        record(
            "em",
            Department.EMERGENCY_MANAGEMENT,
            ContextRecord.HAZARDOUS_ENTERPRISE,
            at,
            true,
            null,
            a));
  }

  private String enterpriseName(String hazard) {
    String[] prefixes = {"Tongliao", "Horqin", "Mengdong", "Kerqin", "Xinghe", "Beijiang"};
    String suffix =
        switch (hazard) {
          case "CHEMICALS" -> "Chemical Co., Ltd.";
          case "FLAMMABLE_GAS" -> "Industrial Gases Co., Ltd.";
          case "DUST_EXPLOSION" -> "Corn Starch Co., Ltd.";
          case "LIQUID_AMMONIA_REFRIGERATION" -> "Cold Storage Co., Ltd.";
          case "FILLING_STATION" -> "Filling Station";
          case "LPG_DEPOT" -> "LPG Supply Depot";
          default -> "Fireworks Store";
        };
    return Draw.pick(recordRandom, prefixes) + " " + suffix;
  }

  private void dangerousBuilding(Address at) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("buildingLabel", at.label());
    a.put("rating", recordRandom.nextInt(4) == 0 ? "D" : "C");
    a.put("builtYear", String.valueOf(Draw.between(recordRandom, 1965, 1995)));
    records.add(
        record("ho", Department.HOUSING, ContextRecord.DANGEROUS_BUILDING, at, true, null, a));
  }

  private void communityCorrection(Address home) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("name", people.name());
    a.put("phone", people.mobile());
    a.put(
        "correctionType",
        Draw.pick(
            recordRandom,
            new String[] {
              "PROBATION", "PAROLE", "SUSPENDED_SENTENCE", "TEMPORARY_OUT_OF_PRISON_SERVICE"
            }));
    a.put("monthsRemaining", String.valueOf(Draw.between(recordRandom, 2, 36)));
    records.add(
        record(
            "ju",
            Department.JUSTICE,
            ContextRecord.COMMUNITY_CORRECTION,
            home,
            false,
            people.idNumber(1965, 2004),
            a));
  }

  private void lowIncomeHousehold(Address home) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("name", people.name());
    a.put("phone", people.mobile());
    a.put("householdSize", String.valueOf(Draw.between(recordRandom, 1, 5)));
    a.put("monthlyAllowanceYuan", String.valueOf(Draw.between(recordRandom, 45, 85) * 10));
    records.add(
        record(
            "ca",
            Department.CIVIL_AFFAIRS,
            ContextRecord.LOW_INCOME_HOUSEHOLD,
            home,
            false,
            people.idNumber(1940, 1996),
            a));
  }

  /**
   * A record dated 1-20 days before {@code asOf}, in office hours; people are located by their
   * registered address alone, places by address and coordinates.
   */
  private ContextRecord record(
      String idPrefix,
      Department department,
      String type,
      Address at,
      boolean withCoordinates,
      String subjectId,
      Map<String, String> attributes) {
    int n = recordCounters.merge(idPrefix, 1, Integer::sum);
    String recordId = String.format(Locale.ROOT, "%s-%06d", idPrefix, n);
    LocalDate day =
        LocalDate.ofInstant(spec.asOf(), Timestamps.CHINA)
            .minusDays(Draw.between(recordRandom, 1, 20));
    Instant ts =
        day.atTime(LocalTime.of(8, 30).plusSeconds(recordRandom.nextInt(9 * 3600)))
            .toInstant(Timestamps.CHINA);
    return new ContextRecord(
        recordId,
        department,
        type,
        ts,
        at.addressCode(),
        withCoordinates ? at.lat() : null,
        withCoordinates ? at.lon() : null,
        subjectId,
        attributes,
        at.gridId());
  }
}
