package org.gridfusion.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Strict readers for the fields of contract inputs; every failure names the field. */
final class Fields {
  static final int MAX_ID_LENGTH = 256;
  static final int MAX_ATTRIBUTE_LENGTH = 8192;
  static final int MAX_ATTRIBUTES = 64;

  private Fields() {}

  static JsonNode object(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new InvalidInput(Reason.MALFORMED, what + " must be a JSON object");
    }
    return node;
  }

  static String requiredId(JsonNode o, String field) {
    String s = requiredString(o, field);
    if (s.length() > MAX_ID_LENGTH) {
      throw new InvalidInput(
          Reason.INVALID_FIELD, field + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    return s;
  }

  static String requiredString(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidInput(Reason.MISSING_FIELD, field + " is required");
    }
    if (!v.isTextual()) {
      throw new InvalidInput(
          Reason.INVALID_FIELD, field + " must be a string, got " + v.getNodeType());
    }
    String s = v.asText().trim();
    if (s.isEmpty()) {
      throw new InvalidInput(Reason.MISSING_FIELD, field + " is empty");
    }
    return s;
  }

  static String optionalId(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) return null;
    return requiredId(o, field);
  }

  static Double optionalNumber(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    return number(v, field);
  }

  static double requiredNumber(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidInput(Reason.MISSING_FIELD, field + " is required");
    }
    return number(v, field);
  }

  private static double number(JsonNode v, String field) {
    if (!v.isNumber()) {
      throw new InvalidInput(
          Reason.INVALID_FIELD, field + " must be a number, got " + v.getNodeType());
    }
    double d = v.asDouble();
    if (!Double.isFinite(d)) {
      throw new InvalidInput(Reason.INVALID_FIELD, field + " must be finite");
    }
    return d;
  }

  static Integer optionalInt(JsonNode o, String field, int min, int max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    // Exactly, not through a long or a double: JSON numbers are read as BigDecimal/BigInteger, and
    // 1e400 as a long is 0 (its low 64 bits), which would pass as a battery level of 0.
    BigDecimal d = exact(v, field);
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      throw new InvalidInput(Reason.INVALID_FIELD, field + " must be a whole number");
    }
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidInput(
          Reason.INVALID_FIELD,
          field + " must be between " + min + " and " + max + ", got " + abbreviate(d.toString()));
    }
    return d.intValueExact();
  }

  /** A JSON number's exact value; a non-finite double (not from our parser) is refused. */
  private static BigDecimal exact(JsonNode v, String field) {
    if (!v.isNumber()) {
      throw new InvalidInput(Reason.INVALID_FIELD, field + " must be a whole number");
    }
    if (v.isFloatingPointNumber() && !v.isBigDecimal() && !Double.isFinite(v.asDouble())) {
      throw new InvalidInput(Reason.INVALID_FIELD, field + " must be finite");
    }
    return v.isIntegralNumber() ? new BigDecimal(v.bigIntegerValue()) : v.decimalValue();
  }

  /** Latitude and longitude together, both absent, or a rejection. Returns null when absent. */
  static double[] optionalCoordinates(JsonNode o) {
    Double lat = optionalNumber(o, "lat");
    Double lon = optionalNumber(o, "lon");
    if (lat == null && lon == null) return null;
    if (lat == null || lon == null) {
      throw new InvalidInput(Reason.MISSING_FIELD, "lat and lon must be given together");
    }
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw new InvalidInput(
          Reason.COORDINATES_OUT_OF_RANGE,
          "lat " + lat + ", lon " + lon + " is not a WGS-84 position");
    }
    return new double[] {lat, lon};
  }

  /** Event time: ISO-8601 with offset or epoch milliseconds (contract, "Times"). */
  static long requiredTs(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidInput(Reason.MISSING_FIELD, field + " is required");
    }
    if (v.isIntegralNumber()) {
      if (!v.canConvertToLong()) {
        // as a long it would wrap around to some other time
        throw new InvalidInput(Reason.INVALID_FIELD, field + " is beyond any epoch milliseconds");
      }
      return v.asLong();
    }
    if (v.isTextual()) {
      return parseTs(v.asText(), field);
    }
    throw new InvalidInput(
        Reason.INVALID_FIELD, field + " must be ISO-8601 text or epoch milliseconds");
  }

  static long parseTs(String text, String field) {
    String s = text.trim();
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e2) {
        if (s.matches("-?\\d{1,15}")) return Long.parseLong(s);
        throw new InvalidInput(
            Reason.INVALID_FIELD,
            field + " '" + abbreviate(s) + "' is not ISO-8601 with an offset");
      }
    }
  }

  static Map<String, String> attributes(JsonNode o) {
    JsonNode v = o.get("attributes");
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) return out;
    if (!v.isObject()) {
      throw new InvalidInput(Reason.INVALID_FIELD, "attributes must be a JSON object");
    }
    if (v.size() > MAX_ATTRIBUTES) {
      throw new InvalidInput(
          Reason.INVALID_FIELD, "attributes has more than " + MAX_ATTRIBUTES + " entries");
    }
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      String text = a.isTextual() ? a.asText() : a.toString();
      if (text.length() > MAX_ATTRIBUTE_LENGTH) {
        throw new InvalidInput(
            Reason.INVALID_FIELD,
            "attribute " + abbreviate(e.getKey()) + " is longer than " + MAX_ATTRIBUTE_LENGTH);
      }
      out.put(e.getKey(), text);
    }
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
