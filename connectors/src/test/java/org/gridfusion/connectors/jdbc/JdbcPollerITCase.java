package org.gridfusion.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poller against a real PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}, trust authentication, as {@code .ci/services.sh} starts it) and the embedded Kafka.
 *
 * <p>Every table of a run lives in its own schema, {@code gf_jdbc_it_<random>}, which is also the
 * connection's {@code search_path}: the position table is created there from nothing, and dropping
 * the schema at the end removes all of it. Without PostgreSQL the class fails, it does not skip.
 *
 * <p>Phases driven with {@link JdbcPoller#pollOnce()} return only after Kafka acknowledged the
 * batch, so reading the topic to its end offsets then shows exactly what was sent: the tests assert
 * exact record ids, which catches both skipped and repeated rows.
 */
@ExtendWith(EmbeddedStackExtension.class)
class JdbcPollerITCase {
  private static final TestDatabase DB = TestDatabase.create("gf_jdbc_it");
  private static final String SCHEMA = DB.schema();
  private static final String URL = DB.url();

  /** Event times near the test's start, well inside the validation window. */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static final Instant TEN_MINUTES_AGO = NOW.minus(10, ChronoUnit.MINUTES);

  private static final AvroCodec<DepartmentRecord> CODEC = AvroCodec.of(DepartmentRecord.class);
  private static String bootstrap;

  @BeforeAll
  static void database(Endpoints stack) {
    bootstrap = stack.kafkaBootstrap();
    KafkaProbe.createTopics(bootstrap, 2);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    DB.close();
  }

  @Test
  void rowsOfTheContractShapeAreStoredAndABadRowIsDeadLetteredWithoutStoppingTheRest()
      throws Exception {
    sql(
        "CREATE TABLE shape (\"recordId\" text, department text, \"recordType\" text, ts timestamptz,"
            + " \"addressCode\" text, \"subjectId\" text, lat double precision, lon numeric(9,6), attributes jsonb,"
            + " seq bigint)");
    sql(
        "INSERT INTO shape VALUES"
            + " ('jd-shape-1', 'CIVIL_AFFAIRS', 'ELDERLY_LIVING_ALONE', '"
            + TEN_MINUTES_AGO
            + "', '150502-001-0042',"
            + "  '110101194001011234', NULL, NULL, '{\"doorSensorId\":\"DOOR-0042\",\"floor\":3}', 1),"
            + " ('jd-shape-2', 'POLICE', 'INCIDENT_REPORT', '"
            + TEN_MINUTES_AGO.plusSeconds(1)
            + "', NULL, NULL,"
            + "  43.65, 122.240001, NULL, 2),"
            + " ('jd-shape-bad', 'NOT_A_DEPARTMENT', 'CASE_REPORTED', '"
            + TEN_MINUTES_AGO
            + "', '150502-001-0042',"
            + "  NULL, NULL, NULL, NULL, 3),"
            + " ('jd-shape-3', 'HOUSING', 'DANGEROUS_BUILDING', '"
            + TEN_MINUTES_AGO
            + "', '150502-001-0043',"
            + "  NULL, NULL, NULL, '{}', 4)");

    JdbcSettings settings = settings("shape", "seq", 100);
    try (JdbcPoller poller = JdbcPoller.start(settings)) {
      var records =
          KafkaProbe.readUntil(
              bootstrap,
              Topics.RAW_DEPARTMENT,
              rs -> ids(rs, "jd-shape-").size() >= 3,
              Duration.ofSeconds(30));
      Map<String, DepartmentRecord> byId = new HashMap<>();
      for (DepartmentRecord r : decode(records)) byId.put(r.getRecordId(), r);

      DepartmentRecord elderly = byId.get("jd-shape-1");
      assertThat(elderly.getDepartment()).isEqualTo("CIVIL_AFFAIRS");
      assertThat(elderly.getTs()).isEqualTo(TEN_MINUTES_AGO);
      assertThat(elderly.getSubjectId()).isEqualTo("110101194001011234");
      assertThat(elderly.getAttributes())
          .containsEntry("doorSensorId", "DOOR-0042")
          .containsEntry("floor", "3");
      assertThat(elderly.getOrigin()).isEqualTo("jdbc:shape:1");
      DepartmentRecord police = byId.get("jd-shape-2");
      assertThat(police.getLat()).isEqualTo(43.65);
      assertThat(police.getLon()).isEqualTo(122.240001);
      assertThat(police.getAddressCode()).isNull();
      assertThat(byId).containsKey("jd-shape-3").doesNotContainKey("jd-shape-bad");

      var letters =
          KafkaProbe.readUntil(
              bootstrap,
              Topics.DEADLETTER,
              rs -> rs.stream().map(KafkaProbe::text).anyMatch(t -> t.contains("jd-shape-bad")),
              Duration.ofSeconds(30));
      JsonNode letter =
          Json.MAPPER.readTree(
              letters.stream()
                  .map(KafkaProbe::text)
                  .filter(t -> t.contains("jd-shape-bad"))
                  .findFirst()
                  .orElseThrow());
      assertThat(letter.get("source").asText()).isEqualTo("department");
      assertThat(letter.get("reason").asText()).isEqualTo("UNKNOWN_DEPARTMENT");
      assertThat(letter.get("origin").asText()).isEqualTo("jdbc:shape:3");
      JsonNode payload = Json.MAPPER.readTree(letter.get("payload").asText());
      assertThat(payload.get("recordId").asText()).isEqualTo("jd-shape-bad");
      assertThat(payload.get("seq").asLong()).isEqualTo(3);

      await(() -> storedPosition("shape:seq") != null && storedPosition("shape:seq").equals("4"));
      assertThat(poller.metrics().get("rows_read_total")).isEqualTo(4);
      assertThat(poller.metrics().get("records_accepted_total")).isEqualTo(3);
      assertThat(poller.metrics().get("dead_letters_total{reason=\"UNKNOWN_DEPARTMENT\"}"))
          .isEqualTo(1);
      assertThat(poller.metrics().prometheusText())
          .contains("gridfusion_jdbc_polls_total")
          .contains("gridfusion_jdbc_errors_total{kind=\"database\"} 0");
    }
  }

  @Test
  void aRestartedPollerSendsOnlyTheRowsAddedSinceItsLastPosition() throws Exception {
    // Lower-case column names (as an unquoted CREATE TABLE makes them), ts and attributes as text,
    // and a
    // timestamp-without-zone position with microseconds; the table is configured schema-qualified.
    sql(
        "CREATE TABLE restart (recordid text, department text, recordtype text, ts text, addresscode text,"
            + " attributes text, changed_at timestamp)");
    LocalDateTime base = LocalDateTime.of(2026, 1, 5, 8, 0, 0, 123_456_000);
    for (int i = 1; i <= 5; i++) insertRestartRow(i, base);
    JdbcSettings settings = settings(SCHEMA + ".restart", "changed_at", 100);

    try (JdbcPoller first = JdbcPoller.open(settings)) {
      first.pollOnce();
      first.pollOnce(); // nothing new: sends nothing, keeps the position
    }
    assertThat(ids(readToEnd(Topics.RAW_DEPARTMENT), "jd-restart-"))
        .containsExactly(
            "jd-restart-1", "jd-restart-2", "jd-restart-3", "jd-restart-4", "jd-restart-5");
    assertThat(storedPosition(SCHEMA + ".restart:changed_at"))
        .isEqualTo(base.plusMinutes(5).toString());

    for (int i = 6; i <= 8; i++) insertRestartRow(i, base);
    try (JdbcPoller second = JdbcPoller.open(settings)) {
      second.pollOnce();
      assertThat(second.metrics().get("rows_read_total")).isEqualTo(3);
    }
    List<DepartmentRecord> all = decode(readToEnd(Topics.RAW_DEPARTMENT));
    assertThat(idsOf(all, "jd-restart-"))
        .containsExactly(
            "jd-restart-1",
            "jd-restart-2",
            "jd-restart-3",
            "jd-restart-4",
            "jd-restart-5",
            "jd-restart-6",
            "jd-restart-7",
            "jd-restart-8");
    DepartmentRecord sixth =
        all.stream().filter(r -> r.getRecordId().equals("jd-restart-6")).findFirst().orElseThrow();
    assertThat(sixth.getAttributes()).containsEntry("category", "PROPERTY");
    assertThat(sixth.getOrigin()).isEqualTo("jdbc:" + SCHEMA + ".restart:" + base.plusMinutes(6));
  }

  @Test
  void aBatchEndingInsideARunOfEqualPositionsIsExtendedToTheEndOfTheRun() throws Exception {
    sql(
        "CREATE TABLE runs (\"recordId\" text, department text, \"recordType\" text, ts timestamptz,"
            + " \"addressCode\" text)");
    Instant t0 = TEN_MINUTES_AGO.plusNanos(250_001_000); // microseconds, as PostgreSQL keeps them
    Instant t1 = t0.plusSeconds(1);
    Instant t2 = t0.plusSeconds(2);
    Instant t3 = t0.plusSeconds(3);
    // A run of three longer than the batch of two, a run of two split by a batch boundary, then a
    // single.
    insertRun("jd-run-p", t0);
    insertRun("jd-run-s", t1);
    insertRun("jd-run-q", t0);
    insertRun("jd-run-t", t2);
    insertRun("jd-run-r", t0);
    insertRun("jd-run-u", t2);
    insertRun("jd-run-v", t3);
    JdbcSettings settings = settings("runs", "ts", 2);

    try (JdbcPoller poller = JdbcPoller.open(settings)) {
      poller.pollOnce(); // p, q full at t0 → the whole run p, q, r
      assertThat(ids(readToEnd(Topics.RAW_DEPARTMENT), "jd-run-"))
          .containsExactly("jd-run-p", "jd-run-q", "jd-run-r");
      assertThat(storedPosition("runs:ts")).isEqualTo(t0.toString());

      poller.pollOnce(); // s, t full, t ends inside the run at t2 → s, t, u
      assertThat(ids(readToEnd(Topics.RAW_DEPARTMENT), "jd-run-"))
          .containsExactly("jd-run-p", "jd-run-q", "jd-run-r", "jd-run-s", "jd-run-t", "jd-run-u");
      assertThat(storedPosition("runs:ts")).isEqualTo(t2.toString());

      poller.pollOnce(); // v alone: not full, nothing to extend
      poller.pollOnce(); // nothing left
      assertThat(ids(readToEnd(Topics.RAW_DEPARTMENT), "jd-run-"))
          .containsExactly(
              "jd-run-p", "jd-run-q", "jd-run-r", "jd-run-s", "jd-run-t", "jd-run-u", "jd-run-v");
      assertThat(storedPosition("runs:ts")).isEqualTo(t3.toString());
      assertThat(poller.metrics().get("rows_read_total")).isEqualTo(7);
    }
  }

  @Test
  void fullBatchesArePolledAgainAtOnceUntilTheTableIsRead() throws Exception {
    sql(
        "CREATE TABLE many (\"recordId\" text, department text, \"recordType\" text, ts bigint, lat numeric,"
            + " lon numeric, seq bigint)");
    for (int i = 1; i <= 10; i++) {
      sql(
          "INSERT INTO many VALUES ('jd-many-"
              + (char) ('a' + i - 1)
              + "', 'URBAN_MANAGEMENT', 'CASE_REPORTED', "
              + TEN_MINUTES_AGO.plusSeconds(i).toEpochMilli()
              + ", 43.65, 122.24, "
              + (i * 10)
              + ")");
    }
    // An hour between polls that found less than a batch: all ten rows arrive only if every full
    // batch
    // (3, 3, 3) is followed by another poll at once.
    JdbcSettings settings =
        JdbcSettings.from(
            config("many", "seq", 3).with(GridFusionOptions.INGEST_JDBC_INTERVAL, "1h"));
    try (JdbcPoller poller = JdbcPoller.start(settings)) {
      await(() -> "100".equals(storedPosition("many:seq")));
      assertThat(poller.metrics().get("polls_total")).isEqualTo(4);
      assertThat(poller.metrics().get("rows_read_total")).isEqualTo(10);
    }
    List<DepartmentRecord> all = decode(readToEnd(Topics.RAW_DEPARTMENT));
    assertThat(idsOf(all, "jd-many-"))
        .containsExactly(
            "jd-many-a",
            "jd-many-b",
            "jd-many-c",
            "jd-many-d",
            "jd-many-e",
            "jd-many-f",
            "jd-many-g",
            "jd-many-h",
            "jd-many-i",
            "jd-many-j");
    assertThat(
            all.stream()
                .filter(r -> r.getRecordId().equals("jd-many-a"))
                .findFirst()
                .orElseThrow()
                .getTs())
        .isEqualTo(TEN_MINUTES_AGO.plusSeconds(1));
  }

  @Test
  void aMissingTableIsRetriedAndPolledOnceItAppears() throws Exception {
    JdbcSettings settings = settings("late", "seq", 100);
    try (JdbcPoller poller = JdbcPoller.start(settings)) {
      await(() -> poller.metrics().get("errors_total{kind=\"database\"}") >= 1);
      sql(
          "CREATE TABLE late (\"recordId\" text, department text, \"recordType\" text, ts timestamptz,"
              + " \"addressCode\" text, seq integer)");
      sql(
          "INSERT INTO late VALUES ('jd-late-1', 'HEALTH', 'INSPECTION_FAILED', '"
              + TEN_MINUTES_AGO
              + "', '150502-001-0042', 1)");
      KafkaProbe.readUntil(
          bootstrap,
          Topics.RAW_DEPARTMENT,
          rs -> ids(rs, "jd-late-").contains("jd-late-1"),
          Duration.ofSeconds(60));
      await(() -> "1".equals(storedPosition("late:seq")));
    }
  }

  @Test
  void whileKafkaDoesNotAcknowledgeThePositionStaysAndTheBatchIsSentOnceKafkaIsBack()
      throws Exception {
    sql(
        "CREATE TABLE outage (\"recordId\" text, department text, \"recordType\" text, ts timestamptz,"
            + " \"addressCode\" text, seq numeric)");
    sql(
        "INSERT INTO outage VALUES ('jd-outage-1', 'PETITION', 'PETITION_FILED', '"
            + TEN_MINUTES_AGO
            + "', '150502-001-0042', 1.5), ('jd-outage-2', 'JUSTICE', 'COMMUNITY_CORRECTION', '"
            + TEN_MINUTES_AGO
            + "', '150502-001-0042', 2.25)");
    JdbcSettings settings = settings("outage", "seq", 100).withAckTimeout(Duration.ofSeconds(5));
    try (JdbcPoller poller = JdbcPoller.open(settings)) {
      EmbeddedStackExtension.kafka().stop();
      try {
        assertThatThrownBy(poller::pollOnce)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("Kafka");
        assertThat(storedPosition("outage:seq")).isNull();
        assertThat(poller.metrics().get("errors_total{kind=\"kafka\"}")).isEqualTo(1);
      } finally {
        EmbeddedStackExtension.kafka().restart();
      }
      // The producer reconnects in its own time: retry as the background loop would.
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (true) {
        try {
          poller.pollOnce();
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) throw e;
        }
      }
      assertThat(storedPosition("outage:seq")).isEqualTo("2.25");
    }
    // At least once: sends from the failed attempt may also have arrived once Kafka was back.
    assertThat(ids(readToEnd(Topics.RAW_DEPARTMENT), "jd-outage-"))
        .contains("jd-outage-1", "jd-outage-2");
  }

  // --- helpers

  private static Config config(String table, String column, int batch) {
    return Config.empty()
        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
        .with(GridFusionOptions.INGEST_JDBC_URL, URL)
        .with(GridFusionOptions.INGEST_JDBC_USER, TestDatabase.USER)
        .with(GridFusionOptions.INGEST_JDBC_TABLE, table)
        .with(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, column)
        .with(GridFusionOptions.INGEST_JDBC_BATCH, batch)
        .with(GridFusionOptions.INGEST_JDBC_INTERVAL, "200ms")
        .with(GridFusionOptions.KAFKA_BOOTSTRAP, bootstrap);
  }

  private static JdbcSettings settings(String table, String column, int batch) {
    return JdbcSettings.from(config(table, column, batch));
  }

  private static void insertRestartRow(int i, LocalDateTime base) throws SQLException {
    sql(
        "INSERT INTO restart VALUES ('jd-restart-"
            + i
            + "', 'HOUSING', 'DANGEROUS_BUILDING', '"
            + TEN_MINUTES_AGO.plusSeconds(i)
            + "', '150502-001-0042', '{\"category\":\"PROPERTY\"}', '"
            + base.plusMinutes(i)
            + "')");
  }

  private static void insertRun(String id, Instant ts) throws SQLException {
    sql(
        "INSERT INTO runs VALUES ('"
            + id
            + "', 'MARKET_REGULATION', 'INSPECTION_FAILED', '"
            + ts
            + "', '150502-001-0042')");
  }

  private static Connection connect() throws SQLException {
    return DB.connect();
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static String storedPosition(String sourceKey) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT position FROM gridfusion_jdbc_position WHERE source_key = ?")) {
      ps.setString(1, sourceKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) return null; // not created yet
      throw new AssertionError(e);
    }
  }

  /**
   * Every record of {@code topic}, read from the beginning up to the end offsets of this moment.
   */
  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline)
          throw new AssertionError("could not read " + topic + " to " + end);
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static List<DepartmentRecord> decode(List<ConsumerRecord<byte[], byte[]>> records) {
    List<DepartmentRecord> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        out.add(CODEC.decode(r.value()));
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("not a DepartmentRecord on " + r.topic() + "@" + r.offset(), e);
      }
    }
    return out;
  }

  /**
   * The record ids with {@code prefix}, sorted, repeats kept (so a repeat fails an exact
   * comparison).
   */
  private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records, String prefix) {
    return idsOf(decode(records), prefix);
  }

  private static List<String> idsOf(List<DepartmentRecord> records, String prefix) {
    return records.stream()
        .map(DepartmentRecord::getRecordId)
        .filter(id -> id.startsWith(prefix))
        .sorted()
        .toList();
  }

  private static void await(BooleanSupplier condition) {
    Await.until("condition", condition, Duration.ofSeconds(60));
  }
}
