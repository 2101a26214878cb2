package org.gridfusion.jobs.reference;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * Where the reference data of contract §1 lives. The job reads the files on every task manager, so
 * on a cluster they must be on a path every task manager sees (a shared volume or ConfigMap).
 */
public record ReferenceFiles(
    String gridMap, String devices, String addresses, Duration reloadInterval)
    implements Serializable {

  public static ReferenceFiles from(Config config) {
    String gridMap =
        config.require(GridFusionOptions.REFERENCE_GRID_MAP, "to place records in grids");
    checkReadable(GridFusionOptions.REFERENCE_GRID_MAP.key(), gridMap);
    String devices = config.get(GridFusionOptions.REFERENCE_DEVICES);
    if (devices != null) checkReadable(GridFusionOptions.REFERENCE_DEVICES.key(), devices);
    String addresses = config.get(GridFusionOptions.REFERENCE_ADDRESSES);
    if (addresses != null) checkReadable(GridFusionOptions.REFERENCE_ADDRESSES.key(), addresses);
    return new ReferenceFiles(
        gridMap, devices, addresses, config.get(GridFusionOptions.REFERENCE_RELOAD_INTERVAL));
  }

  /**
   * Loads the files once, as the job will: a grid map or registry that does not parse is refused
   * here, before anything is submitted, with the key of the file at fault.
   */
  public static void checkLoads(ReferenceFiles files) {
    load(GridFusionOptions.REFERENCE_GRID_MAP.key(), files.gridMap(), GridIndex::load);
    if (files.devices() != null) {
      load(GridFusionOptions.REFERENCE_DEVICES.key(), files.devices(), DeviceRegistry::load);
    }
    if (files.addresses() != null) {
      load(GridFusionOptions.REFERENCE_ADDRESSES.key(), files.addresses(), AddressRegistry::load);
    }
  }

  private interface Loader {
    Object load(Path file) throws Exception;
  }

  private static void load(String key, String file, Loader loader) {
    try {
      loader.load(Path.of(file));
    } catch (Exception e) {
      throw new ConfigException(key, file + " does not load: " + e.getMessage());
    }
  }

  private static void checkReadable(String key, String path) {
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(key, "file " + Path.of(path).toAbsolutePath() + " cannot be read");
    }
  }
}
