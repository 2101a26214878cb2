package org.gridfusion.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.GridFusionOptions;
import picocli.CommandLine.Option;

/**
 * The configuration options every command shares: a YAML file, the environment, and {@code --set}.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (keys: `gridfusion config --list`)")
  Path file;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "data directory (data.dir), default ./gridfusion-data")
  Path dataDir;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "set one configuration key, e.g. --set kafka.bootstrap=host:9092")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * File, then GF_* environment, then --data-dir and --set; checked by {@link Preflight} before the
   * command starts anything, every problem reported at once.
   */
  public Config load(ConfigOption<?>... required) {
    return Preflight.check(loadUnchecked(), required);
  }

  /** The configuration as given, not yet checked ({@code config check} reports its problems). */
  Config loadUnchecked() {
    Config c = Config.load(file, System.getenv());
    if (dataDir != null) c = c.with(GridFusionOptions.DATA_DIR, dataDir.toString());
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      var option =
          GridFusionOptions.find(e.getKey())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          e.getKey(),
                          "unknown key given with --set; see `gridfusion config --list`"));
      c = c.with(option, e.getValue());
    }
    return c;
  }
}
