package org.gridfusion.common.config;

import java.io.Serializable;

/**
 * One rule a configuration value must follow, kept on its {@link ConfigOption} so that every option
 * says what it accepts in one place and {@link Config#problems()} can check them all at start.
 *
 * @param <T> the option's value type
 */
@FunctionalInterface
public interface Check<T> extends Serializable {
  /**
   * Null when {@code value} is fine, otherwise what is wrong with it in words a user can act on
   * ("must be at least 16 characters, got 8").
   */
  String problem(T value);
}
