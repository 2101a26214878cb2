package org.gridfusion.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC sink against the machine's PostgreSQL (127.0.0.1:5432, database {@code test}, user
 * {@code postgres}, trust authentication, as {@code .ci/services.sh} starts it), in a schema of its own
 * that is dropped afterwards. Without PostgreSQL the class fails, it does not skip.
 */
class JdbcTrafficSinkITCase {
  private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String SCHEMA = "gf_sim_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void schema() {
    try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + SCHEMA);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable at " + DATABASE + " as user postgres (" + e.getMessage()
          + "); `bash .ci/services.sh` starts an installed one.", e);
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void recordsBecomeRowsInOrderWithTheContractColumnsAndANewPositionEach() throws SQLException {
    String table = SCHEMA + ".dept_records";
    try (JdbcTrafficSink sink = JdbcTrafficSink.connect(DATABASE, "postgres", null, table, "seq")) {
      sink.sendDepartment(List.of(
          "{\"recordId\":\"ca-1\",\"department\":\"CIVIL_AFFAIRS\",\"recordType\":\"ELDERLY_LIVING_ALONE\","
              + "\"ts\":\"2026-11-20T09:00:00+08:00\",\"addressCode\":\"150502-001-0042\",\"subjectId\":\"110101194001011234\","
              + "\"attributes\":{\"doorSensorId\":\"DOOR-0042\"}}",
          "{\"recordId\":\"po-2\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\",\"ts\":1764000000000,"
              + "\"lat\":43.65,\"lon\":122.24}"));
      sink.sendDepartment(List.of("{\"recordId\":\"ca-3\",\"department\":"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(3, 3, 0, 0));
      assertThatThrownBy(() -> sink.sendSensor("t", "{}")).isInstanceOf(UnsupportedOperationException.class);
    }

    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, recordId, department, recordType, ts, addressCode, subjectId, lat, lon,"
            + " attributes FROM " + table + " ORDER BY seq")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 10; i++) row.append(i > 1 ? "|" : "").append(rs.getString(i));
        rows.add(row.toString());
      }
    }
    assertThat(rows).containsExactly(
        "1|ca-1|CIVIL_AFFAIRS|ELDERLY_LIVING_ALONE|2026-11-20T09:00:00+08:00|150502-001-0042|110101194001011234|null|null"
            + "|{\"doorSensorId\":\"DOOR-0042\"}",
        "2|po-2|POLICE|INCIDENT_REPORT|1764000000000|null|null|43.65|122.24|null",
        // a table has no malformed rows: the text goes to attributes, and the pipeline rejects the row
        "3|null|null|null|null|null|null|null|null|{\"recordId\":\"ca-3\",\"department\":");
  }

  @Test
  void aFailedInsertIsCountedAndRolledBackNotThrown() throws SQLException {
    String table = SCHEMA + ".narrow";
    try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null); Statement s = c.createStatement()) {
      // an existing table whose recordId cannot take text longer than 4 characters
      s.execute("CREATE TABLE " + table + " (seq bigserial PRIMARY KEY, recordId varchar(4), department text, recordType text,"
          + " ts text, addressCode text, subjectId text, lat double precision, lon double precision, attributes text)");
    }
    try (JdbcTrafficSink sink = JdbcTrafficSink.connect(DATABASE, "postgres", null, table, "seq")) {
      sink.sendDepartment(List.of("{\"recordId\":\"ok\"}", "{\"recordId\":\"far-too-long\"}"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(2, 0, 2, 0));
      sink.sendDepartment(List.of("{\"recordId\":\"ok\"}"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(3, 1, 2, 0));
    }
    try (Connection c = DriverManager.getConnection(DATABASE, "postgres", null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      assertThat(rs.getInt(1)).as("the failed batch left nothing behind").isEqualTo(1);
    }
  }
}
