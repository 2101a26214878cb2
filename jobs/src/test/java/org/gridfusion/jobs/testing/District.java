package org.gridfusion.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gridfusion.jobs.reference.ReferenceFiles;

/**
 * A deterministic district for job tests: grids of 0.01° × 0.01° side by side along latitude
 * 43.60–43.61 (grid {@code i} spans longitude 122.00 + 0.01·i to 122.01 + 0.01·i), each with the
 * devices and addresses a test registers, all placed at the grid's centre. Every district also has
 * the grid {@link #CLOCK_GRID} with the temperature sensor {@link #CLOCK_DEVICE} that drives a
 * run's event time to its end ({@link FusionJobRun}).
 *
 * <pre>
 *  District d = District.builder()
 *      .grid("G-FIRE", "BASIC", 2000).sensor("SMOKE-1", "SMOKE").camera("CAM-1")
 *      .grid("G-SCHOOL", "SCHOOL", 1500).sensor("GAS-1", "GAS").address("ADDR-SCHOOL")
 *      .build();
 * </pre>
 */
public final class District {
  public static final String CLOCK_GRID = "G-CLOCK";
  public static final String CLOCK_DEVICE = "CLOCK-1";

  /** A point outside every grid. */
  public static final double OUTSIDE_LAT = 10.0, OUTSIDE_LON = 10.0;

  /** One grid: its place, kind and population. */
  public record Cell(String gridId, String kind, int population, int column) {
    public double lat() {
      return 43.605;
    }

    public double lon() {
      return 122.005 + 0.01 * column;
    }

    String feature() {
      double w = 122.00 + 0.01 * column;
      double e = w + 0.01;
      return String.format(
          Locale.ROOT,
          "{\"type\":\"Feature\",\"properties\":{\"gridId\":\"%s\",\"name\":\"%s\",\"kind\":\"%s\","
              + "\"district\":\"D\",\"street\":\"S%02d\",\"community\":\"S%02d-C01\","
              + "\"households\":%d,\"population\":%d},"
              + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.2f,43.60],[%.2f,43.60],"
              + "[%.2f,43.61],[%.2f,43.61],[%.2f,43.60]]]}}",
          gridId,
          gridId,
          kind,
          column + 1,
          column + 1,
          population / 3,
          population,
          w,
          e,
          e,
          w,
          w);
    }

    public String street() {
      return String.format(Locale.ROOT, "S%02d", column + 1);
    }
  }

  private final Map<String, Cell> cells;
  private final List<String> devices;
  private final List<String> addresses;

  private District(Map<String, Cell> cells, List<String> devices, List<String> addresses) {
    this.cells = cells;
    this.devices = devices;
    this.addresses = addresses;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Cell cell(String gridId) {
    Cell c = cells.get(gridId);
    if (c == null) throw new IllegalArgumentException("no grid " + gridId);
    return c;
  }

  /** Writes the grid map and the registries into {@code dir}. */
  public ReferenceFiles write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder map = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[\n");
    String sep = "";
    for (Cell c : cells.values()) {
      map.append(sep).append(c.feature());
      sep = ",\n";
    }
    map.append("\n]}\n");
    Files.writeString(dir.resolve("grids.geojson"), map);
    Files.writeString(
        dir.resolve("devices.csv"),
        "deviceId,kind,type,lat,lon\n" + String.join("\n", devices) + "\n");
    Files.writeString(
        dir.resolve("addresses.csv"),
        "addressCode,lat,lon,label\n" + String.join("\n", addresses) + "\n");
    return FusionJobRun.referenceFilesIn(dir, Duration.ofHours(1));
  }

  /** Adds grids one after the other; devices and addresses go into the grid added last. */
  public static final class Builder {
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final List<String> devices = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private Cell current;

    private Builder() {
      grid(CLOCK_GRID, "BASIC", 0).sensor(CLOCK_DEVICE, "TEMPERATURE");
    }

    public Builder grid(String gridId, String kind, int population) {
      if (cells.containsKey(gridId)) throw new IllegalArgumentException("twice: " + gridId);
      current = new Cell(gridId, kind, population, cells.size());
      cells.put(gridId, current);
      return this;
    }

    public Builder sensor(String deviceId, String type) {
      return device(deviceId, "SENSOR", type);
    }

    public Builder camera(String deviceId) {
      return device(deviceId, "CAMERA", "CAMERA");
    }

    /** A sensor registered at a place of its own (e.g. outside every grid). */
    public Builder sensorAt(String deviceId, String type, double lat, double lon) {
      devices.add(String.format(Locale.ROOT, "%s,SENSOR,%s,%.3f,%.3f", deviceId, type, lat, lon));
      return this;
    }

    private Builder device(String deviceId, String kind, String type) {
      devices.add(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%.3f,%.3f",
              deviceId,
              kind,
              type,
              current.lat(),
              current.lon()));
      return this;
    }

    public Builder address(String addressCode) {
      addresses.add(
          String.format(
              Locale.ROOT,
              "%s,%.3f,%.3f,%s",
              addressCode,
              current.lat(),
              current.lon(),
              "Address " + addressCode));
      return this;
    }

    public District build() {
      return new District(new LinkedHashMap<>(cells), List.copyOf(devices), List.copyOf(addresses));
    }
  }
}
