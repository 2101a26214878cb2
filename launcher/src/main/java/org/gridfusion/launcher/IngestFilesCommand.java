package org.gridfusion.launcher;

import java.util.concurrent.Callable;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.connectors.inbox.InboxSettings;
import org.gridfusion.connectors.inbox.InboxWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ingest-files",
    mixinStandardHelpOptions = true,
    description = "Watches the department-record inbox alone (ingest.inbox, kafka.bootstrap).")
final class IngestFilesCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    InboxSettings settings =
        InboxSettings.from(
            configOptions.load(
                GridFusionOptions.KAFKA_BOOTSTRAP, GridFusionOptions.PRIVACY_HMAC_SECRET));
    return Connectors.runUntilStopped(
        InboxWatcher.start(settings), "inbox watcher on " + settings.inbox().toAbsolutePath());
  }
}
