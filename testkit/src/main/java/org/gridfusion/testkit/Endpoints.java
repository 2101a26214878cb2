package org.gridfusion.testkit;

import java.nio.file.Path;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;

/**
 * Where the shared embedded stack of this test JVM listens. It has no MQTT broker: tests start
 * GridFusion's own MQTT endpoint ({@code MqttIngestServer}) against {@link #kafkaBootstrap}, or a
 * {@link MosquittoBroker} for the bridge.
 *
 * @param kafkaBootstrap {@code 127.0.0.1:PORT} for {@code bootstrap.servers}
 * @param elasticsearchUrl {@code http://127.0.0.1:PORT}
 * @param dataDir the stack's data directory (below the module's {@code target/})
 */
public record Endpoints(String kafkaBootstrap, String elasticsearchUrl, Path dataDir) {
  /** The shared stack's Kafka as GridFusion's clients take it (no login: the stack is local). */
  public KafkaConnection kafka() {
    return KafkaConnection.plaintext(kafkaBootstrap);
  }

  /** The shared stack's Elasticsearch as GridFusion's clients take it. */
  public ElasticsearchConnection elasticsearch() {
    return ElasticsearchConnection.of(elasticsearchUrl);
  }
}
