package org.gridfusion.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.mqtt.BridgeSettings;
import org.gridfusion.connectors.mqtt.MqttBridge;
import org.gridfusion.connectors.mqtt.MqttIngestServer;
import org.gridfusion.connectors.mqtt.MqttIngestSettings;
import org.gridfusion.embedded.CpuBreakdown;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.MosquittoBroker;

/**
 * Load harness for the MQTT ingress: {@code N} Paho clients publish QoS 1 readings at a fixed total
 * rate into an embedded Kafka (in this JVM), through one of
 *
 * <ul>
 *   <li>{@code endpoint}: GridFusion's MQTT endpoint (PUBACK after Kafka's acknowledgement);
 *   <li>{@code bridge}: Mosquitto as a child process ({@code max_inflight_messages 1000}, unlimited
 *       queue) and {@code --bridges} MqttBridges (a shared subscription when more than one);
 *       Mosquitto acknowledges on receipt, the bridge acknowledges to Mosquitto after Kafka.
 * </ul>
 *
 * <p>Reports, over the measured window after a warm-up: readings offered, acknowledged (PUBACK) and
 * read back from {@code gf.raw.sensor} per second; PUBACK latency (what a sensor waits) and
 * publish→readable-in-Kafka latency (when the reading is durable and usable; ms resolution, from
 * the reading's {@code ts} to its arrival at a consumer) as p50/p99/max; and the cores used, by
 * part (this JVM's threads by name, and the Mosquitto child). Each client keeps at most {@code
 * --window} readings awaiting PUBACK; a reading due while its client's window is full is counted as
 * not offered ("held back"), as a sensor would queue it.
 *
 * <pre>
 * java -cp ... org.gridfusion.bench.MqttIngestLoad --target endpoint --clients 50 --rate 7000 \
 *     --warmup 15s --duration 45s [--bridges 2] [--window 100]
 * </pre>
 *
 * A measurement, not a test; it shares the machine with Kafka, so figures are for this machine.
 */
public final class MqttIngestLoad {
  /** Dead letters are pseudonymised with it; the load sends none. */
  private static final String LOAD_SECRET = "mqtt-ingest-load-secret-0123";

  private static final AvroCodec<SensorReading> CODEC = AvroCodec.of(SensorReading.class);

  private final String target;
  private final int clients;
  private final double rate;
  private final Duration warmup;
  private final Duration duration;
  private final int bridges;
  private final int window;

  private final LongAdder acked = new LongAdder();
  private final LongAdder heldBack = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final LatencySamples pubackMicros = new LatencySamples();
  private final LatencySamples kafkaMillis = new LatencySamples();

  private MqttIngestLoad(Map<String, String> a) {
    target = a.getOrDefault("target", "endpoint");
    clients = Integer.parseInt(a.getOrDefault("clients", "50"));
    rate = Double.parseDouble(a.getOrDefault("rate", "7000"));
    warmup = parse(a.getOrDefault("warmup", "15s"));
    duration = parse(a.getOrDefault("duration", "45s"));
    bridges = Integer.parseInt(a.getOrDefault("bridges", "1"));
    window = Integer.parseInt(a.getOrDefault("window", "100"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    new MqttIngestLoad(a).run();
    System.exit(0);
  }

  private static Duration parse(String s) {
    return Duration.parse("PT" + s.toUpperCase());
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("gf-mqtt-load");
    List<AutoCloseable> opened = new ArrayList<>();
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    opened.add(kafka);
    MosquittoBroker mosquitto = null;
    try {
      KafkaSetup.createTopics(kafka.connection(), 2, (short) 1, Duration.ofDays(7));
      String url;
      if (target.equals("endpoint")) {
        MqttIngestServer endpoint =
            MqttIngestServer.start(
                MqttIngestSettings.from(
                    Config.empty()
                        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, LOAD_SECRET)
                        .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap())
                        .with(GridFusionOptions.INGEST_MQTT_PORT, 0)
                        .with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true)));
        opened.add(endpoint);
        url = endpoint.url();
      } else {
        mosquitto = MosquittoBroker.in(dir.resolve("mosquitto")).maxInflight(1_000).start();
        opened.add(mosquitto);
        url = mosquitto.url();
        for (int b = 0; b < bridges; b++) {
          Config c =
              Config.empty()
                  .with(GridFusionOptions.PRIVACY_HMAC_SECRET, LOAD_SECRET)
                  .with(GridFusionOptions.MQTT_URL, url)
                  .with(GridFusionOptions.MQTT_CLIENT_ID, "gridfusion-bridge-load-" + b)
                  .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap());
          if (bridges > 1) c = c.with(GridFusionOptions.MQTT_SHARED_GROUP, "load");
          opened.add(MqttBridge.start(BridgeSettings.from(c)));
        }
      }
      String tag = Long.toString(System.currentTimeMillis(), 36);
      Thread reader = new Thread(() -> readBack(kafka.bootstrap(), "LOAD-" + tag), "bench-reader");
      reader.setDaemon(true);
      reader.start();
      List<Sensor> sensors = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        sensors.add(
            new Sensor(url, "gridfusion-bench-load-" + tag + "-" + i, "LOAD-" + tag + "-" + i));
      }
      System.out.printf(
          "MqttIngestLoad: %s%s, %d clients (window %d), %,.0f readings/s, warm-up %s, measured %s%n",
          target,
          target.equals("endpoint") ? "" : " (Mosquitto + " + bridges + " bridge(s))",
          clients,
          window,
          rate,
          warmup,
          duration);
      pace(sensors, warmup);
      long ackedBefore = acked.sum();
      long storedBefore = stored.sum();
      long heldBefore = heldBack.sum();
      CpuBreakdown.Snapshot cpuFrom = CpuBreakdown.take();
      double mosquittoFrom = cpuSeconds(mosquitto);
      long t0 = System.nanoTime();
      measuring.set(true);
      long offered = pace(sensors, duration);
      measuring.set(false);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> cores = CpuBreakdown.cores(cpuFrom, CpuBreakdown.take());
      double mosquittoCores = (cpuSeconds(mosquitto) - mosquittoFrom) / seconds;
      report(
          offered / seconds,
          (acked.sum() - ackedBefore) / seconds,
          (stored.sum() - storedBefore) / seconds,
          heldBack.sum() - heldBefore,
          cores,
          mosquittoCores);
      for (Sensor s : sensors) s.close();
    } finally {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception e) {
          System.err.println("closing: " + e);
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static double cpuSeconds(MosquittoBroker m) {
    if (m == null) return 0;
    return m.process().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }

  /**
   * Offers readings at {@link #rate} round-robin over the sensors for {@code d}; returns offers.
   */
  private long pace(List<Sensor> sensors, Duration d) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + d.toNanos();
    long sent = 0;
    int next = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) break;
      long due = (long) ((now - start) / 1e9 * rate);
      for (; sent < due; sent++) {
        sensors.get(next).publish();
        next = (next + 1) % sensors.size();
      }
      Thread.sleep(1);
    }
    return sent;
  }

  private void report(
      double offered,
      double ackedPerSecond,
      double storedPerSecond,
      long held,
      Map<String, Double> cores,
      double mosquittoCores) {
    double all = mosquittoCores;
    StringBuilder parts = new StringBuilder();
    for (Map.Entry<String, Double> e : cores.entrySet()) {
      if (e.getKey().equals(CpuBreakdown.ELASTICSEARCH_NODE)) continue; // children: Mosquitto
      all += e.getValue();
      if (e.getValue() >= 0.005) {
        parts.append(String.format(" %s %.2f", e.getKey(), e.getValue()));
      }
    }
    if (mosquittoCores > 0) parts.append(String.format(" mosquitto %.2f", mosquittoCores));
    System.out.printf(
        "RESULT %s clients=%d offered=%,.0f/s acked=%,.0f/s inKafka=%,.0f/s heldBack=%,d failed=%,d"
            + " puback p50/p99/max=%.1f/%.1f/%.1f ms  publish->Kafka p50/p99/max=%d/%d/%d ms"
            + "  cores all %.2f:%s%n",
        target + (target.equals("endpoint") ? "" : "x" + bridges),
        clients,
        offered,
        ackedPerSecond,
        storedPerSecond,
        held,
        failed.sum(),
        pubackMicros.percentile(50) / 1000.0,
        pubackMicros.percentile(99) / 1000.0,
        pubackMicros.percentile(100) / 1000.0,
        kafkaMillis.percentile(50),
        kafkaMillis.percentile(99),
        kafkaMillis.percentile(100),
        all,
        parts);
  }

  /** Reads gf.raw.sensor from its end: counts this run's readings and their publish→Kafka time. */
  private void readBack(String bootstrap, String devicePrefix) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.RAW_SENSOR).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToEnd(parts);
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          try {
            SensorReading s = CODEC.decode(r.value());
            if (!s.getDeviceId().startsWith(devicePrefix)) continue;
            stored.increment();
            if (measuring.get()) kafkaMillis.add(now - s.getTs().toEpochMilli());
          } catch (IOException | RuntimeException e) {
            // not a reading of this run
          }
        }
      }
    }
  }

  /** One sensor connection: QoS 1, clean session, at most {@link #window} awaiting PUBACK. */
  private final class Sensor {
    private final MqttAsyncClient client;
    private final String topic;
    private final Semaphore inFlight = new Semaphore(window);

    Sensor(String url, String clientId, String device) throws Exception {
      client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      o.setMaxInflight(window + 10);
      o.setKeepAliveInterval(60);
      client.connect(o).waitForCompletion(30_000);
      topic = "gf/sensors/NOISE/" + device;
    }

    void publish() {
      if (!inFlight.tryAcquire()) {
        heldBack.increment();
        return;
      }
      long sentAt = System.nanoTime();
      byte[] payload =
          ("{\"ts\":" + Instant.now().toEpochMilli() + ",\"value\":42.5}")
              .getBytes(StandardCharsets.UTF_8);
      try {
        client.publish(
            topic,
            payload,
            1,
            false,
            null,
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                acked.increment();
                if (measuring.get()) pubackMicros.add((System.nanoTime() - sentAt) / 1_000);
                inFlight.release();
              }

              @Override
              public void onFailure(IMqttToken token, Throwable error) {
                failed.increment();
                inFlight.release();
              }
            });
      } catch (Exception e) {
        failed.increment();
        inFlight.release();
      }
    }

    void close() {
      try {
        client.disconnect(2_000).waitForCompletion(5_000);
        client.close(true);
      } catch (Exception e) {
        // the target may be gone already
      }
    }
  }

  /** Latency samples of the measured window (a few hundred thousand: an array, sorted once). */
  private static final class LatencySamples {
    private long[] values = new long[1 << 16];
    private final AtomicLong size = new AtomicLong();

    synchronized void add(long v) {
      int i = (int) size.getAndIncrement();
      if (i >= values.length) values = Arrays.copyOf(values, values.length * 2);
      values[i] = v;
    }

    synchronized long percentile(double p) {
      int n = (int) size.get();
      if (n == 0) return -1;
      long[] sorted = Arrays.copyOf(values, n);
      Arrays.sort(sorted);
      int i = (int) Math.ceil(p / 100.0 * n) - 1;
      return sorted[Math.max(0, Math.min(n - 1, i))];
    }
  }
}
