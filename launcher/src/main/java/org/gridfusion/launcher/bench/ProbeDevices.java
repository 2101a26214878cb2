package org.gridfusion.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.Grid;
import org.gridfusion.simulator.format.Coordinates;

/**
 * Probe devices of the benchmark's own: a manhole tilt sensor registered in the device registry
 * beside the district's, and a camera that sends its coordinates, in each of {@code grids} grids
 * spread over the district. The background traffic never uses them, so no background reading can
 * share a probe's record id (sensor record ids are device, type and timestamp).
 */
public final class ProbeDevices {
  private ProbeDevices() {}

  /**
   * Appends the probe sensors to {@code devicesCsv} (the registry the pipeline will load) and
   * returns the probe targets, a sensor and a camera per grid, interleaved so probes alternate MQTT
   * and HTTP.
   */
  public static List<ProbeTarget> register(District district, Path devicesCsv, int grids)
      throws IOException {
    if (grids < 1) throw new IllegalArgumentException("probe grids must be >= 1");
    List<Grid> all = district.grids();
    int stride = Math.max(1, all.size() / grids);
    Set<String> used = new LinkedHashSet<>();
    List<ProbeTarget> targets = new ArrayList<>();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < all.size() && used.size() < grids; i += stride) {
      Grid g = all.get(i);
      double lat = g.centroidLat();
      double lon = g.centroidLon();
      // A basic grid's centre may lie in a dedicated grid (a school), which then takes the point.
      String gridId = district.gridAt(lat, lon).map(Grid::gridId).orElse(null);
      if (gridId == null || !used.add(gridId)) continue;
      String sensor = String.format(Locale.ROOT, "BENCH-TILT-%03d", used.size());
      csv.append(sensor)
          .append(",SENSOR,MANHOLE_TILT,")
          .append(Coordinates.text(lat))
          .append(',')
          .append(Coordinates.text(lon))
          .append('\n');
      targets.add(ProbeTarget.manholeDisplaced(sensor, gridId));
      targets.add(
          ProbeTarget.fallDetected(
              String.format(Locale.ROOT, "BENCH-CAM-%03d", used.size()), gridId, lat, lon));
    }
    Files.writeString(devicesCsv, csv, StandardOpenOption.APPEND);
    return targets;
  }
}
