package org.gridfusion.jobs.reference;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * Where the reference data of contract §1 lives: on file paths ({@code reference.source: files},
 * read by every task that places records, so on a cluster a path every TaskManager sees), or in the
 * compacted topic {@code gf.reference} ({@code reference.source: kafka}, filled by {@code
 * gridfusion reference push}), which every TaskManager reaches with no shared volume. Either way a
 * change is picked up within {@code reloadInterval}.
 *
 * @param kafkaBootstrap set when the data comes from {@code gf.reference}; the paths are then
 *     unused
 */
public record ReferenceFiles(
    String gridMap,
    String devices,
    String addresses,
    Duration reloadInterval,
    String kafkaBootstrap)
    implements Serializable {

  public ReferenceFiles(String gridMap, String devices, String addresses, Duration reloadInterval) {
    this(gridMap, devices, addresses, reloadInterval, null);
  }

  /** Reference data read from {@code gf.reference} at {@code bootstrap}. */
  public static ReferenceFiles fromKafka(String bootstrap, Duration reloadInterval) {
    return new ReferenceFiles(null, null, null, reloadInterval, bootstrap);
  }

  public boolean inKafka() {
    return kafkaBootstrap != null;
  }

  public static ReferenceFiles from(Config config) {
    Duration reload = config.get(GridFusionOptions.REFERENCE_RELOAD_INTERVAL);
    if ("kafka".equals(config.get(GridFusionOptions.REFERENCE_SOURCE))) {
      return fromKafka(
          config.require(
              GridFusionOptions.KAFKA_BOOTSTRAP, "to read reference data from gf.reference"),
          reload);
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

  private static void checkReadable(String key, String path) {
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(key, "file " + Path.of(path).toAbsolutePath() + " cannot be read");
    }
  }
}
