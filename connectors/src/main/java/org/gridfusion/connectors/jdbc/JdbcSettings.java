package org.gridfusion.connectors.jdbc;

import java.time.Duration;
import java.time.ZoneId;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * Settings of the department-database poller (contract §2.3 "Database"), read and checked once at
 * start: a wrong value stops start-up with a message naming the key.
 *
 * @param zone the zone in which {@code timestamp} columns without a time zone are read ({@code
 *     time.zone})
 * @param ackTimeout how long a batch may wait for Kafka's acknowledgements before it is retried
 */
public record JdbcSettings(
    String url,
    String user,
    String password,
    SqlIdentifier table,
    SqlIdentifier positionColumn,
    int batchSize,
    Duration interval,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window,
    ZoneId zone,
    Duration ackTimeout) {
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

  public static JdbcSettings from(Config c) {
    String url = c.require(GridFusionOptions.INGEST_JDBC_URL, "for the database poller").trim();
    SqlIdentifier table =
        SqlIdentifier.parse(
            GridFusionOptions.INGEST_JDBC_TABLE.key(),
            c.require(GridFusionOptions.INGEST_JDBC_TABLE, "for the database poller"),
            true);
    SqlIdentifier column =
        SqlIdentifier.parse(
            GridFusionOptions.INGEST_JDBC_POSITION_COLUMN.key(),
            c.require(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "for the database poller"),
            false);
    // ranges and the zone id are checked by the options themselves
    int batch = c.get(GridFusionOptions.INGEST_JDBC_BATCH);
    Duration interval = c.get(GridFusionOptions.INGEST_JDBC_INTERVAL);
    ZoneId zone = ZoneId.of(c.get(GridFusionOptions.TIME_ZONE));
    return new JdbcSettings(
        url,
        blankToNull(c.get(GridFusionOptions.INGEST_JDBC_USER)),
        blankToNull(c.get(GridFusionOptions.INGEST_JDBC_PASSWORD)),
        table,
        column,
        batch,
        interval,
        KafkaConnection.from(c, "for the database poller to publish"),
        PayloadPseudonymiser.from(c),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)),
        zone,
        DEFAULT_ACK_TIMEOUT);
  }

  /** A copy with another Kafka acknowledgement timeout (tests that stop Kafka). */
  public JdbcSettings withAckTimeout(Duration timeout) {
    return new JdbcSettings(
        url,
        user,
        password,
        table,
        positionColumn,
        batchSize,
        interval,
        kafka,
        privacy,
        window,
        zone,
        timeout);
  }

  /** The row of {@code gridfusion_jdbc_position} that holds this source's position. */
  public String sourceKey() {
    return table + ":" + positionColumn.name();
  }

  /** The URL without its parameters, which may hold a password: for logs. */
  public String safeUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return "JdbcSettings[url="
        + safeUrl()
        + ", user="
        + user
        + ", password="
        + (password == null ? null : "****")
        + ", table="
        + table
        + ", positionColumn="
        + positionColumn
        + ", batchSize="
        + batchSize
        + ", interval="
        + interval
        + ", kafka="
        + kafka
        + ", window="
        + window
        + ", zone="
        + zone
        + ", ackTimeout="
        + ackTimeout
        + "]";
  }
}
