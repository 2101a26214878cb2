package org.gridfusion.connectors.http;

import java.time.Duration;
import java.util.List;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;

/** Settings of the HTTP camera ingest, checked at start. */
public record IngestSettings(
    String bind,
    int port,
    List<String> tokens,
    int maxBodyBytes,
    int maxItems,
    Duration ackTimeout,
    int threads,
    String kafkaBootstrap,
    TimeWindow window) {

  public static IngestSettings from(Config c) {
    List<String> tokens = c.get(GridFusionOptions.INGEST_HTTP_TOKENS);
    if (tokens.isEmpty()) {
      throw new ConfigException(
          GridFusionOptions.INGEST_HTTP_TOKENS.key(), "at least one bearer token is required");
    }
    int port = c.get(GridFusionOptions.INGEST_HTTP_PORT);
    return new IngestSettings(
        c.get(GridFusionOptions.INGEST_HTTP_BIND),
        port,
        List.copyOf(tokens),
        c.get(GridFusionOptions.INGEST_HTTP_MAX_BODY),
        c.get(GridFusionOptions.INGEST_HTTP_MAX_ITEMS),
        c.get(GridFusionOptions.INGEST_HTTP_ACK_TIMEOUT),
        c.get(GridFusionOptions.INGEST_HTTP_THREADS),
        c.require(GridFusionOptions.KAFKA_BOOTSTRAP, "for the HTTP ingest to publish"),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)));
  }
}
