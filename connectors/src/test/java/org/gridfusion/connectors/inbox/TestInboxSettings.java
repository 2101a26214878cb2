package org.gridfusion.connectors.inbox;

import java.nio.file.Path;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;

/** An inbox watcher's settings as the connector tests run it: their secret, a 100 ms poll. */
public final class TestInboxSettings {
  private TestInboxSettings() {}

  public static InboxSettings of(String kafkaBootstrap, Path inbox) {
    return InboxSettings.from(
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafkaBootstrap)
            .with(GridFusionOptions.INGEST_INBOX, inbox)
            .with(GridFusionOptions.INGEST_INBOX_POLL, "100ms"));
  }
}
