package org.gridfusion.jobs.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device registry (contract §1): {@code deviceId,kind,type,lat,lon}, for events without
 * coordinates.
 */
public final class DeviceRegistry {
  public record Device(String deviceId, String kind, String type, double lat, double lon) {}

  private final Map<String, Device> devices;

  private DeviceRegistry(Map<String, Device> devices) {
    this.devices = devices;
  }

  public static DeviceRegistry empty() {
    return new DeviceRegistry(Map.of());
  }

  public static DeviceRegistry load(Path csv) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return parse(in, csv.toString());
    }
  }

  /** The registry in CSV text; {@code csv} names it in error messages. */
  public static DeviceRegistry parse(BufferedReader in, String csv) throws IOException {
    Map<String, Device> out = new HashMap<>();
    CsvTable.read(
        in,
        csv,
        List.of("deviceId", "kind", "type", "lat", "lon"),
        (row, line) ->
            out.put(
                row.get("deviceId"),
                new Device(
                    row.get("deviceId"),
                    row.get("kind"),
                    row.get("type"),
                    CsvTable.coordinate(row, "lat", csv, line),
                    CsvTable.coordinate(row, "lon", csv, line))));
    return new DeviceRegistry(out);
  }

  public Optional<Device> find(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId));
  }

  public Collection<Device> all() {
    return devices.values();
  }

  public int size() {
    return devices.size();
  }
}
