package org.gridfusion.common.config;

/**
 * A parse failure whose message names no part of the value (a length, a missing field, an allowed
 * list), so it is shown even for a secret option, whose other parse messages are left out because
 * they may quote the value.
 */
public class SafeMessageException extends IllegalArgumentException {
  public SafeMessageException(String message) {
    super(message);
  }
}
