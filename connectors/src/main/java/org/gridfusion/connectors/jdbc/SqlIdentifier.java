package org.gridfusion.connectors.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.gridfusion.common.config.ConfigException;

/**
 * A table or column name from configuration, checked so that it can be quoted into SQL text (JDBC
 * cannot bind identifiers as parameters).
 *
 * <p>Each part must be a plain identifier: a letter or {@code _}, then letters, digits, {@code _}
 * or {@code $}, at most 63 bytes (PostgreSQL's limit; longer names are silently truncated there).
 * Letters include non-Latin ones, so a department's own table names work. Quotes, spaces, dots
 * inside a part and everything else are refused, so quoting can never be escaped. Quoted names are
 * matched exactly as the catalogue stores them: PostgreSQL stores an unquoted {@code CREATE TABLE
 * DeptRecords} as {@code deptrecords}.
 */
public record SqlIdentifier(String schema, String name) {
  private static final Pattern PART = Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_$]*");
  private static final int MAX_BYTES = 63;

  /**
   * Parses {@code value} of configuration key {@code key}: {@code name}, or {@code schema.name}
   * when {@code qualified} names are allowed.
   *
   * @throws ConfigException naming the key when the value is not a safe identifier
   */
  public static SqlIdentifier parse(String key, String value, boolean qualified) {
    String v = value.trim();
    String[] parts = v.split("\\.", -1);
    if (parts.length > (qualified ? 2 : 1)) {
      throw new ConfigException(
          key,
          "'" + value + "' must be " + (qualified ? "a name or schema.name" : "a column name"));
    }
    for (String part : parts) {
      if (!PART.matcher(part).matches()) {
        throw new ConfigException(
            key,
            "'"
                + value
                + "' is not a plain SQL identifier (letters, digits, _ and $, "
                + "starting with a letter or _"
                + (qualified ? ", optionally schema-qualified" : "")
                + ")");
      }
      if (part.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        throw new ConfigException(key, "'" + part + "' is longer than " + MAX_BYTES + " bytes");
      }
    }
    return parts.length == 2
        ? new SqlIdentifier(parts[0], parts[1])
        : new SqlIdentifier(null, parts[0]);
  }

  /** The name as it goes into SQL text: every part double-quoted. */
  public String quoted() {
    return schema == null ? quote(name) : quote(schema) + "." + quote(name);
  }

  private static String quote(String part) {
    return "\"" + part + "\"";
  }

  /** As configured, for logs, origins and the position key. */
  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
