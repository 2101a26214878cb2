package org.gridfusion.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The at-least-once gf.alerts sink against a real broker: a writer that starts after another one
 * published (a job restarted from its checkpoint, replaying) sends none of the updates already on
 * the topic again, and sends the ones that are not; an update only an aborted transaction wrote (an
 * earlier exactly-once run) is not taken for published.
 */
@ExtendWith(EmbeddedStackExtension.class)
class AlertPublisherITCase {
  private static final AvroCodec<Alert> CODEC = AvroCodec.of(Alert.class);
  private static final Duration LOOKBACK = Duration.ofHours(1);
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final int UPDATES = 1000;
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @Test
  void aJobThatFailsAndReplaysPublishesEachUpdateOnce(Endpoints e) throws Exception {
    String topic = "gf.alerts.publisher-job-" + System.nanoTime();
    KafkaProbe.createTopic(e.kafkaBootstrap(), topic, 2);
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    long first = t0.toEpochMilli();
    // the first attempt publishes the first half and fails; the restart replays from the start (no
    // checkpoint yet), so the first half comes again with new detectedAt values
    env.fromSequence(1, UPDATES)
        .map(
            i -> {
              if (i == UPDATES / 2 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("the failure this test injects");
              }
              return update(
                  "T.G-" + (i % 7) + "." + first, "G-" + (i % 7), t0, i.intValue(), "OPEN");
            })
        .returns(new AvroTypeInfo<>(Alert.class))
        .sinkTo(new AlertPublisher(e.kafka(), topic, LOOKBACK));
    env.execute("alert publisher replay");

    assertThat(FAILED).isTrue();
    List<String> published = identities(e, topic);
    assertThat(published).doesNotHaveDuplicates().hasSize(UPDATES);
  }

  @Test
  void aRestartedWriterPublishesEachUpdateExactlyOnce(Endpoints e) throws Exception {
    String topic = "gf.alerts.publisher-" + System.nanoTime();
    KafkaProbe.createTopic(e.kafkaBootstrap(), topic, 2);
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
    Alert opened = update("FALL.G-1." + t0.toEpochMilli(), "G-1", t0, 1, IncidentTracker.OPEN);
    Alert grown = update(opened.getAlertId(), "G-1", t0.plusSeconds(5), 2, IncidentTracker.OPEN);
    Alert closed = update(opened.getAlertId(), "G-1", t0.plusSeconds(5), 2, IncidentTracker.CLOSED);
    Alert other = update("WATER.G-2." + t0.toEpochMilli(), "G-2", t0, 1, IncidentTracker.OPEN);
    Alert later = update("WATER.G-2." + t0.toEpochMilli(), "G-2", t0.plusSeconds(9), 2, "OPEN");

    Map<String, Counter> first = new HashMap<>();
    AlertPublisherWriter before = writer(e, topic, first);
    for (Alert a : List.of(opened, grown, closed, other)) before.write(a, null);
    before.flush(false);
    before.close();
    assertThat(first.get("alertsReplaySuppressed").getCount()).isZero();

    // the restart: the job replays from its checkpoint and raises the same updates again (a new
    // detectedAt, as IncidentTracker sets it), then a new one
    Map<String, Counter> second = new HashMap<>();
    AlertPublisherWriter after = writer(e, topic, second);
    for (Alert a : List.of(opened, grown, closed, other, later)) {
      after.write(Alert.newBuilder(a).setDetectedAt(Instant.now()).build(), null);
    }
    after.flush(false);
    after.close();

    assertThat(second.get("alertsReplaySuppressed").getCount()).isEqualTo(4);
    assertThat(identities(e, topic))
        .containsExactlyInAnyOrder(
            PublishedAlerts.identity(opened),
            PublishedAlerts.identity(grown),
            PublishedAlerts.identity(closed),
            PublishedAlerts.identity(other),
            PublishedAlerts.identity(later));
  }

  @Test
  void anUpdateOfAnAbortedTransactionIsPublishedAfterAll(Endpoints e) throws Exception {
    String topic = "gf.alerts.publisher-aborted-" + System.nanoTime();
    KafkaProbe.createTopic(e.kafkaBootstrap(), topic, 1);
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
    Alert aborted = update("FALL.G-3." + t0.toEpochMilli(), "G-3", t0, 1, IncidentTracker.OPEN);
    Properties props = e.kafka().properties("aborting");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-" + System.nanoTime());
    try (KafkaProducer<byte[], byte[]> tx =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(topic, CODEC.encode(aborted))).get();
      tx.abortTransaction();
    }

    Map<String, Counter> counters = new HashMap<>();
    AlertPublisherWriter w = writer(e, topic, counters);
    w.write(aborted, null);
    w.flush(false);
    w.close();

    assertThat(counters.get("alertsReplaySuppressed").getCount()).isZero();
    assertThat(identities(e, topic)).containsExactly(PublishedAlerts.identity(aborted));
  }

  private static AlertPublisherWriter writer(
      Endpoints e, String topic, Map<String, Counter> counters) throws Exception {
    return AlertPublisherWriter.start(
        e.kafka(),
        topic,
        LOOKBACK,
        new UnregisteredMetricsGroup() {
          @Override
          public Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> new SimpleCounter());
          }
        },
        "test (1/1)");
  }

  /** The identities of the committed values on the topic. */
  private static List<String> identities(Endpoints e, String topic) throws Exception {
    List<String> out = new ArrayList<>();
    for (var r : KafkaProbe.readAll(e.kafka(), topic, WITHIN)) {
      out.add(PublishedAlerts.identity(CODEC.decode(r.value())));
    }
    return out;
  }

  private static Alert update(String id, String grid, Instant lastSeen, int count, String status) {
    Instant first = Instant.ofEpochMilli(Long.parseLong(id.substring(id.lastIndexOf('.') + 1)));
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId(id.substring(0, id.indexOf('.')))
        .setRuleVersion("1")
        .setTitle("test")
        .setSeverity(Severity.values()[0])
        .setGridId(grid)
        .setLat(30.0)
        .setLon(120.0)
        .setFirstSeen(first)
        .setLastSeen(lastSeen)
        .setCount(count)
        .setEvidence(List.of("r-" + count))
        .setStatus(status)
        .setDetectedAt(Instant.now())
        .setClosedAt(IncidentTracker.CLOSED.equals(status) ? lastSeen : null)
        .build();
  }
}
