package org.gridfusion.common.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One credential of the console and platform API (contract §9, key {@code console.tokens}): a
 * bearer token and what it may do.
 *
 * @param token at least 16 characters of the bearer-token alphabet of RFC 6750 ({@code A-Z a-z 0-9
 *     - . _ ~ + /}, then {@code =} padding), so it travels in a header unchanged and the {@code
 *     token:role} form of the environment splits unambiguously
 */
public record ConsoleToken(String token, Role role) {
  public static final int MIN_LENGTH = 16;
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  /** What a token may do: a viewer reads; an operator also sends work-order commands. */
  public enum Role {
    VIEWER,
    OPERATOR;

    /**
     * The name as written in configuration and shown by the API: {@code viewer}, {@code operator}.
     */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
      for (Role r : values()) {
        if (r.wire().equals(s.trim().toLowerCase(Locale.ROOT))) return r;
      }
      throw new SafeMessageException("role must be viewer or operator, got '" + s + "'");
    }
  }

  /** The field names, in the order of the {@code token:role} form. */
  public static final List<String> FIELDS = List.of("token", "role");

  public ConsoleToken {
    if (token.length() < MIN_LENGTH) {
      throw new SafeMessageException(
          "token must be at least " + MIN_LENGTH + " characters, got " + token.length());
    }
    if (!B64TOKEN.matcher(token).matches()) {
      throw new SafeMessageException(
          "token may hold only letters, digits and - . _ ~ + / (then = padding)");
    }
  }

  static ConsoleToken of(Map<String, String> fields) {
    String role = fields.get("role");
    if (role == null || role.isBlank()) {
      throw new SafeMessageException("role is missing (viewer or operator)");
    }
    return new ConsoleToken(fields.getOrDefault("token", ""), Role.parse(role));
  }

  /** The {@code token:role} form of the environment and {@code --set}. */
  public String text() {
    return token + ":" + role.wire();
  }

  @Override
  public String toString() {
    return "ConsoleToken[****:" + role.wire() + "]"; // never the token itself in a log
  }
}
