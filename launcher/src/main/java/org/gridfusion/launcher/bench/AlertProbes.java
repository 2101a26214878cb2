package org.gridfusion.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event→alert latency probes: at a steady low rate, sends one alert-raising input to the next
 * {@link ProbeTarget} in turn, notes when it was accepted, and measures two arrivals of its alert
 * (an alert of the probe's rule and grid with {@code lastSeen} at or past the probe's event time)
 * separately:
 *
 * <ul>
 *   <li><b>on Kafka</b>: a {@code read_committed} consumer of {@code gf.alerts} (what the command
 *       platform reads) sees it, i.e. the checkpoint that commits the job's transaction completed;
 *       latency = seen − accepted;
 *   <li><b>searchable</b>: polling {@code gf-alerts-*} every {@value #POLL_MS} ms finds it; latency
 *       = found − accepted, so it includes the Elasticsearch sink's buffering and the index refresh
 *       interval, as a user watching the alerts index would see it.
 * </ul>
 *
 * A probe that merges into an open incident of its grid and rule is found all the same: its firing
 * raises the alert's {@code lastSeen} to its own event time.
 *
 * <p>Event times are strictly increasing (at least 1 ms apart), so every probe has its own record
 * id and its own {@code lastSeen}. A probe not found within {@link #GIVE_UP} counts as lost.
 */
final class AlertProbes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertProbes.class);
  static final long POLL_MS = 50;
  static final Duration GIVE_UP = Duration.ofSeconds(30);

  /** One probe; the watcher fills in what it found. */
  static final class Probe {
    final int n;
    final ProbeTarget target;
    final long eventTs;
    final long sentAt;
    final long acceptedAt;
    volatile long foundAt;

    /** The alert document's detectedAt/indexedAt when it shows this very probe's firing, else 0. */
    volatile long detectedAt;

    volatile long indexedAt;
    volatile boolean lost;

    /** When a read_committed consumer of gf.alerts saw its alert; 0 until then. */
    volatile long committedAt;

    /** Not seen on gf.alerts within {@link #GIVE_UP}. */
    volatile boolean lostOnKafka;

    Probe(int n, ProbeTarget target, long eventTs, long sentAt, long acceptedAt) {
      this.n = n;
      this.target = target;
      this.eventTs = eventTs;
      this.sentAt = sentAt;
      this.acceptedAt = acceptedAt;
    }

    boolean found() {
      return foundAt > 0;
    }

    long latencyMs() {
      return foundAt - acceptedAt;
    }

    boolean committed() {
      return committedAt > 0;
    }

    long committedLatencyMs() {
      return committedAt - acceptedAt;
    }

    boolean settled() {
      return (found() || lost) && (committed() || lostOnKafka);
    }
  }

  private final List<ProbeTarget> targets;
  private final ProbeChannel channel;
  private final ElasticsearchConnection es;
  private final KafkaConnection kafka;
  private final Duration eventTimeOffset;
  private final String tag;
  private final HttpClient http;
  private final List<Probe> probes = new ArrayList<>();
  private final Thread sender;
  private final Thread watcher;
  private final Thread kafkaWatcher;
  private volatile double perSecond;
  private volatile boolean sending;
  private volatile boolean closed;
  private long lastEventTs;
  private int sendFailures;

  /**
   * @param eventTimeOffset added to the wall clock to give each probe's event time (0 for live
   *     traffic; tests sharing a pipeline move their probes to an event-time range of their own)
   * @param tag part of every camera probe's event id, unique per bench run
   */
  AlertProbes(
      List<ProbeTarget> targets,
      ProbeChannel channel,
      ElasticsearchConnection es,
      KafkaConnection kafka,
      Duration eventTimeOffset,
      String tag) {
    if (targets.isEmpty()) throw new IllegalArgumentException("no probe targets");
    this.targets = List.copyOf(targets);
    this.channel = channel;
    this.es = es;
    this.kafka = kafka;
    this.http = es.httpClient(Duration.ofSeconds(3));
    this.eventTimeOffset = eventTimeOffset;
    this.tag = tag;
    this.sender = new Thread(this::sendLoop, "bench-probe-sender");
    this.watcher = new Thread(this::watchLoop, "bench-probe-watcher");
    this.kafkaWatcher = new Thread(this::watchKafkaLoop, "bench-probe-kafka-watcher");
    sender.setDaemon(true);
    watcher.setDaemon(true);
    kafkaWatcher.setDaemon(true);
  }

  /** Starts sending {@code perSecond} probes a second (0: none) and watching for their alerts. */
  void start(double perSecond) {
    this.perSecond = perSecond;
    sending = perSecond > 0;
    kafkaWatcher.start();
    sender.start();
    watcher.start();
  }

  /** Changes the probe rate of a running instance (step mode). */
  void rate(double perSecond) {
    this.perSecond = perSecond;
    sending = perSecond > 0;
  }

  void stopSending() {
    sending = false;
  }

  /** Waits until every probe sent is found or lost, at most {@code timeout}. */
  void awaitSettled(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !snapshot().stream().allMatch(Probe::settled))
      Thread.sleep(POLL_MS);
  }

  synchronized List<Probe> snapshot() {
    return List.copyOf(probes);
  }

  private void sendLoop() {
    long next = System.nanoTime();
    int n = 0;
    while (!closed) {
      double rate = perSecond;
      if (!sending || rate <= 0) {
        LockSupport.parkNanos(20_000_000L);
        next = System.nanoTime();
        continue;
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      next += (long) (1e9 / rate);
      // A channel slower than the probe rate delays probes rather than piling them up.
      next = Math.max(next, System.nanoTime() - 1_000_000_000L);
      sendOne(n++);
    }
  }

  private void sendOne(int n) {
    ProbeTarget target = targets.get(n % targets.size());
    long eventTs =
        Math.max(System.currentTimeMillis() + eventTimeOffset.toMillis(), lastEventTs + 1);
    lastEventTs = eventTs;
    String payload =
        target.payload("bench-probe-" + tag + "-" + n, Instant.ofEpochMilli(eventTs).toString());
    long sentAt = System.currentTimeMillis();
    try {
      channel.send(target, payload);
    } catch (Exception e) {
      if (sendFailures++ < 3)
        LOG.warn("probe {} to {} not accepted: {}", n, target.deviceId(), e.toString());
      return;
    }
    long acceptedAt = System.currentTimeMillis();
    synchronized (this) {
      probes.add(new Probe(n, target, eventTs, sentAt, acceptedAt));
    }
  }

  private void watchLoop() {
    while (!closed) {
      long started = System.nanoTime();
      List<Probe> pending = snapshot().stream().filter(p -> !p.found() && !p.lost).toList();
      if (!pending.isEmpty()) poll(pending);
      long left = POLL_MS * 1_000_000L - (System.nanoTime() - started);
      if (left > 0) LockSupport.parkNanos(left);
    }
  }

  private void poll(List<Probe> pending) {
    long oldest = pending.stream().mapToLong(p -> p.eventTs).min().orElseThrow();
    String body =
        "{\"size\":1000,\"_source\":[\"ruleId\",\"gridId\",\"lastSeen\",\"detectedAt\",\"indexedAt\"],"
            + "\"query\":{\"bool\":{\"filter\":["
            + "{\"terms\":{\"ruleId\":"
            + jsonArray(pending.stream().map(p -> p.target.ruleId()))
            + "}},"
            + "{\"terms\":{\"gridId\":"
            + jsonArray(pending.stream().map(p -> p.target.gridId()))
            + "}},"
            + "{\"range\":{\"lastSeen\":{\"gte\":\""
            + Instant.ofEpochMilli(oldest)
            + "\"}}}]}}}";
    JsonNode hits;
    try {
      HttpResponse<String> r =
          http.send(
              es.request("/gf-alerts-*/_search")
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        LOG.debug("alert search answered {}: {}", r.statusCode(), r.body());
        return;
      }
      hits = Json.MAPPER.readTree(r.body()).path("hits").path("hits");
    } catch (Exception e) {
      LOG.debug("alert search failed: {}", e.toString());
      return;
    }
    long now = System.currentTimeMillis();
    for (Probe p : pending) {
      for (JsonNode h : hits) {
        JsonNode a = h.path("_source");
        if (!a.path("ruleId").asText().equals(p.target.ruleId())
            || !a.path("gridId").asText().equals(p.target.gridId())) continue;
        long lastSeen = Instant.parse(a.path("lastSeen").asText()).toEpochMilli();
        if (lastSeen < p.eventTs) continue;
        if (lastSeen == p.eventTs) {
          p.detectedAt = millis(a.path("detectedAt"));
          p.indexedAt = millis(a.path("indexedAt"));
        }
        p.foundAt = now;
        break;
      }
      if (!p.found() && now - p.acceptedAt > GIVE_UP.toMillis()) p.lost = true;
    }
  }

  /**
   * Reads gf.alerts as the command platform would ({@code read_committed}), from its end at start,
   * and marks each probe whose alert it sees. Fetches return at once ({@code fetch.max.wait.ms}
   * 10), so the figure is the commit, not the consumer's wait.
   */
  private void watchKafkaLoop() {
    Properties props = kafka.properties("gridfusion-bench-alerts");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    AvroCodec<Alert> codec = AvroCodec.of(Alert.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.ALERTS, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // the end now, before the first probe is sent
      while (!closed) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(POLL_MS));
        long now = System.currentTimeMillis();
        List<Probe> pending = snapshot().stream().filter(p -> !p.committed()).toList();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          Alert a;
          try {
            a = codec.decode(r.value());
          } catch (Exception e) {
            continue;
          }
          long lastSeen = a.getLastSeen().toEpochMilli();
          for (Probe p : pending) {
            if (p.committed()
                || lastSeen < p.eventTs
                || !a.getRuleId().equals(p.target.ruleId())
                || !a.getGridId().equals(p.target.gridId())) continue;
            p.committedAt = now;
          }
        }
        for (Probe p : pending) {
          if (!p.committed() && now - p.acceptedAt > GIVE_UP.toMillis()) p.lostOnKafka = true;
        }
      }
    } catch (Exception e) {
      if (!closed) LOG.warn("gf.alerts watcher stopped: {}", e.toString());
    }
  }

  private static long millis(JsonNode iso) {
    return iso.isTextual() ? Instant.parse(iso.asText()).toEpochMilli() : 0;
  }

  private static String jsonArray(Stream<String> values) {
    return values.collect(Collectors.toCollection(TreeSet::new)).stream()
        .map(v -> "\"" + v + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Override
  public void close() {
    closed = true;
    sender.interrupt();
    watcher.interrupt();
    try {
      sender.join(5_000);
      watcher.join(5_000);
      kafkaWatcher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
