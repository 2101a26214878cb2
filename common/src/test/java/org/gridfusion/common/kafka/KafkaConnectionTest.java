package org.gridfusion.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
  private static Config sasl() {
    return Config.empty()
        .with(GridFusionOptions.KAFKA_BOOTSTRAP, "k1:9093,k2:9093")
        .with(GridFusionOptions.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
        .with(GridFusionOptions.KAFKA_SASL_USERNAME, "gridfusion")
        .with(GridFusionOptions.KAFKA_SASL_PASSWORD, "pa\"ss\\word");
  }

  @Test
  void saslSettingsBecomeClientPropertiesWithAnEscapedLogin() {
    KafkaConnection k = KafkaConnection.from(sasl(), "for a test");
    Properties p = k.properties("client-1");
    assertThat(p)
        .containsEntry("bootstrap.servers", "k1:9093,k2:9093")
        .containsEntry("client.id", "client-1")
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(p.getProperty("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"gridfusion\" password=\"pa\\\"ss\\\\word\";");
    assertThat(k.secured()).isTrue();
    assertThat(k.toString()).doesNotContain("pa\"ss").contains("SASL_PLAINTEXT");
  }

  @Test
  void plaintextCarriesNoSecurity() {
    KafkaConnection k =
        KafkaConnection.from(
            Config.empty().with(GridFusionOptions.KAFKA_BOOTSTRAP, "k:9092"), "for a test");
    assertThat(k.secured()).isFalse();
    assertThat(k.properties()).containsOnlyKeys("bootstrap.servers", "security.protocol");
  }

  @Test
  void passthroughPropertiesAreCheckedAgainstTheKafkaClient() {
    Config c =
        sasl()
            .with(
                GridFusionOptions.KAFKA_PROPERTIES,
                "ssl.enabled.protocols=TLSv1.2,TLSv1.3,sasl.login.refresh.buffer.seconds=60");
    assertThat(c.problems()).isEmpty();
    assertThat(KafkaConnection.from(c, "t").properties())
        .containsEntry("ssl.enabled.protocols", "TLSv1.2,TLSv1.3")
        .containsEntry("sasl.login.refresh.buffer.seconds", "60");

    assertThat(
            sasl()
                .with(
                    GridFusionOptions.KAFKA_PROPERTIES,
                    "no.such.property=1,bootstrap.servers=x:1,security.protocol=SSL")
                .problems())
        .extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder(
            "kafka.properties.no.such.property",
            "kafka.properties.bootstrap.servers",
            "kafka.properties.security.protocol");
  }

  @Test
  void incompleteOrMismatchedSecurityIsRefusedUpFrontNamingTheKey() {
    Config noPassword =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, "k:9092")
            .with(GridFusionOptions.KAFKA_SECURITY_PROTOCOL, "SASL_SSL")
            .with(GridFusionOptions.KAFKA_SASL_USERNAME, "u");
    assertThat(noPassword.problems())
        .extracting(ConfigProblem::key)
        .containsExactly("kafka.sasl.password");
    assertThatThrownBy(() -> KafkaConnection.from(noPassword, "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.sasl.password");

    Config userWithoutSasl =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, "k:9092")
            .with(GridFusionOptions.KAFKA_SASL_USERNAME, "u");
    assertThat(userWithoutSasl.problems())
        .extracting(ConfigProblem::key)
        .containsExactly("kafka.sasl.username");
  }

  @Test
  void aSecretPassthroughNeverShowsInTheConfigurationDescription() {
    Config c =
        sasl()
            .with(
                GridFusionOptions.KAFKA_PROPERTIES,
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"u\" password=\"hidden-pw\";");
    assertThat(c.problems()).isEmpty();
    assertThat(KafkaConnection.from(c, "t").properties().getProperty("sasl.jaas.config"))
        .contains("hidden-pw");
    assertThat(c.describe()).doesNotContain("hidden-pw", "pa\"ss");
    assertThat(c.describeEffective()).doesNotContain("hidden-pw", "pa\"ss");
  }
}
