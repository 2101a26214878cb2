package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.workorders.AllowedActions;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one Kafka consumer: everything the page sees change without a reload. It reads
 * {@code gf.alerts}, {@code gf.risk} and {@code gf.workorders} from the moment the console starts
 * and publishes each update as an event ({@code alert}, {@code grid}, {@code workorder}); it reads
 * {@code gf.deadletter} from an hour back for the health view's counts and for refused commands;
 * and every few seconds it samples the end offsets of the input topics for the input rates.
 *
 * <p>It reads uncommitted: the job's Avro outputs are transactional and become committed only at
 * its next checkpoint (10 s by default), and a duty officer should see an alert as soon as the job
 * raised it. Should the job fail before that checkpoint, its replay raises the same alerts and
 * orders again under the same ids, so what the page shows converges on what was committed.
 *
 * <p>No consumer group: partitions are assigned directly and re-listed every 30 s (topics created
 * later, partitions added), so several consoles each see everything.
 */
final class LiveFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
  private static final List<String> RATES =
      List.of(Topics.RAW_CAMERA, Topics.RAW_SENSOR, Topics.RAW_DEPARTMENT);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration RELIST_EVERY = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventHub hub;
  private final CommandOutcomes outcomes;
  private final PipelineCounters counters;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final AvroCodec<Alert> alerts = AvroCodec.of(Alert.class);
  private final AlertUpdates alertUpdates = new AlertUpdates();
  private final AvroCodec<RiskScore> risks = AvroCodec.of(RiskScore.class);
  private final AvroCodec<WorkOrder> orders = AvroCodec.of(WorkOrder.class);
  private volatile boolean running = true;
  private volatile Instant lastContact;
  private volatile String lastProblem = "not connected yet";
  private long undecodable;

  LiveFeed(
      KafkaConnection kafka,
      EventHub hub,
      CommandOutcomes outcomes,
      PipelineCounters counters,
      Clock clock) {
    Properties p = kafka.properties("gridfusion-console");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.hub = hub;
    this.outcomes = outcomes;
    this.counters = counters;
    this.clock = clock;
    this.thread = new Thread(this::run, "console-live-feed");
    thread.setDaemon(true);
  }

  /**
   * Starts reading and waits (up to {@code timeout}) until every partition has its position, so a
   * command sent from now on cannot have its outcome pass by unseen.
   */
  LiveFeed start(Duration timeout) throws InterruptedException {
    thread.start();
    if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("The console's Kafka consumer has no position yet: {}", lastProblem);
    }
    return this;
  }

  /** When the consumer last heard from Kafka; null if never. */
  Instant lastContact() {
    return lastContact;
  }

  String lastProblem() {
    return lastProblem;
  }

  private void run() {
    long nextSample = 0;
    long nextRelist = 0;
    List<TopicPartition> assigned = new ArrayList<>();
    try {
      while (running) {
        long now = System.nanoTime();
        try {
          if (now >= nextRelist) {
            assigned = assign(assigned);
            positioned.countDown();
            nextRelist = now + RELIST_EVERY.toNanos();
          }
          if (now >= nextSample) {
            sample();
            nextSample = now + SAMPLE_EVERY.toNanos();
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            handle(r);
          }
        } catch (WakeupException e) {
          if (running) throw e;
        } catch (RuntimeException e) {
          // Kafka away or a topic missing: say so in the health view and try again shortly.
          lastProblem = e.toString();
          LOG.debug("console live feed", e);
          nextRelist = Math.min(nextRelist, now + Duration.ofSeconds(5).toNanos());
          sleep(1000);
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * Assigns every partition of the topics read; a new one starts at the end (dead letters: -1 h).
   */
  private List<TopicPartition> assign(List<TopicPartition> before) {
    List<TopicPartition> all = new ArrayList<>();
    List<TopicPartition> live = new ArrayList<>();
    List<TopicPartition> letters = new ArrayList<>();
    for (String topic : List.of(Topics.ALERTS, Topics.RISK, Topics.WORKORDERS, Topics.DEADLETTER)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null) continue;
      for (PartitionInfo i : infos) {
        TopicPartition tp = new TopicPartition(topic, i.partition());
        all.add(tp);
        if (before.contains(tp)) continue;
        (topic.equals(Topics.DEADLETTER) ? letters : live).add(tp);
      }
    }
    lastContact = clock.instant();
    if (all.equals(before)) return before;
    consumer.assign(all);
    if (!live.isEmpty()) consumer.seekToEnd(live);
    if (!letters.isEmpty()) {
      long hourAgo = clock.instant().minus(PipelineCounters.LETTER_WINDOW).toEpochMilli();
      Map<TopicPartition, Long> query = new HashMap<>();
      letters.forEach(tp -> query.put(tp, hourAgo));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
      List<TopicPartition> toEnd = new ArrayList<>();
      for (TopicPartition tp : letters) {
        OffsetAndTimestamp o = found.get(tp);
        if (o == null) toEnd.add(tp);
        else consumer.seek(tp, o.offset());
      }
      if (!toEnd.isEmpty()) consumer.seekToEnd(toEnd);
    }
    // resolve the positions now: "latest" means the end as of this moment, not of the first poll
    for (TopicPartition tp : all) consumer.position(tp, Duration.ofSeconds(10));
    lastProblem = "";
    return all;
  }

  private void sample() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : RATES) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null)
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
    }
    Map<String, Long> byTopic = new HashMap<>();
    consumer
        .endOffsets(partitions, Duration.ofSeconds(5))
        .forEach((tp, end) -> byTopic.merge(tp.topic(), end, Long::sum));
    counters.sample(clock.instant(), byTopic);
    lastContact = clock.instant();
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    lastContact = clock.instant();
    if (r.value() == null) return;
    try {
      switch (r.topic()) {
        case Topics.ALERTS -> {
          Alert a = alerts.decode(r.value());
          // an update repeated after a job restart (gf.alerts is at-least-once) is shown once
          if (alertUpdates.isNew(a)) {
            hub.publish(EventHub.ALERT, Json.write(AvroJson.document(a)));
          }
        }
        case Topics.RISK ->
            hub.publish(EventHub.GRID, Json.write(AvroJson.document(risks.decode(r.value()))));
        case Topics.WORKORDERS -> {
          WorkOrder o = orders.decode(r.value());
          outcomes.onWorkOrder(o);
          hub.publish(EventHub.WORKORDER, Json.write(withAllowedActions(AvroJson.document(o))));
        }
        case Topics.DEADLETTER -> {
          JsonNode letter = Json.MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8));
          counters.deadLetter(letter, r.timestamp());
          outcomes.onDeadLetter(letter);
        }
        default -> {}
      }
    } catch (Exception e) {
      // a record this console cannot read (a newer schema it does not know) is skipped, not fatal
      if (undecodable++ % 1000 == 0)
        LOG.warn("Console skipped an unreadable record of {}: {}", r.topic(), e.toString());
    }
  }

  /** An order with the actions the loop accepts from its status (the page offers only these). */
  static ObjectNode withAllowedActions(ObjectNode order) {
    var actions = order.putArray("allowedActions");
    try {
      AllowedActions.allowed(WorkOrderStatus.valueOf(order.path("status").asText()))
          .forEach(a -> actions.add(a.name()));
    } catch (IllegalArgumentException e) {
      // a status this console does not know: offer nothing
    }
    return order;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
