package org.gridfusion.launcher.bench;

import java.nio.file.Path;

/**
 * Where a running GridFusion takes its inputs and shows its outputs: what the benchmark drives and
 * watches. The same for the embedded stack of {@code gridfusion bench} and for a test pipeline.
 *
 * @param mqttUrl where sensors publish (GridFusion's MQTT endpoint)
 * @param mqttUser user name sensors log in with, or null
 * @param mqttPassword its password, or null
 * @param httpIngestUrl base URL of the camera ingest, e.g. {@code http://127.0.0.1:8088}
 * @param httpToken one of the ingest's accepted bearer tokens
 */
public record BenchEndpoints(
    String kafkaBootstrap,
    String mqttUrl,
    String mqttUser,
    String mqttPassword,
    String httpIngestUrl,
    String httpToken,
    Path inboxDir,
    String elasticsearchUrl) {}
