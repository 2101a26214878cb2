package org.gridfusion.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC sink against the machine's PostgreSQL, in a schema of its own ({@link TestDatabase}).
 */
class JdbcTrafficSinkITCase {
  private static TestDatabase db;
  private static String SCHEMA;

  @BeforeAll
  static void schema() {
    db = TestDatabase.create("gf_sim_it");
    SCHEMA = db.schema();
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    db.close();
  }

  @Test
  void recordsBecomeRowsInOrderWithTheContractColumnsAndANewPositionEach() throws SQLException {
    String table = SCHEMA + ".dept_records";
    try (JdbcTrafficSink sink =
        JdbcTrafficSink.connect(TestDatabase.DATABASE, TestDatabase.USER, null, table, "seq")) {
      sink.sendDepartment(
          List.of(
              "{\"recordId\":\"ca-1\",\"department\":\"CIVIL_AFFAIRS\",\"recordType\":\"ELDERLY_LIVING_ALONE\","
                  + "\"ts\":\"2026-11-20T09:00:00+08:00\",\"addressCode\":\"150502-001-0042\",\"subjectId\":\"110101194001011234\","
                  + "\"attributes\":{\"doorSensorId\":\"DOOR-0042\"}}",
              "{\"recordId\":\"po-2\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\",\"ts\":1764000000000,"
                  + "\"lat\":43.65,\"lon\":122.24}"));
      sink.sendDepartment(List.of("{\"recordId\":\"ca-3\",\"department\":"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(3, 3, 0, 0));
      assertThatThrownBy(() -> sink.sendSensor("t", "{}"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT seq, recordId, department, recordType, ts, addressCode, subjectId, lat, lon,"
                    + " attributes FROM "
                    + table
                    + " ORDER BY seq")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 10; i++) row.append(i > 1 ? "|" : "").append(rs.getString(i));
        rows.add(row.toString());
      }
    }
    assertThat(rows)
        .containsExactly(
            "1|ca-1|CIVIL_AFFAIRS|ELDERLY_LIVING_ALONE|2026-11-20T09:00:00+08:00|150502-001-0042|110101194001011234|null|null"
                + "|{\"doorSensorId\":\"DOOR-0042\"}",
            "2|po-2|POLICE|INCIDENT_REPORT|1764000000000|null|null|43.65|122.24|null",
            // a table has no malformed rows: the text goes to attributes, and the pipeline rejects
            // the row
            "3|null|null|null|null|null|null|null|null|{\"recordId\":\"ca-3\",\"department\":");
  }

  @Test
  void aFailedInsertIsCountedAndRolledBackNotThrown() throws SQLException {
    String table = SCHEMA + ".narrow";
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      // an existing table whose recordId cannot take text longer than 4 characters
      s.execute(
          "CREATE TABLE "
              + table
              + " (seq bigserial PRIMARY KEY, recordId varchar(4), department text, recordType text,"
              + " ts text, addressCode text, subjectId text, lat double precision, lon double precision, attributes text)");
    }
    try (JdbcTrafficSink sink =
        JdbcTrafficSink.connect(TestDatabase.DATABASE, TestDatabase.USER, null, table, "seq")) {
      sink.sendDepartment(List.of("{\"recordId\":\"ok\"}", "{\"recordId\":\"far-too-long\"}"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(2, 0, 2, 0));
      sink.sendDepartment(List.of("{\"recordId\":\"ok\"}"));
      assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(3, 1, 2, 0));
    }
    assertThat(db.queryLong("SELECT count(*) FROM " + table))
        .as("the failed batch left nothing behind")
        .isEqualTo(1);
  }
}
