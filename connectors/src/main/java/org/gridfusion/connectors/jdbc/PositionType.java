package org.gridfusion.connectors.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How values of the position column are read, kept as text in the position table, and bound back
 * into the next query with their own SQL type (a text parameter compared with a {@code bigint} or
 * {@code timestamptz} column would fail or compare as text).
 *
 * <p>The text forms are the plain ones an operator can read and edit: {@code 12345}, {@code
 * 2026-11-20T01:00:00.123456Z}, {@code 2026-11-20T09:00}. Timestamps keep PostgreSQL's
 * microseconds, so the next query starts exactly after the last row sent.
 */
enum PositionType {
  INTEGER {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      long v = rs.getLong(column);
      return rs.wasNull() ? null : v;
    }

    @Override
    Object parse(String text) {
      return Long.parseLong(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setLong(index, (Long) value);
    }
  },
  DECIMAL {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getBigDecimal(column);
    }

    @Override
    String format(Object value) {
      return ((BigDecimal) value).toPlainString();
    }

    @Override
    Object parse(String text) {
      return new BigDecimal(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setBigDecimal(index, (BigDecimal) value);
    }
  },
  FLOATING {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      double v = rs.getDouble(column);
      return rs.wasNull() ? null : v;
    }

    @Override
    Object parse(String text) {
      return Double.parseDouble(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setDouble(index, (Double) value);
    }
  },
  /** {@code timestamp with time zone}: an instant, kept in UTC. */
  TIMESTAMPTZ {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
      return v == null ? null : v.withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    String format(Object value) {
      return ((OffsetDateTime) value).toInstant().toString();
    }

    @Override
    Object parse(String text) {
      return OffsetDateTime.parse(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setObject(index, value);
    }
  },
  /** {@code timestamp} without time zone: compared as the wall-clock value the database holds. */
  TIMESTAMP {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getObject(column, LocalDateTime.class);
    }

    @Override
    String format(Object value) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
    }

    @Override
    Object parse(String text) {
      return LocalDateTime.parse(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setObject(index, value);
    }
  },
  DATE {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getObject(column, LocalDate.class);
    }

    @Override
    Object parse(String text) {
      return LocalDate.parse(text);
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setObject(index, value);
    }
  },
  /**
   * Character columns (e.g. ULIDs or zero-padded sequence numbers), compared in the database's
   * collation.
   */
  TEXT {
    @Override
    Object read(ResultSet rs, int column) throws SQLException {
      return rs.getString(column);
    }

    @Override
    Object parse(String text) {
      return text;
    }

    @Override
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
      ps.setString(index, (String) value);
    }
  };

  /** The value of the column in the current row, null for SQL NULL. */
  abstract Object read(ResultSet rs, int column) throws SQLException;

  abstract Object parse(String text);

  abstract void bind(PreparedStatement ps, int index, Object value) throws SQLException;

  String format(Object value) {
    return value.toString();
  }

  /** A stored position read back; a text that does not fit the column's type names the fix. */
  Object parseStored(String text, String sourceKey) throws SQLDataException {
    try {
      return parse(text.trim());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new SQLDataException(
          "stored position '"
              + text
              + "' of "
              + sourceKey
              + " is not a valid "
              + name()
              + " value; correct or delete its row in "
              + PositionStore.TABLE);
    }
  }

  /**
   * Equal as SQL compares them ({@code 1.0 = 1.00}), which is what ends a run of equal positions.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  boolean same(Object a, Object b) {
    return ((Comparable) a).compareTo(b) == 0;
  }

  /** The type for a column as the driver describes it. */
  static PositionType of(int sqlType, String typeName, String column) throws SQLException {
    String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    return switch (sqlType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
      case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOATING;
      case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
      // PostgreSQL's driver reports timestamptz as TIMESTAMP; only the type name tells them apart
      case Types.TIMESTAMP -> name.equals("timestamptz") ? TIMESTAMPTZ : TIMESTAMP;
      case Types.DATE -> DATE;
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR ->
          TEXT;
      default ->
          throw new SQLDataException(
              "position column "
                  + column
                  + " has type "
                  + typeName
                  + "; supported are integer, numeric, floating-point, timestamp(tz), date and character types");
    };
  }
}
