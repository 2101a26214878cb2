package org.gridfusion.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void environmentVariableNamesFollowTheContract() {
    assertThat(GridFusionOptions.ELASTICSEARCH_URL.environmentVariable())
        .isEqualTo("GF_ELASTICSEARCH_URL");
    assertThat(GridFusionOptions.REFERENCE_GRID_MAP.environmentVariable())
        .isEqualTo("GF_REFERENCE_GRIDMAP");
  }

  @Test
  void aTypoOrABadValueNamesTheKey() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "elasticsearch:\n  ulr: x\n");
    assertThatThrownBy(() -> Config.load(f, Map.of())).hasMessageContaining("elasticsearch.ulr");
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
  void defaultsMatchTheContract() {
    Config c = Config.empty();
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_PORT)).isEqualTo(8088);
    assertThat(c.get(GridFusionOptions.TIME_ZONE)).isEqualTo("Asia/Shanghai");
    assertThat(c.get(GridFusionOptions.VALIDATION_MAX_FUTURE)).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.get(GridFusionOptions.VALIDATION_HORIZON)).isEqualTo(Duration.ofDays(30));
    assertThat(c.get(GridFusionOptions.INGEST_HTTP_TOKENS)).isEqualTo(List.of());
  }
}
