package org.gridfusion.simulator.district;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.contract.SensorType;

/**
 * A generated district in memory: the reference data of contract §1 and the department context
 * records of §2.3, with the lookups the traffic generator, scenarios and tests need. Immutable;
 * lists keep generation order, which is also the order of the written files.
 */
public final class District {
  public static final String GRIDS_FILE = "grids.geojson";
  public static final String DEVICES_FILE = "devices.csv";
  public static final String ADDRESSES_FILE = "addresses.csv";
  public static final String CONTEXT_RECORDS_FILE = "context-records.jsonl";

  private final DistrictSpec spec;
  private final List<Street> streets;
  private final List<Community> communities;
  private final List<Grid> grids;
  private final List<Device> devices;
  private final List<Address> addresses;
  private final List<ContextRecord> contextRecords;

  private final Map<String, Grid> gridsById = new HashMap<>();
  private final Map<String, List<Grid>> gridsByCommunity = new HashMap<>();
  private final Map<String, Device> devicesById = new HashMap<>();
  private final Map<String, List<Device>> devicesByGrid = new HashMap<>();
  private final Map<String, Address> addressesByCode = new HashMap<>();
  private final Map<String, List<Address>> addressesByGrid = new HashMap<>();

  District(
      DistrictSpec spec,
      List<Street> streets,
      List<Community> communities,
      List<Grid> grids,
      List<Device> devices,
      List<Address> addresses,
      List<ContextRecord> contextRecords) {
    this.spec = spec;
    this.streets = List.copyOf(streets);
    this.communities = List.copyOf(communities);
    this.grids = List.copyOf(grids);
    this.devices = List.copyOf(devices);
    this.addresses = List.copyOf(addresses);
    this.contextRecords = List.copyOf(contextRecords);
    for (Grid g : grids) {
      gridsById.put(g.gridId(), g);
      gridsByCommunity.computeIfAbsent(g.community(), k -> new ArrayList<>()).add(g);
    }
    for (Device d : devices) {
      devicesById.put(d.deviceId(), d);
      devicesByGrid.computeIfAbsent(d.gridId(), k -> new ArrayList<>()).add(d);
    }
    for (Address a : addresses) {
      addressesByCode.put(a.addressCode(), a);
      addressesByGrid.computeIfAbsent(a.gridId(), k -> new ArrayList<>()).add(a);
    }
  }

  public DistrictSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public BoundingBox bounds() {
    return spec.bounds();
  }

  public List<Street> streets() {
    return streets;
  }

  public List<Community> communities() {
    return communities;
  }

  public List<Grid> grids() {
    return grids;
  }

  public List<Grid> basicGrids() {
    return grids.stream().filter(g -> !g.isDedicated()).toList();
  }

  public List<Grid> dedicatedGrids() {
    return grids.stream().filter(Grid::isDedicated).toList();
  }

  /** The grids of a community ({@code S01-C02}): its basic grids, then its dedicated grids. */
  public List<Grid> gridsOf(String communityCode) {
    return Collections.unmodifiableList(gridsByCommunity.getOrDefault(communityCode, List.of()));
  }

  public Optional<Grid> grid(String gridId) {
    return Optional.ofNullable(gridsById.get(gridId));
  }

  public List<Device> devices() {
    return devices;
  }

  public List<Device> cameras() {
    return devices.stream().filter(Device::isCamera).toList();
  }

  public List<Device> sensors() {
    return devices.stream().filter(d -> !d.isCamera()).toList();
  }

  public List<Device> sensors(SensorType type) {
    return devices.stream().filter(d -> !d.isCamera() && d.type().equals(type.name())).toList();
  }

  public Optional<Device> device(String deviceId) {
    return Optional.ofNullable(devicesById.get(deviceId));
  }

  public List<Device> devicesIn(String gridId) {
    return Collections.unmodifiableList(devicesByGrid.getOrDefault(gridId, List.of()));
  }

  public List<Address> addresses() {
    return addresses;
  }

  public Optional<Address> address(String addressCode) {
    return Optional.ofNullable(addressesByCode.get(addressCode));
  }

  public List<Address> addressesIn(String gridId) {
    return Collections.unmodifiableList(addressesByGrid.getOrDefault(gridId, List.of()));
  }

  public List<ContextRecord> contextRecords() {
    return contextRecords;
  }

  public List<ContextRecord> contextRecords(String recordType) {
    return contextRecords.stream().filter(r -> r.recordType().equals(recordType)).toList();
  }

  /**
   * The grid the pipeline places a point in (contract §1): a dedicated grid before a basic one, and
   * on a shared border the smaller {@code gridId}. Empty outside the district ({@code
   * OUT_OF_AREA}). Streets and communities are scanned, then only the grids of the communities
   * holding the point.
   */
  public Optional<Grid> gridAt(double lat, double lon) {
    Grid best = null;
    for (Street s : streets) {
      if (!closedContains(s.bounds(), lat, lon)) continue;
      for (Community c : communities) {
        if (!c.street().equals(s.code()) || !closedContains(c.bounds(), lat, lon)) continue;
        for (Grid g : gridsOf(c.code())) {
          if (closedContains(g.bounds(), lat, lon) && (best == null || better(g, best))) best = g;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean closedContains(BoundingBox b, double lat, double lon) {
    return lat >= b.minLat() && lat <= b.maxLat() && lon >= b.minLon() && lon <= b.maxLon();
  }

  private static boolean better(Grid a, Grid b) {
    if (a.isDedicated() != b.isDedicated()) return a.isDedicated();
    return a.gridId().compareTo(b.gridId()) < 0;
  }

  /** Counts by kind and type, for logs and reports. */
  public DistrictSummary summary() {
    return DistrictSummary.of(this);
  }

  /**
   * Writes {@link #GRIDS_FILE}, {@link #DEVICES_FILE}, {@link #ADDRESSES_FILE} and {@link
   * #CONTEXT_RECORDS_FILE} into {@code dir} (created if missing), each replaced atomically.
   */
  public void writeTo(Path dir) throws IOException {
    DistrictFiles.write(this, dir);
  }
}
