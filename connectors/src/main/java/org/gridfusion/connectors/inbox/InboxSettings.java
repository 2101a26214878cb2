package org.gridfusion.connectors.inbox;

import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/** Settings of the department-record inbox watcher. */
public record InboxSettings(
    Path inbox,
    Duration pollInterval,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window) {
  public static InboxSettings from(Config c) {
    String dir = c.get(GridFusionOptions.INGEST_INBOX);
    Path inbox = dir != null ? Path.of(dir) : Path.of(c.get(GridFusionOptions.DATA_DIR), "inbox");
    return new InboxSettings(
        inbox,
        c.get(GridFusionOptions.INGEST_INBOX_POLL),
        KafkaConnection.from(c, "for the inbox watcher to publish"),
        PayloadPseudonymiser.from(c),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)));
  }
}
