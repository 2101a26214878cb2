package org.gridfusion.connectors.jdbc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.gridfusion.common.json.Json;

/**
 * Turns a database row into the JSON object of contract §2.3, so the database and the inbox go
 * through the same parser ({@code InputParsers.departmentRecord}) and are validated alike.
 *
 * <p>Column names are the JSON keys. A column whose name differs from a contract key only in case
 * takes the key's spelling ({@code recordid} → {@code recordId}), because PostgreSQL folds unquoted
 * names to lower case; other columns keep their names (the parser ignores keys it does not know).
 * Values: numbers stay numbers (so {@code ts} may be epoch milliseconds), {@code timestamptz}
 * becomes ISO-8601 in UTC, {@code timestamp} without zone is read in the configured zone ({@code
 * time.zone}) since the contract requires an offset, {@code json}/{@code jsonb} are embedded as
 * JSON, and a text {@code attributes} column holding a JSON object is embedded too; anything else
 * becomes text.
 */
final class RowJson {
  static final List<String> CONTRACT_KEYS =
      List.of(
          "recordId",
          "department",
          "recordType",
          "ts",
          "addressCode",
          "subjectId",
          "lat",
          "lon",
          "attributes");

  private final String[] keys;
  private final int[] types;
  private final String[] typeNames;
  private final ZoneId zone;

  private RowJson(String[] keys, int[] types, String[] typeNames, ZoneId zone) {
    this.keys = keys;
    this.types = types;
    this.typeNames = typeNames;
    this.zone = zone;
  }

  static RowJson of(ResultSetMetaData meta, ZoneId zone) throws SQLException {
    int n = meta.getColumnCount();
    String[] keys = new String[n];
    int[] types = new int[n];
    String[] typeNames = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = meta.getColumnLabel(i + 1);
      types[i] = meta.getColumnType(i + 1);
      String t = meta.getColumnTypeName(i + 1);
      typeNames[i] = t == null ? "" : t.toLowerCase(Locale.ROOT);
    }
    // An exact match wins over a case-insensitive one, so a table with both keeps the exact column.
    for (String key : CONTRACT_KEYS) {
      if (List.of(keys).contains(key)) continue;
      for (int i = 0; i < n; i++) {
        if (keys[i].equalsIgnoreCase(key)) {
          keys[i] = key;
          break;
        }
      }
    }
    return new RowJson(keys, types, typeNames, zone);
  }

  /**
   * The current row as a JSON object; SQL NULL becomes JSON null, which the parser treats as
   * absent.
   */
  ObjectNode read(ResultSet rs) throws SQLException {
    ObjectNode o = Json.MAPPER.createObjectNode();
    for (int i = 0; i < keys.length; i++) {
      JsonNode v;
      try {
        v = value(rs, i);
      } catch (SQLException e) {
        // A value the driver cannot map to its Java type (e.g. an out-of-range date) is passed on
        // as
        // text for the parser to judge; a broken connection fails here again and ends the poll.
        v = text(rs, i + 1, i);
      }
      o.set(keys[i], v);
    }
    return o;
  }

  private JsonNode value(ResultSet rs, int i) throws SQLException {
    int col = i + 1;
    var nodes = Json.MAPPER.getNodeFactory();
    switch (types[i]) {
      // PostgreSQL's driver reports boolean as BIT; a real bit string stays text
      case Types.BOOLEAN, Types.BIT -> {
        if (types[i] == Types.BIT && !typeNames[i].equals("bool")) return text(rs, col, i);
        boolean b = rs.getBoolean(col);
        return rs.wasNull() ? nodes.nullNode() : nodes.booleanNode(b);
      }
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
        long l = rs.getLong(col);
        return rs.wasNull() ? nodes.nullNode() : nodes.numberNode(l);
      }
      case Types.NUMERIC, Types.DECIMAL -> {
        var d = rs.getBigDecimal(col);
        return d == null ? nodes.nullNode() : nodes.numberNode(d);
      }
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
        double d = rs.getDouble(col);
        return rs.wasNull() ? nodes.nullNode() : nodes.numberNode(d);
      }
      case Types.TIMESTAMP_WITH_TIMEZONE -> {
        return instant(rs, col);
      }
      case Types.TIMESTAMP -> {
        if (typeNames[i].equals("timestamptz")) return instant(rs, col);
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null
            ? nodes.nullNode()
            : nodes.textNode(
                t.atZone(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      }
      case Types.DATE -> {
        LocalDate d = rs.getObject(col, LocalDate.class);
        return d == null ? nodes.nullNode() : nodes.textNode(d.toString());
      }
      default -> {
        return text(rs, col, i);
      }
    }
  }

  private JsonNode text(ResultSet rs, int col, int i) throws SQLException {
    var nodes = Json.MAPPER.getNodeFactory();
    String s = rs.getString(col);
    if (s == null) return nodes.nullNode();
    boolean attributes = keys[i].equals("attributes");
    // an empty attributes text means no attributes, as an empty CSV cell does in the inbox
    if (attributes && s.isBlank()) return nodes.nullNode();
    boolean json = typeNames[i].equals("json") || typeNames[i].equals("jsonb");
    if (json || attributes) {
      JsonNode parsed = parse(s);
      // json columns always hold JSON; a text attributes column only counts when it holds an
      // object,
      // otherwise the text is passed on and the parser rejects it as INVALID_FIELD.
      if (parsed != null && (json || parsed.isObject())) return parsed;
    }
    return nodes.textNode(s);
  }

  private static JsonNode instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    var nodes = Json.MAPPER.getNodeFactory();
    return t == null ? nodes.nullNode() : nodes.textNode(t.toInstant().toString());
  }

  private static JsonNode parse(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (JacksonException e) {
      return null;
    }
  }
}
