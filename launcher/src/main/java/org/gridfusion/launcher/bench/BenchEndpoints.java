package org.gridfusion.launcher.bench;

import java.nio.file.Path;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * Where a running GridFusion takes its inputs and shows its outputs: what the benchmark drives and
 * watches. The same for the embedded stack of {@code gridfusion bench} and for a test pipeline.
 *
 * @param kafka Kafka with the login GridFusion's clients use (raw-topic ingress, output counts)
 * @param mqttUrl where sensors publish (GridFusion's MQTT endpoint)
 * @param mqttUser user name sensors log in with, or null
 * @param mqttPassword its password, or null
 * @param httpIngestUrl base URL of the camera ingest, e.g. {@code http://127.0.0.1:8088}
 * @param httpToken one of the ingest's accepted bearer tokens
 * @param elasticsearch Elasticsearch with its login (probes, counts)
 * @param privacy pseudonymises what the raw-topic ingress dead-letters, as the connectors do
 */
public record BenchEndpoints(
    KafkaConnection kafka,
    String mqttUrl,
    String mqttUser,
    String mqttPassword,
    String httpIngestUrl,
    String httpToken,
    Path inboxDir,
    ElasticsearchConnection elasticsearch,
    PayloadPseudonymiser privacy) {}
