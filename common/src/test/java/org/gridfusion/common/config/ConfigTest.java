package org.gridfusion.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void fileThenEnvironmentThenOverride() throws Exception {
    Path f = dir.resolve("gf.yaml");
    Files.writeString(
        f,
        """
        elasticsearch:
          url: http://es:9200
        ingest:
          http:
            port: 9000
            tokens: [aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb]
        job:
          checkpointInterval: 30s
        """);
    Config c = Config.load(f, Map.of("GF_INGEST_HTTP_PORT", "9100"));
    assertThat(c.get(GridFusionOptions.ELASTICSEARCH_URL)).isEqualTo("http://es:9200");
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_PORT)).isEqualTo(9100);
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_TOKENS))
        .containsExactly("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb");
    assertThat(c.get(GridFusionOptions.JOB_CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
    assertThat(
            c.with(GridFusionOptions.INGEST_HTTP_PORT, 0).get(GridFusionOptions.INGEST_HTTP_PORT))
        .isZero();
    assertThat(c.describe()).contains("****").doesNotContain("aaaaaaaaaaaaaaaa");
  }

  @Test
  void weightsComeAsAYamlMappingOrNamePairsAndKeepUnnamedDefaults() throws Exception {
    Path f = dir.resolve("gf.yaml");
    Files.writeString(
        f,
        """
        risk:
          weights:
            record:
              FIRE_SMOKE: 12
              NEW_TYPE: 1.5
        """);
    Config c = Config.load(f, Map.of("GF_RISK_WEIGHTS_ALERT", "URGENT=60"));
    assertThat(c.get(GridFusionOptions.RISK_WEIGHTS_RECORD))
        .containsEntry("FIRE_SMOKE", 12.0)
        .containsEntry("NEW_TYPE", 1.5)
        .containsEntry("CROWD", 2.0);
    assertThat(c.get(GridFusionOptions.RISK_WEIGHTS_ALERT))
        .containsEntry("URGENT", 60.0)
        .containsEntry("GENERAL", 10.0);
    assertThatThrownBy(
            () ->
                Config.empty()
                    .with(GridFusionOptions.RISK_CAPS, "standing=x")
                    .get(GridFusionOptions.RISK_CAPS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("risk.caps");
    assertThatThrownBy(
            () ->
                Config.empty()
                    .with(GridFusionOptions.RISK_CAPS, "standing")
                    .get(GridFusionOptions.RISK_CAPS))
        .hasMessageContaining("'standing' is not NAME=number");
  }

  @Test
  void deviceAllowancesComeAsAYamlMappingOrNamePairsAndKeepUnnamedDefaults() throws Exception {
    Path f = dir.resolve("devices.yaml");
    Files.writeString(
        f,
        """
        devices:
          offline:
            after:
              GAS: 30m
        """);
    Config c = Config.load(f, Map.of("GF_DEVICES_OFFLINE_AFTER", "CAMERA=2h"));
    // the environment wins over the file for the whole key, as for every other key
    assertThat(c.get(GridFusionOptions.DEVICES_OFFLINE_AFTER))
        .containsEntry("CAMERA", Duration.ofHours(2))
        .containsEntry("SENSOR", Duration.ofHours(3))
        .containsEntry("DOOR", Duration.ofHours(12));
    assertThat(Config.load(f, Map.of()).get(GridFusionOptions.DEVICES_OFFLINE_AFTER))
        .containsEntry("GAS", Duration.ofMinutes(30))
        .containsEntry("CAMERA", Duration.ofHours(24));
    assertThatThrownBy(
            () ->
                Config.empty()
                    .with(GridFusionOptions.DEVICES_OFFLINE_AFTER, "LAMP=1h")
                    .get(GridFusionOptions.DEVICES_OFFLINE_AFTER))
        .hasMessageContaining("devices.offline.after")
        .hasMessageContaining("unknown name 'LAMP'");
    assertThatThrownBy(
            () ->
                Config.empty()
                    .with(GridFusionOptions.DEVICES_OFFLINE_AFTER, "GAS=soon")
                    .get(GridFusionOptions.DEVICES_OFFLINE_AFTER))
        .hasMessageContaining("devices.offline.after");
  }

  @Test
  void environmentVariableNamesFollowTheContract() {
    assertThat(GridFusionOptions.ELASTICSEARCH_URL.environmentVariable())
        .isEqualTo("GF_ELASTICSEARCH_URL");
    assertThat(GridFusionOptions.REFERENCE_GRID_MAP.environmentVariable())
        .isEqualTo("GF_REFERENCE_GRIDMAP");
  }

  @Test
  void consoleTokensAreAYamlListOfObjectsOrTokenRolePairs() throws Exception {
    Path f = dir.resolve("gf.yaml");
    Files.writeString(
        f,
        """
        console:
          port: 9090
          tokens:
            - {token: operator-token-0123456789, role: operator}
            - token: viewer-token-0123456789
              role: Viewer
        """);
    Config file = Config.load(f, Map.of());
    assertThat(file.problems()).isEmpty();
    assertThat(file.get(GridFusionOptions.CONSOLE_TOKENS))
        .containsExactly(
            new ConsoleToken("operator-token-0123456789", ConsoleToken.Role.OPERATOR),
            new ConsoleToken("viewer-token-0123456789", ConsoleToken.Role.VIEWER));
    assertThat(file.describe()).doesNotContain("operator-token-0123456789");

    Config env =
        Config.load(
            f,
            Map.of(
                "GF_CONSOLE_TOKENS",
                "env-operator-0123456789:operator, env-viewer-0123456789:viewer"));
    assertThat(env.get(GridFusionOptions.CONSOLE_TOKENS))
        .extracting(ConsoleToken::token, ConsoleToken::role)
        .containsExactly(
            tuple("env-operator-0123456789", ConsoleToken.Role.OPERATOR),
            tuple("env-viewer-0123456789", ConsoleToken.Role.VIEWER));
    assertThat(Config.empty().get(GridFusionOptions.CONSOLE_TOKENS)).isEmpty();
  }

  @Test
  void aBadConsoleTokenIsReportedWithoutShowingIt() throws Exception {
    Path f = dir.resolve("gf.yaml");
    Files.writeString(
        f,
        """
        console:
          tokens:
            - {token: good-token-0123456789, role: operator, rol: viewer}
        """);
    assertThat(Config.load(f, Map.of()).problems())
        .extracting(ConfigProblem::key)
        .containsExactly("console.tokens[1].rol");
    for (String[] bad :
        new String[][] {
          {"short:operator", "item #1: token must be at least 16 characters, got 5"},
          {"long-enough-token-01:admin", "role must be viewer or operator, got 'admin'"},
          {"long-enough-token-01", "item #1 must be token:role"},
          {"long enough token 01:viewer", "only letters, digits"},
          {"long-enough-token-01:viewer,long-enough-token-01:operator", "item #2 repeats the token"}
        }) {
      List<ConfigProblem> problems =
          Config.load(null, Map.of("GF_CONSOLE_TOKENS", bad[0])).problems();
      assertThat(problems).extracting(ConfigProblem::key).containsExactly("console.tokens");
      assertThat(problems.get(0).toString())
          .contains(bad[1])
          .doesNotContain("long-enough-token-01:")
          .doesNotContain("short:");
    }
  }

  @Test
  void aTypoOrABadValueNamesTheKey() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "elasticsearch:\n  ulr: x\n");
    assertThat(Config.load(f, Map.of()).problems())
        .extracting(ConfigProblem::key)
        .containsExactly("elasticsearch.ulr");
    Config c = Config.load(null, Map.of("GF_INGEST_HTTP_PORT", "eighty"));
    assertThatThrownBy(() -> c.get(GridFusionOptions.INGEST_HTTP_PORT))
        .hasMessageContaining("ingest.http.port")
        .hasMessageContaining("GF_INGEST_HTTP_PORT")
        .hasMessageContaining("eighty");
    assertThatThrownBy(
            () -> Config.empty().require(GridFusionOptions.PRIVACY_HMAC_SECRET, "to pseudonymise"))
        .hasMessageContaining("privacy.hmacSecret");
  }

  @Test
  void everyBadKeyIsReportedAtOnceWithItsVariableAndWhy() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        """
        kafka: { bootstrap: "kafka-1" }
        elasticsearch: { url: "es:9200", shardz: 2 }
        ingest: { http: { port: 70000, tokens: [ "short" ] } }
        privacy: { hmacSecret: "tiny" }
        time: { zone: "Mars/Olympus" }
        job: { checkpointInterval: 0s, target: "jm" }
        risk: { caps: { standing: 30 } }
        reference: { gridMap: /nowhere/grids.geojson }
        """);
    Config c = Config.load(f, Map.of("GF_JOB_PARALLELISM", "0"));
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> c.validate());
    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder(
            "elasticsearch.shardz",
            "kafka.bootstrap",
            "elasticsearch.url",
            "ingest.http.port",
            "ingest.http.tokens",
            "privacy.hmacSecret",
            "time.zone",
            "job.checkpointInterval",
            "job.target",
            "job.parallelism",
            "risk.caps",
            "reference.gridMap");
    assertThat(e.getMessage())
        .contains("12 problems")
        .contains("GF_PRIVACY_HMACSECRET")
        .contains("must be at least 16 characters, got 4")
        .contains(
            "GF_JOB_PARALLELISM, from environment GF_JOB_PARALLELISM): must be 1..1024, got 0")
        .contains("/nowhere/grids.geojson does not exist")
        .doesNotContain("tiny")
        .doesNotContain("short");
  }

  @Test
  void requiredKeysAreReportedWithTheOthers() {
    Config c = Config.empty().with(GridFusionOptions.MQTT_URL, "mqtt://broker");
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () ->
                c.validate(
                    GridFusionOptions.KAFKA_BOOTSTRAP, GridFusionOptions.INGEST_HTTP_TOKENS));
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "kafka.bootstrap (env GF_KAFKA_BOOTSTRAP, from unset): is required",
            "ingest.http.tokens (env GF_INGEST_HTTP_TOKENS, from unset): is required",
            "mqtt.url (env GF_MQTT_URL, from override): must be a URL with scheme tcp or ssl or ws"
                + " or wss (e.g. tcp://host:port), got 'mqtt://broker'");
  }

  @Test
  void aValueThatFailsItsCheckIsRefusedOnReadToo() {
    Config c = Config.empty().with(GridFusionOptions.PRIVACY_HMAC_SECRET, "0123456789");
    assertThatThrownBy(() -> c.get(GridFusionOptions.PRIVACY_HMAC_SECRET))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("privacy.hmacSecret")
        .hasMessageContaining("must be at least 16 characters, got 10")
        .hasMessageNotContaining("0123456789");
  }

  @Test
  void theEffectiveConfigurationShowsDefaultsAndMasksSecrets() {
    Config c =
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "a-secret-of-sixteen")
            .with(GridFusionOptions.INGEST_JDBC_PASSWORD, "hunter2");
    assertThat(c.describeEffective())
        .contains("privacy.hmacSecret")
        .contains("****")
        .doesNotContain("a-secret-of-sixteen")
        .doesNotContain("hunter2")
        .containsPattern("ingest\\.http\\.port\\s+= 8088  \\(default\\)")
        .containsPattern("kafka\\.bootstrap\\s+= \\(unset\\)");
  }

  @Test
  void jdbcPollingNeedsItsTableAndColumn() {
    Config c = Config.empty().with(GridFusionOptions.INGEST_JDBC_URL, "jdbc:postgresql://db/x");
    assertThat(c.problems())
        .extracting(ConfigProblem::key)
        .containsExactly("ingest.jdbc.table", "ingest.jdbc.positionColumn");
  }

  @Test
  void theDefaultsPassEveryCheck() {
    assertThat(Config.empty().problems()).isEmpty();
  }

  @Test
  void defaultsMatchTheContract() {
    Config c = Config.empty();
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_PORT)).isEqualTo(8088);
    assertThat(c.get(GridFusionOptions.TIME_ZONE)).isEqualTo("Asia/Shanghai");
    assertThat(c.get(GridFusionOptions.VALIDATION_MAX_FUTURE)).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.get(GridFusionOptions.VALIDATION_HORIZON)).isEqualTo(Duration.ofDays(30));
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_TOKENS)).isEqualTo(List.of());
    assertThat(c.get(GridFusionOptions.CONSOLE_PORT)).isEqualTo(8090);
  }
}
