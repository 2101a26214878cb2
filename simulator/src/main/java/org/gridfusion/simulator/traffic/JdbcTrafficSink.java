package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.regex.Pattern;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Department records inserted into the database table that {@code ingest-jdbc} polls (contract
 * §2.3), one transaction per batch: a batch counts as acknowledged once it is committed.
 *
 * <p>Columns are the contract's JSON keys; {@code ts} is text (the record's own ISO-8601 text, or
 * its epoch milliseconds as digits, both of which the poller passes on unchanged), {@code
 * attributes} text holding the JSON object, {@code lat}/{@code lon} numbers. A table with that
 * layout and the position column as {@code bigserial} is created when missing ({@link
 * #ensureTable}). A table has no malformed rows: a line that is not a JSON object is stored as a
 * row with only its text in {@code attributes}, which the pipeline dead-letters as {@code
 * MISSING_FIELD} (not {@code MALFORMED}, as the inbox would). Values of the wrong JSON type for
 * their column go in as text, or as NULL for a number column.
 */
public final class JdbcTrafficSink implements TrafficSink {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcTrafficSink.class);
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final List<String> TEXT_COLUMNS =
      List.of("recordId", "department", "recordType", "addressCode", "subjectId");

  private final Connection connection;
  private final String table;
  private final SinkCounters counters = new SinkCounters();

  private JdbcTrafficSink(Connection connection, String table) {
    this.connection = connection;
    this.table = table;
  }

  /**
   * Connects and creates {@code table} (optionally {@code schema.name}) if it does not exist.
   *
   * @param positionColumn the column {@code ingest.jdbc.positionColumn} names; a new table gets it
   *     as {@code bigserial}, so every insert takes the next position
   */
  public static JdbcTrafficSink connect(
      String url, String user, String password, String table, String positionColumn)
      throws SQLException {
    if (!NAME.matcher(table).matches())
      throw new IllegalArgumentException("table must be name or schema.name, got " + table);
    if (!NAME.matcher(positionColumn).matches() || positionColumn.contains(".")) {
      throw new IllegalArgumentException(
          "position column must be a plain column name, got " + positionColumn);
    }
    Connection c = DriverManager.getConnection(url, user, password);
    try {
      ensureTable(c, table, positionColumn);
      c.setAutoCommit(false);
      return new JdbcTrafficSink(c, table);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  static void ensureTable(Connection c, String table, String positionColumn) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " ("
              + positionColumn
              + " bigserial PRIMARY KEY, recordId text,"
              + " department text, recordType text, ts text, addressCode text, subjectId text, lat double precision,"
              + " lon double precision, attributes text)");
    }
  }

  @Override
  public synchronized void sendDepartment(List<String> jsonLines) {
    if (jsonLines.isEmpty()) return;
    int n = jsonLines.size();
    counters.sent(TrafficSource.DEPARTMENT, n);
    String sql =
        "INSERT INTO "
            + table
            + " (recordId, department, recordType, addressCode, subjectId, ts, lat, lon, attributes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (String line : jsonLines) {
        bind(insert, line);
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
      counters.acknowledged(TrafficSource.DEPARTMENT, n);
    } catch (SQLException e) {
      rollback();
      counters.failed(TrafficSource.DEPARTMENT, n);
      LOG.warn("could not insert {} department records into {}: {}", n, table, e.getMessage());
    }
  }

  private static void bind(PreparedStatement insert, String line) throws SQLException {
    JsonNode o = parse(line);
    if (o == null) {
      for (int i = 1; i <= 5; i++) insert.setNull(i, Types.VARCHAR);
      insert.setNull(6, Types.VARCHAR);
      insert.setNull(7, Types.DOUBLE);
      insert.setNull(8, Types.DOUBLE);
      insert.setString(9, line);
      return;
    }
    for (int i = 0; i < TEXT_COLUMNS.size(); i++)
      insert.setString(i + 1, text(o.get(TEXT_COLUMNS.get(i))));
    insert.setString(6, text(o.get("ts")));
    number(insert, 7, o.get("lat"));
    number(insert, 8, o.get("lon"));
    JsonNode attributes = o.get("attributes");
    insert.setString(9, attributes == null || attributes.isNull() ? null : Json.write(attributes));
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) return null;
    return v.isValueNode() ? v.asText() : Json.write(v);
  }

  private static void number(PreparedStatement insert, int index, JsonNode v) throws SQLException {
    if (v != null && v.isNumber()) insert.setDouble(index, v.asDouble());
    else insert.setNull(index, Types.DOUBLE);
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed: {}", e.getMessage());
    }
  }

  @Override
  public void flush() {
    // Inserts are synchronous.
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the connection failed: {}", e.getMessage());
    }
  }
}
