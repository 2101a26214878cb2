package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.http.CameraIngestServer;
import org.gridfusion.connectors.http.IngestSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ingest-http",
    mixinStandardHelpOptions = true,
    description =
        "Runs the HTTP camera ingest alone (ingest.http.port, ingest.http.tokens, kafka.bootstrap).")
final class IngestHttpCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    CameraIngestServer server =
        CameraIngestServer.start(
            IngestSettings.from(
                configOptions.load(
                    GridFusionOptions.KAFKA_BOOTSTRAP, GridFusionOptions.PRIVACY_HMAC_SECRET)));
    return Connectors.runUntilStopped(server, "HTTP camera ingest on " + server.url());
  }
}
