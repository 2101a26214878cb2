package org.gridfusion.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;

/**
 * What the console needs from configuration (contract §9): where it listens, who may use it, and
 * where the data is (Kafka for live updates and commands, Elasticsearch for queries, the grid map
 * for the polygons).
 */
public record ConsoleSettings(
    String bind,
    int port,
    List<ConsoleToken> tokens,
    Duration sessionTtl,
    KafkaConnection kafka,
    ElasticsearchConnection elasticsearch,
    Path gridMap,
    String timeZone) {

  public static ConsoleSettings from(Config c) {
    List<ConsoleToken> tokens = c.get(GridFusionOptions.CONSOLE_TOKENS);
    if (tokens.isEmpty()) {
      throw new ConfigException(
          GridFusionOptions.CONSOLE_TOKENS.key(), "at least one {token, role} is required");
    }
    return new ConsoleSettings(
        c.get(GridFusionOptions.CONSOLE_BIND),
        c.get(GridFusionOptions.CONSOLE_PORT),
        tokens,
        c.get(GridFusionOptions.CONSOLE_SESSION_TTL),
        KafkaConnection.from(c, "for the console's live view and commands"),
        ElasticsearchConnection.from(c, "for the console's queries"),
        Path.of(c.require(GridFusionOptions.REFERENCE_GRID_MAP, "for the console's map")),
        c.get(GridFusionOptions.TIME_ZONE));
  }
}
