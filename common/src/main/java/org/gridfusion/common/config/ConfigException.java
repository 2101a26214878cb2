package org.gridfusion.common.config;

/**
 * A configuration value a user has to fix; the message names the key and its environment variable.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("configuration key '" + key + "' (env " + ConfigOption.envName(key) + "): " + problem);
  }

  /** For subclasses that compose their own message. */
  protected ConfigException(String message) {
    super(message);
  }
}
