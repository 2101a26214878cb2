package org.gridfusion.jobs.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid map and registries as one snapshot, reloaded when a file changes (checked at most once
 * per reload interval, on the calling thread): on disk by modification time and size, in {@code
 * gf.reference} by what arrived since. A file that fails to load is reported and the previous
 * snapshot stays in force, so a half-written or bad file never takes the job down.
 */
public final class ReferenceData implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceData.class);

  /**
   * @param deviceGrids the grid of each registered device's position, worked out once per load: a
   *     device without coordinates of its own is placed by this table instead of a point-in-polygon
   *     lookup per reading
   */
  public record Snapshot(
      GridIndex grids,
      DeviceRegistry devices,
      AddressRegistry addresses,
      Map<String, Grid> deviceGrids) {
    static Snapshot of(GridIndex grids, DeviceRegistry devices, AddressRegistry addresses) {
      Map<String, Grid> deviceGrids = new HashMap<>();
      for (DeviceRegistry.Device d : devices.all())
        grids.locate(d.lat(), d.lon()).ifPresent(g -> deviceGrids.put(d.deviceId(), g));
      return new Snapshot(grids, devices, addresses, deviceGrids);
    }
  }

  private final ReferenceFiles files;
  private final ReferenceTopic topic;
  private volatile Snapshot snapshot;
  private String stamp;
  private long nextCheck;

  private ReferenceData(ReferenceFiles files) {
    this.files = files;
    this.topic = files.inKafka() ? ReferenceTopic.open(files.kafka()) : null;
  }

  /**
   * Loads the files; a problem here is fatal (the job cannot place anything without a grid map).
   */
  public static ReferenceData open(ReferenceFiles files) throws IOException {
    ReferenceData data = new ReferenceData(files);
    try {
      data.stamp = data.stamp();
      data.snapshot = data.load();
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    data.nextCheck = System.currentTimeMillis() + files.reloadInterval().toMillis();
    LOG.info(
        "Reference data loaded: {} grids, {} devices, {} addresses",
        data.snapshot.grids.size(),
        data.snapshot.devices.size(),
        data.snapshot.addresses.size());
    return data;
  }

  /** The current snapshot, reloading first if the files changed since the last check. */
  public Snapshot current() {
    long now = System.currentTimeMillis();
    if (now >= nextCheck) {
      nextCheck = now + files.reloadInterval().toMillis();
      String s = stamp();
      if (!Objects.equals(s, stamp)) {
        try {
          snapshot = load();
          stamp = s;
          LOG.info(
              "Reference data reloaded: {} grids, {} devices, {} addresses",
              snapshot.grids.size(),
              snapshot.devices.size(),
              snapshot.addresses.size());
        } catch (IOException | RuntimeException e) {
          LOG.error(
              "Reference data changed but cannot be loaded; keeping the previous version: {}",
              e.getMessage());
          stamp = s;
        }
      }
    }
    return snapshot;
  }

  private Snapshot load() throws IOException {
    if (topic != null) return topic.snapshot();
    return Snapshot.of(
        GridIndex.load(Path.of(files.gridMap())),
        files.devices() == null
            ? DeviceRegistry.empty()
            : DeviceRegistry.load(Path.of(files.devices())),
        files.addresses() == null
            ? AddressRegistry.empty()
            : AddressRegistry.load(Path.of(files.addresses())));
  }

  private String stamp() {
    if (topic != null) {
      topic.poll();
      return "gf.reference#" + topic.version();
    }
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {files.gridMap(), files.devices(), files.addresses()}) {
      if (f == null) continue;
      try {
        FileTime t = Files.getLastModifiedTime(Path.of(f));
        sb.append(f)
            .append('@')
            .append(t.toMillis())
            .append(':')
            .append(Files.size(Path.of(f)))
            .append(';');
      } catch (IOException e) {
        sb.append(f).append("@missing;");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (topic != null) topic.close();
  }
}
