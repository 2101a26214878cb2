package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import org.gridfusion.common.json.Json;

/**
 * Figures the console works out from Kafka itself for the health view: input rates per source
 * (growth of the end offsets of the raw topics over the last minute) and dead letters of the last
 * hour by reason and by source. End offsets count every message the connectors wrote, so the rates
 * are what arrived, before validation; a transactional topic's commit markers would count too,
 * which is why {@code gf.records} is not among them.
 */
final class PipelineCounters {
  static final Duration RATE_WINDOW = Duration.ofSeconds(60);
  static final Duration LETTER_WINDOW = Duration.ofHours(1);

  private record Sample(Instant at, Map<String, Long> endOffsets) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /** minute (epoch) -> "source|reason" -> count */
  private final TreeMap<Long, Map<String, Long>> letters = new TreeMap<>();

  synchronized void sample(Instant at, Map<String, Long> endOffsetsByTopic) {
    samples.addLast(new Sample(at, Map.copyOf(endOffsetsByTopic)));
    while (samples.size() > 2
        && samples.peekFirst().at().isBefore(at.minus(RATE_WINDOW).minusSeconds(5))) {
      samples.removeFirst();
    }
  }

  synchronized void deadLetter(JsonNode letter, long timestampMillis) {
    long minute = timestampMillis / 60_000;
    String key = letter.path("source").asText("?") + "|" + letter.path("reason").asText("?");
    letters.computeIfAbsent(minute, m -> new TreeMap<>()).merge(key, 1L, Long::sum);
  }

  /** Messages per second on {@code topic} over the last minute; null before two samples. */
  synchronized Double rate(String topic) {
    if (samples.size() < 2) return null;
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    double seconds = Duration.between(first.at(), last.at()).toMillis() / 1000.0;
    Long a = first.endOffsets().get(topic);
    Long b = last.endOffsets().get(topic);
    if (seconds <= 0 || a == null || b == null) return null;
    return Math.max(0, b - a) / seconds;
  }

  /** {@code {"total": n, "byReason": {...}, "bySource": {...}}} over the last hour. */
  synchronized ObjectNode deadLettersLastHour(Instant now) {
    long from = now.minus(LETTER_WINDOW).toEpochMilli() / 60_000;
    letters.headMap(from, false).clear();
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> bySource = new TreeMap<>();
    long total = 0;
    for (Map<String, Long> minute : letters.values()) {
      for (Map.Entry<String, Long> e : minute.entrySet()) {
        String[] sr = e.getKey().split("\\|", 2);
        bySource.merge(sr[0], e.getValue(), Long::sum);
        byReason.merge(sr[1], e.getValue(), Long::sum);
        total += e.getValue();
      }
    }
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("total", total);
    n.set("byReason", Json.MAPPER.valueToTree(byReason));
    n.set("bySource", Json.MAPPER.valueToTree(bySource));
    return n;
  }
}
