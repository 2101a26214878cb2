package org.gridfusion.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the machine's PostgreSQL for one test class (127.0.0.1:5432, database
 * {@code test}, user {@code postgres}, trust authentication, as {@code .ci/services.sh} starts it),
 * dropped with everything in it on {@link #close()}. Without PostgreSQL it fails, it does not skip:
 * the JDBC paths are on the contract.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private final String schema;

  private TestDatabase(String schema) {
    this.schema = schema;
  }

  /** Creates schema {@code <prefix>_<random>}. */
  public static TestDatabase create(String prefix) {
    String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(DATABASE, USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new AssertionError(
          "PostgreSQL is not reachable at "
              + DATABASE
              + " as user "
              + USER
              + " ("
              + e.getMessage()
              + "). This test needs a real PostgreSQL with trust authentication and a database 'test'; "
              + "`bash .ci/services.sh` starts an installed one.",
          e);
    }
    return new TestDatabase(schema);
  }

  public String schema() {
    return schema;
  }

  /** The database's URL with this schema first on the search path. */
  public String url() {
    return DATABASE + "?currentSchema=" + schema;
  }

  /** A connection whose unqualified names resolve in this schema. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, null);
  }

  /** The single number a query returns, e.g. {@code SELECT count(*) FROM t}. */
  public long queryLong(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(DATABASE, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
