package org.gridfusion.common.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import org.junit.jupiter.api.Test;

class ElasticsearchConnectionTest {
  @Test
  void basicAuthAndApiKeyBecomeTheAuthorizationHeader() {
    Config c =
        Config.empty()
            .with(GridFusionOptions.ELASTICSEARCH_URL, "https://es.example:9200/")
            .with(GridFusionOptions.ELASTICSEARCH_USERNAME, "gridfusion")
            .with(GridFusionOptions.ELASTICSEARCH_PASSWORD, "s3cret-pw");
    ElasticsearchConnection es = ElasticsearchConnection.from(c, "t");
    assertThat(es.url()).isEqualTo("https://es.example:9200");
    assertThat(es.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("gridfusion:s3cret-pw".getBytes(StandardCharsets.UTF_8)));
    assertThat(es.toString()).doesNotContain("s3cret-pw");

    ElasticsearchConnection key =
        ElasticsearchConnection.from(
            Config.empty()
                .with(GridFusionOptions.ELASTICSEARCH_URL, "https://es.example:9200")
                .with(GridFusionOptions.ELASTICSEARCH_API_KEY, "a2V5OnZhbHVl"),
            "t");
    assertThat(key.authorization()).isEqualTo("ApiKey a2V5OnZhbHVl");
    assertThat(key.toString()).doesNotContain("a2V5OnZhbHVl");
  }

  @Test
  void credentialsInClearOverTheNetworkAndHalfLoginsAreRefused() {
    assertThat(
            Config.empty()
                .with(GridFusionOptions.ELASTICSEARCH_URL, "http://es.example:9200")
                .with(GridFusionOptions.ELASTICSEARCH_USERNAME, "u")
                .with(GridFusionOptions.ELASTICSEARCH_PASSWORD, "p")
                .problems())
        .extracting(ConfigProblem::key)
        .containsExactly("elasticsearch.url");
    assertThat(
            Config.empty()
                .with(GridFusionOptions.ELASTICSEARCH_URL, "http://127.0.0.1:9200")
                .with(GridFusionOptions.ELASTICSEARCH_USERNAME, "u")
                .problems())
        .extracting(ConfigProblem::key)
        .containsExactly("elasticsearch.password");
  }
}
