package org.gridfusion.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.junit.jupiter.api.Test;

class JdbcSettingsTest {
  private static Config valid() {
    return Config.empty()
        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
        .with(
            GridFusionOptions.INGEST_JDBC_URL,
            "jdbc:postgresql://db:5432/departments?password=secret")
        .with(GridFusionOptions.INGEST_JDBC_TABLE, "civil.dept_records")
        .with(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "updated_at")
        .with(GridFusionOptions.INGEST_JDBC_PASSWORD, "hunter2hunter2")
        .with(GridFusionOptions.KAFKA_BOOTSTRAP, "kafka:9092");
  }

  @Test
  void validSettingsAreReadWithDefaultsAndQuotedForSql() {
    JdbcSettings s = JdbcSettings.from(valid());
    assertThat(s.table().quoted()).isEqualTo("\"civil\".\"dept_records\"");
    assertThat(s.positionColumn().quoted()).isEqualTo("\"updated_at\"");
    assertThat(s.sourceKey()).isEqualTo("civil.dept_records:updated_at");
    assertThat(s.batchSize()).isEqualTo(1000);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.ackTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.zone().getId()).isEqualTo("Asia/Shanghai");
    // neither the password option nor a password in the URL reaches a log line
    assertThat(s.toString())
        .doesNotContain("hunter2")
        .doesNotContain("secret")
        .contains("password=****");
    assertThat(s.safeUrl()).isEqualTo("jdbc:postgresql://db:5432/departments");
  }

  @Test
  void nonLatinNamesAreIdentifiersToo() {
    JdbcSettings s = JdbcSettings.from(valid().with(GridFusionOptions.INGEST_JDBC_TABLE, "民政_记录"));
    assertThat(s.table().quoted()).isEqualTo("\"民政_记录\"");
  }

  @Test
  void namesThatCouldEscapeTheirQuotesAreRefusedNamingTheKey() {
    for (String bad :
        new String[] {
          "records; DROP TABLE x",
          "rec\"ords",
          "a.b.c",
          "1records",
          "",
          "rec ords",
          "a.",
          "x".repeat(64)
        }) {
      assertThatThrownBy(
              () -> JdbcSettings.from(valid().with(GridFusionOptions.INGEST_JDBC_TABLE, bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ingest.jdbc.table");
    }
    // a column is never schema-qualified
    assertThatThrownBy(
            () ->
                JdbcSettings.from(
                    valid().with(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "t.seq")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.jdbc.positionColumn");
  }

  @Test
  void missingOrWrongValuesNameTheirKey() {
    assertThatThrownBy(
            () ->
                JdbcSettings.from(Config.empty().with(GridFusionOptions.KAFKA_BOOTSTRAP, "k:9092")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.jdbc.url");
    assertThatThrownBy(
            () ->
                JdbcSettings.from(
                    valid().with(GridFusionOptions.INGEST_JDBC_URL, "postgres://db/x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.jdbc.url");
    assertThatThrownBy(
            () -> JdbcSettings.from(valid().with(GridFusionOptions.INGEST_JDBC_BATCH, 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.jdbc.batchSize");
    assertThatThrownBy(
            () -> JdbcSettings.from(valid().with(GridFusionOptions.INGEST_JDBC_INTERVAL, "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.jdbc.interval");
    assertThatThrownBy(
            () -> JdbcSettings.from(valid().with(GridFusionOptions.TIME_ZONE, "Mars/Olympus")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("time.zone");
  }
}
