package org.gridfusion.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The poller's position, kept in the polled database itself in table {@value #TABLE} (one row per
 * polled table and column, the {@code source_key}).
 *
 * <p>Why the database and not a file: the position then lives next to the rows it points into, a
 * connector restarted on another machine (a rescheduled container) finds it, and a DBA can read or
 * reset it with SQL. The table is created when missing; a connector user without the right to
 * create tables (PostgreSQL 15 no longer lets every user create in {@code public}) needs it created
 * once by the owner, as {@link #DDL}, with {@code SELECT, INSERT, UPDATE} granted to that user. It
 * is looked up through the connection's {@code search_path}.
 *
 * <p>The caller owns the transaction: every method runs on a connection with auto-commit off and
 * commits.
 */
final class PositionStore {
  static final String TABLE = "gridfusion_jdbc_position";
  static final String DDL =
      "CREATE TABLE IF NOT EXISTS "
          + TABLE
          + " (source_key text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL)";

  /** PostgreSQL's SQLSTATE for "relation does not exist". */
  private static final String UNDEFINED_TABLE = "42P01";

  private PositionStore() {}

  /**
   * Creates the table unless it is there; probing first spares users without CREATE a needless
   * error.
   */
  static void ensureTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT source_key, position, updated_at FROM " + TABLE + " WHERE 1 = 0")
          .close();
      c.commit();
      return;
    } catch (SQLException e) {
      rollbackQuietly(c);
      if (!UNDEFINED_TABLE.equals(e.getSQLState())) throw e;
    }
    try (Statement s = c.createStatement()) {
      s.execute(DDL);
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw new SQLException(
          "cannot create the position table "
              + TABLE
              + " ("
              + e.getMessage()
              + "); have the database owner run: "
              + DDL
              + "; and grant SELECT, INSERT, UPDATE on it",
          e.getSQLState(),
          e);
    }
  }

  /** The stored position text, or null when this source was never polled. */
  static String load(Connection c, String sourceKey) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT position FROM " + TABLE + " WHERE source_key = ?")) {
      ps.setString(1, sourceKey);
      try (ResultSet rs = ps.executeQuery()) {
        String position = rs.next() ? rs.getString(1) : null;
        c.commit();
        return position;
      }
    }
  }

  /** Stores the position durably: it has been committed when this returns. */
  static void save(Connection c, String sourceKey, String position) throws SQLException {
    // UPDATE then INSERT rather than an upsert: plain SQL, and one poller per source never races
    // itself.
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE "
                + TABLE
                + " SET position = ?, updated_at = CURRENT_TIMESTAMP WHERE source_key = ?")) {
      update.setString(1, position);
      update.setString(2, sourceKey);
      if (update.executeUpdate() == 0) {
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO "
                    + TABLE
                    + " (source_key, position, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
          insert.setString(1, sourceKey);
          insert.setString(2, position);
          insert.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /**
   * Ends a failed transaction; on a broken connection that fails too, and the first error is what
   * counts.
   */
  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the caller rethrows the error that made the transaction fail
    }
  }
}
