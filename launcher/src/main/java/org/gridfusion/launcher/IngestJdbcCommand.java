package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.jdbc.JdbcPoller;
import org.gridfusion.connectors.jdbc.JdbcSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ingest-jdbc",
    mixinStandardHelpOptions = true,
    description =
        "Polls the department database alone (ingest.jdbc.url, ingest.jdbc.table, "
            + "ingest.jdbc.positionColumn, kafka.bootstrap); the position is kept in table gridfusion_jdbc_position.")
final class IngestJdbcCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    JdbcSettings settings =
        JdbcSettings.from(
            configOptions.load(
                GridFusionOptions.INGEST_JDBC_URL,
                GridFusionOptions.INGEST_JDBC_TABLE,
                GridFusionOptions.INGEST_JDBC_POSITION_COLUMN,
                GridFusionOptions.KAFKA_BOOTSTRAP,
                GridFusionOptions.PRIVACY_HMAC_SECRET));
    return Connectors.runUntilStopped(
        JdbcPoller.start(settings),
        "database poller on " + settings.safeUrl() + " table " + settings.table());
  }
}
