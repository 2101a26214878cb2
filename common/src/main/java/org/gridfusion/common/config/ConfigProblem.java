package org.gridfusion.common.config;

/**
 * One thing wrong with the configuration: the key, the environment variable that sets it, where the
 * bad value came from (file, environment, override, default) and why it is refused.
 */
public record ConfigProblem(String key, String origin, String problem) {
  public String environmentVariable() {
    return ConfigOption.envName(key);
  }

  @Override
  public String toString() {
    return key + " (env " + environmentVariable() + ", from " + origin + "): " + problem;
  }
}
