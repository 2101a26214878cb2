package org.gridfusion.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The API's query parameters, read strictly: a value that does not parse is a 400, not a guess. */
final class Params {
  private Params() {}

  /** A time as the contract writes one: ISO-8601 with offset, or epoch milliseconds. */
  static Instant time(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return null;
    try {
      if (v.matches("-?\\d+")) return Instant.ofEpochMilli(Long.parseLong(v));
      return OffsetDateTime.parse(v).toInstant();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw ApiError.badRequest(
          "INVALID_PARAMETER",
          name + " must be ISO-8601 with an offset (2026-11-24T08:15:30+08:00) or epoch ms");
    }
  }

  static int integer(Context ctx, String name, int fallback, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return fallback;
    try {
      int i = Integer.parseInt(v.trim());
      if (i >= min && i <= max) return i;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest(
        "INVALID_PARAMETER", name + " must be a whole number from " + min + " to " + max);
  }

  static Boolean bool(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return null;
    return switch (v.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.badRequest("INVALID_PARAMETER", name + " must be true or false");
    };
  }

  /** An upper-case name such as a severity or source; null when not given. */
  static String upper(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.trim().toUpperCase();
  }

  static String text(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
