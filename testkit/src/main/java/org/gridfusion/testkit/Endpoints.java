package org.gridfusion.testkit;

import java.nio.file.Path;

/**
 * Where the shared embedded stack of this test JVM listens.
 *
 * @param kafkaBootstrap {@code 127.0.0.1:PORT} for {@code bootstrap.servers}
 * @param mqttUrl {@code tcp://127.0.0.1:PORT}
 * @param elasticsearchUrl {@code http://127.0.0.1:PORT}
 * @param dataDir the stack's data directory (below the module's {@code target/})
 */
public record Endpoints(
    String kafkaBootstrap, String mqttUrl, String elasticsearchUrl, Path dataDir) {}
