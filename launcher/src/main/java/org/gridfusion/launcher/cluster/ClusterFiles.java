package org.gridfusion.launcher.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * Finds the two build outputs cluster mode needs, unless configured: the job jar ({@code
 * job-jar/target/gridfusion-job.jar}) and Flink's jars ({@code flink-lib/target/flink-lib}), beside
 * the launcher in the source tree it was built in.
 */
final class ClusterFiles {
  private ClusterFiles() {}

  static Path jobJar(Config config, Path ownJar) {
    String set = config.get(GridFusionOptions.FLINK_JOB_JAR);
    if (set != null) return Path.of(set);
    return find(
        ownJar,
        Path.of("job-jar", "target", "gridfusion-job.jar"),
        GridFusionOptions.FLINK_JOB_JAR.key());
  }

  static Path lib(Config config, Path ownJar) {
    String set = config.get(GridFusionOptions.FLINK_LIB);
    if (set != null) return Path.of(set);
    return find(
        ownJar, Path.of("flink-lib", "target", "flink-lib"), GridFusionOptions.FLINK_LIB.key());
  }

  /**
   * {@code relative} in the first of the launcher's ancestors (or the working directory's) that has
   * it.
   */
  private static Path find(Path ownJar, Path relative, String key) {
    for (Path start : new Path[] {ownJar, Path.of("").toAbsolutePath()}) {
      for (Path p = start == null ? null : start.toAbsolutePath(); p != null; p = p.getParent()) {
        if (Files.exists(p.resolve(relative))) return p.resolve(relative);
      }
    }
    throw new ConfigException(
        key, "not set and " + relative + " not found: build it with `mvn -DskipTests package`");
  }
}
