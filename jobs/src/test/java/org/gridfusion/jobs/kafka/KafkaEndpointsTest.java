package org.gridfusion.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.junit.jupiter.api.Test;

class KafkaEndpointsTest {
  private static KafkaConnection kafka(String properties) {
    Config c = Config.empty().with(GridFusionOptions.KAFKA_BOOTSTRAP, "k:9092");
    if (properties != null) c = c.with(GridFusionOptions.KAFKA_PROPERTIES, properties);
    return KafkaConnection.from(c, "for a test");
  }

  @Test
  void avroSinksCompressAndBatchByDefault() {
    assertThat(KafkaEndpoints.avroSinkProperties(kafka(null)))
        .containsEntry("compression.type", "lz4")
        .containsEntry("batch.size", "262144")
        .containsEntry("linger.ms", "50")
        .containsEntry("transaction.timeout.ms", "600000");
  }

  @Test
  void kafkaPropertiesOverrideTheSinksTransactionTimeoutCompressionAndBatching() {
    assertThat(
            KafkaEndpoints.avroSinkProperties(
                kafka(
                    "compression.type=none,batch.size=65536,linger.ms=5,transaction.timeout.ms=3600000")))
        .containsEntry("transaction.timeout.ms", "3600000")
        .containsEntry("compression.type", "none")
        .containsEntry("batch.size", "65536")
        .containsEntry("linger.ms", "5");
  }

  @Test
  void theTransactionTimeoutAStartComparesAgainstIsTheSinksOwn() {
    assertThat(KafkaEndpoints.transactionTimeout(kafka(null))).isEqualTo(Duration.ofMinutes(10));
    assertThat(KafkaEndpoints.transactionTimeout(kafka("transaction.timeout.ms=3600000")))
        .isEqualTo(Duration.ofHours(1));
  }
}
