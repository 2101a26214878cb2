package org.gridfusion.jobs.reference;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;

/**
 * Where the reference data of contract §1 lives: on file paths ({@code reference.source: files},
 * read by every task that places records, so on a cluster a path every TaskManager sees), or in the
 * compacted topic {@code gf.reference} ({@code reference.source: kafka}, filled by {@code
 * gridfusion reference push}), which every TaskManager reaches with no shared volume. Either way a
 * change is picked up within {@code reloadInterval}.
 *
 * @param kafka set when the data comes from {@code gf.reference}; the paths are then unused
 */
public record ReferenceFiles(
    String gridMap,
    String devices,
    String addresses,
    Duration reloadInterval,
    KafkaConnection kafka)
    implements Serializable {

  public ReferenceFiles(String gridMap, String devices, String addresses, Duration reloadInterval) {
    this(gridMap, devices, addresses, reloadInterval, null);
  }

  /** Reference data read from {@code gf.reference} on {@code kafka}. */
  public static ReferenceFiles fromKafka(KafkaConnection kafka, Duration reloadInterval) {
    return new ReferenceFiles(null, null, null, reloadInterval, kafka);
  }

  public boolean inKafka() {
    return kafka != null;
  }

  public static ReferenceFiles from(Config config) {
    Duration reload = config.get(GridFusionOptions.REFERENCE_RELOAD_INTERVAL);
    if ("kafka".equals(config.get(GridFusionOptions.REFERENCE_SOURCE))) {
      return fromKafka(
          KafkaConnection.from(config, "to read reference data from gf.reference"), reload);
    }
    String gridMap =
        config.require(GridFusionOptions.REFERENCE_GRID_MAP, "to place records in grids");
    checkReadable(GridFusionOptions.REFERENCE_GRID_MAP.key(), gridMap);
    String devices = config.get(GridFusionOptions.REFERENCE_DEVICES);
    if (devices != null) checkReadable(GridFusionOptions.REFERENCE_DEVICES.key(), devices);
    String addresses = config.get(GridFusionOptions.REFERENCE_ADDRESSES);
    if (addresses != null) checkReadable(GridFusionOptions.REFERENCE_ADDRESSES.key(), addresses);
    return new ReferenceFiles(gridMap, devices, addresses, reload);
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
