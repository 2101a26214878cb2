package org.gridfusion.launcher.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.jdbc.JdbcPoller;
import org.gridfusion.connectors.jdbc.JdbcSettings;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.Progress;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.simulator.traffic.Simulation;
import org.gridfusion.simulator.traffic.SourceProgress;
import org.gridfusion.simulator.traffic.TrafficConfig;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.gridfusion.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code simulate run --via jdbc,kafka}: department records (with duplicates and bad ones) inserted
 * into a real PostgreSQL table and taken from there by the real JDBC poller, cameras and sensors
 * straight into the embedded Kafka's raw topics. Every department record sent comes out of the
 * poller exactly once, in gf.raw.department or as a dead letter, and every camera event
 * acknowledged is in gf.raw.camera. The table lives in a schema of its own ({@link TestDatabase}).
 */
@ExtendWith(EmbeddedStackExtension.class)
class TrafficRoutesITCase {
  private static final String RUN = "routes_it_" + Long.toString(System.currentTimeMillis(), 36);
  private static TestDatabase db;
  private static String TABLE;

  @BeforeAll
  static void schema() {
    db = TestDatabase.create("gf_routes_it");
    TABLE = db.schema() + ".dept_records";
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    db.close();
  }

  @Test
  void departmentRecordsThroughTheDatabaseAndTheRestStraightIntoKafkaLoseNothing(Endpoints stack)
      throws Exception {
    KafkaProbe.createTopics(stack.kafkaBootstrap(), 2);
    Config config =
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "traffic-test-secret-0123")
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.kafkaBootstrap())
            .with(GridFusionOptions.INGEST_JDBC_URL, TestDatabase.DATABASE)
            .with(GridFusionOptions.INGEST_JDBC_USER, TestDatabase.USER)
            .with(GridFusionOptions.INGEST_JDBC_TABLE, TABLE)
            .with(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "seq");
    District district = DistrictGenerator.generate(DistrictSpec.small(11));
    TrafficConfig traffic =
        TrafficConfig.defaults(11, Instant.now())
            .withRates(40, 20, 30)
            .withShares(0.05, 0.1)
            .withRunId(RUN);

    TrafficRoutes routes = TrafficRoutes.parse("jdbc,kafka");
    assertThat(routes)
        .isEqualTo(
            new TrafficRoutes(
                TrafficRoutes.Route.KAFKA, TrafficRoutes.Route.KAFKA, TrafficRoutes.Route.JDBC));
    Progress progress;
    try (RoutingTrafficSink sink = routes.open(config, "routes-it", null)) {
      progress = Simulation.run(district, traffic, sink, Duration.ofSeconds(4), p -> {});
    }
    SourceProgress departments = progress.source(TrafficSource.DEPARTMENT);
    SourceProgress cameras = progress.source(TrafficSource.CAMERA);
    assertThat(departments.sent()).as("department records sent").isGreaterThan(20);
    for (TrafficSource s : TrafficSource.values()) {
      assertThat(progress.source(s).acknowledged())
          .as("%s acknowledged", s)
          .isEqualTo(progress.source(s).sent());
      assertThat(progress.source(s).failed()).as("%s failed", s).isZero();
    }
    assertThat(db.queryLong("SELECT count(*) FROM " + TABLE))
        .as("rows in " + TABLE)
        .isEqualTo(departments.sent());

    try (JdbcPoller poller = JdbcPoller.open(JdbcSettings.from(config))) {
      for (int i = 0; i < 3; i++) poller.pollOnce();
    }
    AvroCodec<DepartmentRecord> records = AvroCodec.of(DepartmentRecord.class);
    long stored =
        KafkaProbe.readAll(stack.kafkaBootstrap(), Topics.RAW_DEPARTMENT, Duration.ofSeconds(30))
            .stream()
            .filter(r -> decode(records, r).getRecordId().contains(RUN))
            .count();
    String origin = "jdbc:" + TABLE + ":";
    List<JsonNode> deadLetters =
        KafkaProbe.readAll(stack.kafkaBootstrap(), Topics.DEADLETTER, Duration.ofSeconds(30))
            .stream()
            .map(r -> json(KafkaProbe.text(r)))
            .filter(d -> d.path("origin").asText().startsWith(origin))
            .toList();
    assertThat(stored + deadLetters.size())
        .as("department records out of the poller")
        .isEqualTo(departments.sent());
    assertThat(deadLetters).as("bad records were sent").isNotEmpty();
    assertThat(stored).as("good records were sent").isGreaterThan(deadLetters.size());

    AvroCodec<CameraEvent> events = AvroCodec.of(CameraEvent.class);
    long cameraEvents =
        KafkaProbe.readAll(stack.kafkaBootstrap(), Topics.RAW_CAMERA, Duration.ofSeconds(30))
            .stream()
            .filter(r -> decode(events, r).getEventId().contains(RUN))
            .count();
    assertThat(cameraEvents)
        .as("camera events in " + Topics.RAW_CAMERA)
        .isEqualTo(cameras.acknowledged() - cameras.rejected());
  }

  private static <T extends SpecificRecordBase> T decode(
      AvroCodec<T> codec, ConsumerRecord<byte[], byte[]> r) {
    try {
      return codec.decode(r.value());
    } catch (IOException e) {
      throw new AssertionError("not Avro: " + r, e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("dead letter is not JSON: " + text, e);
    }
  }
}
