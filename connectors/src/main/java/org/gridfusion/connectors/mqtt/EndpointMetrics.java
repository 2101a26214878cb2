package org.gridfusion.connectors.mqtt;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.connectors.metrics.Metrics;

/**
 * The MQTT endpoint's counters ({@code gridfusion_mqtt_ingest_*}), and the periodic summary line an
 * operator reads instead of one log line per connection.
 */
final class EndpointMetrics {
  final Metrics metrics = new Metrics("mqtt_ingest");
  final LongAdder opened = metrics.counter("connections_opened_total", "TCP connections accepted");
  final LongAdder closed = metrics.counter("connections_closed_total", "TCP connections closed");
  final LongAdder accepted =
      metrics.counter("connects_accepted_total", "CONNECTs answered with return code 0");
  final LongAdder publishes =
      metrics.counter("publishes_received_total", "PUBLISH packets received");
  final LongAdder stored =
      metrics.counter("readings_stored_total", "valid readings acknowledged by Kafka");
  final LongAdder kafkaRetries =
      metrics.counter("kafka_retries_total", "Kafka sends retried after a failure");
  final LongAdder abandoned =
      metrics.counter(
          "records_abandoned_total",
          "records Kafka did not take whose client was gone (it resends) or that were QoS 0");
  final LongAdder keepAliveTimeouts =
      metrics.counter("keepalive_timeouts_total", "connections closed for silence past keep-alive");
  final LongAdder tooLarge =
      metrics.counter(
          "packets_too_large_total",
          "PUBLISHes over ingest.mqtt.maxFrameBytes (dead-lettered) and other packets over it (connection closed)");
  final LongAdder protocolErrors =
      metrics.counter(
          "protocol_errors_total", "connections closed for a malformed or out-of-order packet");
  final LongAdder subscribesRefused =
      metrics.counter("subscribes_refused_total", "SUBSCRIBE answered with failure 0x80");
  final LongAdder pausedForKafka =
      metrics.counter(
          "reads_paused_total", "times a connection stopped being read while Kafka caught up");

  LongAdder refused(String returnCode) {
    return metrics.counter(
        "connects_refused_total", "code", returnCode, "CONNECTs refused, by return code");
  }

  LongAdder deadLetters(Reason reason) {
    return metrics.counter(
        "dead_letters_total",
        "reason",
        reason.name(),
        "messages dead-lettered (and acknowledged), by reason");
  }

  /** Counter values now, for the difference the next summary reports. */
  Map<String, Long> snapshot() {
    return new TreeMap<>(metrics.counters());
  }

  /**
   * One INFO line: open connections, what happened since {@code before}, readings per second,
   * readings in flight; null when nothing happened and nobody is connected.
   */
  String summary(Map<String, Long> before, Map<String, Long> now, double seconds) {
    long open = metrics.get("connections");
    long changes = 0;
    for (Map.Entry<String, Long> e : now.entrySet()) {
      changes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    if (changes == 0 && open == 0) return null;
    StringBuilder deadLetters = new StringBuilder();
    long refusedTotal = 0;
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d == 0) continue;
      if (e.getKey().startsWith("dead_letters_total{")) {
        String reason = e.getKey().replaceAll(".*\"(.*)\".*", "$1");
        deadLetters
            .append(deadLetters.length() == 0 ? "" : ", ")
            .append(reason)
            .append(' ')
            .append(d);
      } else if (e.getKey().startsWith("connects_refused_total{")) {
        refusedTotal += d;
      }
    }
    return String.format(
        "MQTT endpoint: %,d connections (%,d opened, %,d closed, %,d refused), %,.1f readings/s stored"
            + " (%,d), dead letters %s, %,d in flight, %,d connections paused for Kafka, %,d Kafka retries",
        open,
        delta(before, now, "connections_opened_total"),
        delta(before, now, "connections_closed_total"),
        refusedTotal,
        delta(before, now, "readings_stored_total") / seconds,
        delta(before, now, "readings_stored_total"),
        deadLetters.length() == 0 ? "none" : "(" + deadLetters + ")",
        metrics.get("readings_in_flight"),
        metrics.get("connections_paused"),
        delta(before, now, "kafka_retries_total"));
  }

  private static long delta(Map<String, Long> before, Map<String, Long> now, String key) {
    return now.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
  }
}
