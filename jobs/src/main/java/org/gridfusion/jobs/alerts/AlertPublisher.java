package org.gridfusion.jobs.alerts;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.schema.Alert;

/**
 * gf.alerts at-least-once without the repeats a restart would cause: every alert update is on the
 * topic the moment the broker acknowledges it (no transaction, no wait for a checkpoint), and a
 * writer, when it starts, first reads back what was published in the last {@code lookback} ({@link
 * PublishedAlerts}). A job restored from a checkpoint replays the input after it and raises the
 * same updates again (same alertId, count and status: {@link IncidentTracker} is deterministic);
 * those already on the topic are dropped instead of sent twice, and counted in {@code
 * alertsReplaySuppressed}.
 *
 * <p>Nothing is lost by the suppression: an update is dropped only when the same update was read
 * back from the topic. A checkpoint completes only once every update handed to the producer is
 * acknowledged ({@code acks=all}, idempotent producer), so what a restart has to repeat is at most
 * what came after the checkpoint, and the read-back finds whatever of that reached the broker.
 */
public final class AlertPublisher implements Sink<Alert> {
  private static final long serialVersionUID = 1L;

  private final KafkaConnection kafka;
  private final String topic;
  private final Duration lookback;

  /**
   * @param lookback how far back a starting writer reads the topic; longer than a checkpoint
   *     interval plus the time a restart takes, since a replay repeats only what came after the
   *     checkpoint it restarts from
   */
  public AlertPublisher(KafkaConnection kafka, String topic, Duration lookback) {
    this.kafka = kafka;
    this.topic = topic;
    this.lookback = lookback;
  }

  @Override
  public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
    return AlertPublisherWriter.start(
        kafka,
        topic,
        lookback,
        context.metricGroup(),
        context.getTaskInfo().getTaskNameWithSubtasks());
  }
}
