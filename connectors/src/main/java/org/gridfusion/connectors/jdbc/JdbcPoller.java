package org.gridfusion.connectors.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.Rejection;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a department table or view incrementally (contract §2.3 "Database"): rows whose position
 * column is greater than the last position sent are read in order, a batch at a time ({@code SELECT
 * * FROM t WHERE pos > ? ORDER BY pos LIMIT batch}), turned into the contract's JSON ({@link
 * RowJson}) and parsed like an inbox line; accepted records go to {@code gf.raw.department} (key
 * {@code recordId}), rejected rows to {@code gf.deadletter} with the row as JSON text and origin
 * {@code jdbc:<table>:<position>}. A bad row never stops the poller.
 *
 * <p><b>Position.</b> The position advances only after Kafka acknowledged every record and dead
 * letter of the batch, and is then committed to {@link PositionStore} in the same database, so a
 * restart (on any machine) resumes right after the last acknowledged batch: nothing is skipped, and
 * nothing is sent twice unless the connector died between Kafka's acknowledgement and the position
 * commit (the job removes such duplicates by record id).
 *
 * <p><b>Equal positions.</b> A position column need not be unique (several rows may share a
 * timestamp). When a batch comes back full, its trailing rows that share the last position are
 * replaced by <em>all</em> rows with that position, read in the same repeatable-read snapshot
 * ({@code WHERE pos = ?}); so a batch always ends at the end of a run of equal positions, and the
 * next {@code pos > ?} misses none of them. This keeps the stored position a single value and
 * handles a run longer than the batch size (the batch grows to hold it, which bounds memory by the
 * longest run), where the alternative, {@code >=} with de-duplication, would need the ids of the
 * last run stored alongside the position.
 *
 * <p><b>Assumption</b> (the contract's "monotonically increasing column"): a row committed later
 * never has a position lower than, or equal to, one already read. A {@code bigserial} or {@code
 * now()} column written by concurrent transactions can break this (a transaction that took a lower
 * value commits after a higher one was read); such a row is never sent. Rows whose position is NULL
 * are never read. One poller per table: two would both send every row.
 *
 * <p><b>Loop.</b> A full batch is followed at once by the next poll; otherwise the poller sleeps
 * {@code ingest.jdbc.interval}. A database or Kafka failure is logged once per outage (WARN, with
 * the cause) and retried with back-off from 1 s to 30 s; the poller keeps running and the position
 * stays.
 */
public final class JdbcPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcPoller.class);
  private static final long MIN_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  /**
   * Bounds a query on a table without an index on the position column; the poll is then retried.
   */
  private static final int QUERY_TIMEOUT_SECONDS = 120;

  private final JdbcSettings settings;
  private final KafkaPublisher kafka;
  private final InputParsers parsers;
  private final AvroCodec<DepartmentRecord> codec = AvroCodec.of(DepartmentRecord.class);
  private final String firstBatchSql;
  private final String nextBatchSql;
  private final String runSql;
  private final String probeSql;
  private final Metrics metrics = new Metrics("jdbc");
  private final LongAdder rowsRead =
      metrics.counter("rows_read_total", "rows read into batches (again after a failed batch)");
  private final LongAdder accepted =
      metrics.counter("records_accepted_total", "records acknowledged by Kafka");
  private final LongAdder polls = metrics.counter("polls_total", "polls of the table");
  private final LongAdder databaseErrors =
      metrics.counter("errors_total", "kind", "database", "polls failed, by what failed");
  private final LongAdder kafkaErrors =
      metrics.counter("errors_total", "kind", "kafka", "polls failed, by what failed");
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Object pollLock = new Object();
  private final Outage databaseOutage = new Outage("database");
  private final Outage kafkaOutage = new Outage("Kafka");
  private Thread loop;

  // Guarded by pollLock; the connection is volatile so close() can abort a poll stuck in the
  // database.
  private volatile Connection connection;
  private PositionType positionType;
  private boolean positionLoaded;

  /** The last acknowledged position (typed), null before the first row. */
  private Object position;

  private String positionText;

  /**
   * The in-memory position is ahead of the stored one (its commit failed); stored before the next
   * read.
   */
  private boolean positionUnsaved;

  private JdbcPoller(JdbcSettings settings) {
    this.settings = settings;
    this.kafka = new KafkaPublisher(settings.kafka(), "gridfusion-jdbc", settings.privacy());
    this.parsers = new InputParsers(settings.window());
    String table = settings.table().quoted();
    String column = settings.positionColumn().quoted();
    this.firstBatchSql =
        "SELECT * FROM "
            + table
            + " WHERE "
            + column
            + " IS NOT NULL ORDER BY "
            + column
            + " LIMIT ?";
    this.nextBatchSql =
        "SELECT * FROM " + table + " WHERE " + column + " > ? ORDER BY " + column + " LIMIT ?";
    this.runSql = "SELECT * FROM " + table + " WHERE " + column + " = ?";
    this.probeSql = "SELECT " + column + " FROM " + table + " WHERE 1 = 0";
  }

  /** Starts polling in a background thread; the database need not be reachable yet. */
  public static JdbcPoller start(JdbcSettings settings) {
    JdbcPoller poller = new JdbcPoller(settings);
    poller.loop = new Thread(poller::run, "jdbc-poller");
    poller.loop.setDaemon(true);
    poller.loop.start();
    LOG.info(
        "JDBC poller on {} table {} by {} (batch {}, every {} ms when idle), publishing to {}",
        settings.safeUrl(),
        settings.table(),
        settings.positionColumn(),
        settings.batchSize(),
        settings.interval().toMillis(),
        settings.kafka());
    return poller;
  }

  /** A poller without the background loop: the caller drives it with {@link #pollOnce()}. */
  public static JdbcPoller open(JdbcSettings settings) {
    return new JdbcPoller(settings);
  }

  public Metrics metrics() {
    return metrics;
  }

  /**
   * One poll: reads one batch (extended to the end of a run of equal positions), sends it, waits
   * for Kafka and commits the position. Returns when the batch is acknowledged and its position
   * stored.
   *
   * @throws SQLException the database failed; nothing advanced
   * @throws IOException Kafka did not acknowledge the batch in time; nothing advanced
   */
  public void pollOnce() throws SQLException, IOException, InterruptedException {
    poll();
  }

  /** Returns whether the batch came back full, i.e. more rows are likely waiting. */
  private boolean poll() throws SQLException, IOException, InterruptedException {
    synchronized (pollLock) {
      polls.increment();
      long started = System.nanoTime();
      List<Row> rows;
      boolean full;
      try {
        Connection c = connection();
        if (positionUnsaved) savePosition(c);
        rows = new ArrayList<>();
        full = readBatch(c, rows);
        rowsRead.add(rows.size());
      } catch (SQLException e) {
        databaseErrors.increment();
        closeConnection();
        throw e;
      }
      if (rows.isEmpty()) return false;
      Map<Reason, Integer> rejected = publish(rows);

      // Every record and dead letter of the batch is acknowledged: only now may the position move.
      int deadLettered = 0;
      for (Map.Entry<Reason, Integer> e : rejected.entrySet()) {
        metrics
            .counter(
                "dead_letters_total", "reason", e.getKey().name(), "rows dead-lettered, by reason")
            .add(e.getValue());
        deadLettered += e.getValue();
      }
      accepted.add(rows.size() - deadLettered);
      Row last = rows.get(rows.size() - 1);
      position = last.position();
      positionText = last.positionText();
      positionUnsaved = true;
      try {
        savePosition(connection());
      } catch (SQLException e) {
        // The batch is in Kafka; the position is stored before the next read, or the batch is sent
        // again after a restart (duplicates the job removes).
        databaseErrors.increment();
        closeConnection();
        throw e;
      }
      LOG.info(
          "JDBC {}: {} rows ({} accepted, {} dead-lettered), position {}, {} ms",
          settings.table(),
          rows.size(),
          rows.size() - deadLettered,
          deadLettered,
          positionText,
          (System.nanoTime() - started) / 1_000_000);
      return full;
    }
  }

  /** Fills {@code rows} with the next batch; returns whether the batch query came back full. */
  private boolean readBatch(Connection c, List<Row> rows) throws SQLException {
    try {
      try (PreparedStatement ps =
          c.prepareStatement(position == null ? firstBatchSql : nextBatchSql)) {
        int i = 1;
        if (position != null) positionType.bind(ps, i++, position);
        ps.setInt(i, settings.batchSize());
        readRows(ps, rows);
      }
      boolean full = rows.size() == settings.batchSize();
      if (full) {
        // The batch may end inside a run of equal positions: replace the run's part by the whole
        // run.
        Object last = rows.get(rows.size() - 1).position();
        int before = rows.size();
        while (!rows.isEmpty() && positionType.same(rows.get(rows.size() - 1).position(), last)) {
          rows.remove(rows.size() - 1);
        }
        try (PreparedStatement ps = c.prepareStatement(runSql)) {
          positionType.bind(ps, 1, last);
          readRows(ps, rows);
        }
        if (rows.size() > before) {
          LOG.debug(
              "JDBC {}: batch extended by {} rows to the end of position {}",
              settings.table(),
              rows.size() - before,
              positionType.format(last));
        }
      }
      c.commit();
      return full;
    } catch (SQLException e) {
      PositionStore.rollbackQuietly(c);
      throw e;
    }
  }

  private void readRows(PreparedStatement ps, List<Row> rows) throws SQLException {
    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
    ps.setFetchSize(Math.min(settings.batchSize(), 1_000));
    try (ResultSet rs = ps.executeQuery()) {
      RowJson json = RowJson.of(rs.getMetaData(), settings.zone());
      int positionIndex = rs.findColumn(settings.positionColumn().name());
      while (rs.next()) {
        Object pos = positionType.read(rs, positionIndex);
        rows.add(new Row(pos, positionType.format(pos), json.read(rs), System.currentTimeMillis()));
      }
    }
  }

  /** Sends the batch and waits for Kafka; returns the rejected rows by reason. */
  private Map<Reason, Integer> publish(List<Row> rows) throws IOException, InterruptedException {
    List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
    Map<Reason, Integer> rejected = new EnumMap<>(Reason.class);
    for (Row row : rows) {
      String origin = "jdbc:" + settings.table() + ":" + row.positionText();
      Parsed<DepartmentRecord> parsed = parse(row, origin);
      CompletableFuture<?> ack;
      if (parsed instanceof Parsed.Ok<DepartmentRecord> ok) {
        ack = kafka.send(Topics.RAW_DEPARTMENT, ok.value().getRecordId(), codec.encode(ok.value()));
      } else {
        Rejection why = ((Parsed.Rejected<DepartmentRecord>) parsed).rejection();
        rejected.merge(why.reason(), 1, Integer::sum);
        ack =
            kafka.deadLetter(
                why.toDeadLetter(
                    InputSource.DEPARTMENT, Json.write(row.json()), row.receivedAt(), origin));
      }
      acks.add(ack);
      // send() blocks up to max.block.ms when Kafka is unreachable; once one failed, the rest would
      // too.
      if (ack.isCompletedExceptionally()) break;
    }
    awaitAcks(acks);
    return rejected;
  }

  private Parsed<DepartmentRecord> parse(Row row, String origin) {
    try {
      return parsers.departmentRecord(row.json(), row.receivedAt(), origin);
    } catch (RuntimeException e) {
      // A parser bug must not turn one row into a poison pill that stops the table forever.
      return Parsed.rejected(Reason.MALFORMED, "cannot read the row: " + e);
    }
  }

  private void awaitAcks(List<CompletableFuture<?>> acks) throws IOException, InterruptedException {
    CompletableFuture<Void> all = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
    while (true) {
      try {
        all.get(200, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        kafkaErrors.increment();
        throw new IOException("Kafka did not take the batch: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        if (stopping.getCount() == 0) {
          throw new IOException("stopping before Kafka acknowledged the batch");
        }
        if (System.nanoTime() > deadline) {
          kafkaErrors.increment();
          throw new IOException(
              "Kafka did not acknowledge "
                  + acks.size()
                  + " records within "
                  + settings.ackTimeout().toSeconds()
                  + " s");
        }
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c != null) return c;
    Properties props = new Properties();
    if (settings.user() != null) props.setProperty("user", settings.user());
    if (settings.password() != null) props.setProperty("password", settings.password());
    if (settings.url().startsWith("jdbc:postgresql:")) {
      // Defaults that the URL may override: name the client for the DBA, and do not hang forever on
      // a
      // database that stopped answering.
      props.setProperty("ApplicationName", "gridfusion-jdbc");
      props.setProperty("connectTimeout", "10");
      props.setProperty("socketTimeout", String.valueOf(QUERY_TIMEOUT_SECONDS + 60));
    }
    c = DriverManager.getConnection(settings.url(), props);
    try {
      c.setAutoCommit(false);
      // One snapshot for a batch and the rest of its last run of equal positions.
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      PositionStore.ensureTable(c);
      positionType = probePositionType(c);
      if (!positionLoaded) {
        String stored = PositionStore.load(c, settings.sourceKey());
        position = stored == null ? null : positionType.parseStored(stored, settings.sourceKey());
        positionText = stored;
        positionLoaded = true;
        LOG.info(
            "JDBC {}: {}",
            settings.table(),
            stored == null
                ? "no stored position, reading from the first row"
                : "resuming after position "
                    + stored
                    + " ("
                    + PositionStore.TABLE
                    + ", "
                    + settings.sourceKey()
                    + ")");
      }
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the error that made the connection unusable is the one to report
      }
      throw e;
    }
    connection = c;
    return c;
  }

  private PositionType probePositionType(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(probeSql)) {
      var meta = rs.getMetaData();
      PositionType type =
          PositionType.of(
              meta.getColumnType(1), meta.getColumnTypeName(1), settings.positionColumn().name());
      c.commit();
      return type;
    } catch (SQLException e) {
      PositionStore.rollbackQuietly(c);
      throw e;
    }
  }

  private void savePosition(Connection c) throws SQLException {
    PositionStore.save(c, settings.sourceKey(), positionText);
    positionUnsaved = false;
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken; the next poll connects anew
      }
    }
  }

  private void run() {
    long backoff = MIN_BACKOFF_MS;
    while (stopping.getCount() > 0) {
      long sleep;
      try {
        boolean full = poll();
        databaseOutage.recovered();
        kafkaOutage.recovered();
        backoff = MIN_BACKOFF_MS;
        sleep = full ? 0 : settings.interval().toMillis();
      } catch (SQLException e) {
        databaseOutage.failed(describe(e), backoff);
        sleep = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } catch (IOException e) {
        if (stopping.getCount() == 0) break;
        databaseOutage.recovered();
        kafkaOutage.failed(e.getMessage(), backoff);
        sleep = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // Not expected; keep polling rather than leave the table unread.
        LOG.error(
            "JDBC {}: poll failed unexpectedly; retrying in {} ms", settings.table(), backoff, e);
        sleep = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      try {
        if (sleep > 0 && stopping.await(sleep, TimeUnit.MILLISECONDS)) break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** The cause with the hint an operator needs for the usual configuration mistakes. */
  private String describe(SQLException e) {
    String state = e.getSQLState();
    String hint = "";
    if ("42P01".equals(state)) {
      hint =
          "; check ingest.jdbc.table: names are matched exactly as stored, and PostgreSQL stores unquoted "
              + "names in lower case";
    } else if ("42703".equals(state)) {
      hint =
          "; check ingest.jdbc.positionColumn: names are matched exactly as stored, and PostgreSQL stores "
              + "unquoted names in lower case";
    }
    return e.getMessage() + (state == null ? "" : " [SQLState " + state + "]") + hint;
  }

  @Override
  public void close() {
    stopping.countDown();
    if (loop != null) {
      try {
        loop.join(30_000);
        if (loop.isAlive()) {
          LOG.warn(
              "JDBC {}: poll still running after 30 s; closing its connection", settings.table());
          loop.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeConnection();
    kafka.close();
    LOG.info(
        "JDBC poller on {} stopped: {} rows read, {} records accepted, position {}",
        settings.table(),
        rowsRead.sum(),
        accepted.sum(),
        positionText);
  }

  /** One row read: its position (typed and as stored), the contract JSON, and when it was read. */
  private record Row(Object position, String positionText, ObjectNode json, long receivedAt) {}

  /** Logs a failing dependency once per outage instead of once per retry. */
  private final class Outage {
    private final String what;
    private int failures;
    private long since;

    Outage(String what) {
      this.what = what;
    }

    void failed(String cause, long retryMs) {
      if (failures++ == 0) {
        since = System.nanoTime();
        LOG.warn(
            "JDBC {}: {} unavailable: {}; retrying with back-off (next in {} ms), position stays at {}",
            settings.table(),
            what,
            cause,
            retryMs,
            positionText == null ? "the first row" : positionText);
      } else {
        LOG.debug(
            "JDBC {}: {} still unavailable ({} attempts): {}",
            settings.table(),
            what,
            failures,
            cause);
      }
    }

    void recovered() {
      if (failures > 0) {
        LOG.info(
            "JDBC {}: {} available again after {} failed attempt(s) over {} s",
            settings.table(),
            what,
            failures,
            (System.nanoTime() - since) / 1_000_000_000);
        failures = 0;
      }
    }
  }
}
