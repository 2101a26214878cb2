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
    for (String t : tokens) {
      if (t.length() < 16) {
        throw new ConfigException(
            GridFusionOptions.INGEST_HTTP_TOKENS.key(), "tokens must be at least 16 characters");
      }
    }
    int port = c.get(GridFusionOptions.INGEST_HTTP_PORT);
    if (port < 0 || port > 65_535)
      throw new ConfigException(GridFusionOptions.INGEST_HTTP_PORT.key(), "must be 0..65535");
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
