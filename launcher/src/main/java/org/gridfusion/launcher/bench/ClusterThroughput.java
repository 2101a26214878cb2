package org.gridfusion.launcher.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.launcher.ReferencePublisher;
import org.gridfusion.launcher.cluster.ClusterJob;
import org.gridfusion.launcher.cluster.FlinkCluster;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;

/**
 * Throughput of the fusion job on {@code up}'s cluster mode: the job jar on a standalone session
 * cluster of separate TaskManager processes, Kafka → Kafka, the cluster-mode counterpart of the
 * bench module's {@code RecordsJobThroughput} (same preloaded readings: every sensor of a
 * 48-community district in turn, about one in 2,000 over a threshold).
 *
 * <p>The job runs as deployed (the job jar's main, production sinks); Elasticsearch is a stub in
 * this process that accepts every bulk at once, so the figure is the job's and Kafka's, not
 * Elasticsearch's. Measured between 20 % and 90 % of the records committed in gf.records
 * (read_committed; commits come at checkpoints, every 2 s): the wall-clock rate, and records per
 * CPU-second of the TaskManager processes (whole JVMs: GC, JIT and Flink's runtime threads
 * included, unlike the MiniCluster figure, which counts the job's threads only).
 *
 * <p>Run: {@code java -cp launcher/target/gridfusion.jar
 * org.gridfusion.launcher.bench.ClusterThroughput [records] [hashmap|rocksdb] [taskManagers]
 * [resultFile]}.
 */
public final class ClusterThroughput {
  private static final double WINDOW_FROM = 0.2;
  private static final double WINDOW_TO = 0.9;

  private ClusterThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    String backend = args.length > 1 ? args[1] : "hashmap";
    int taskManagers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path result =
        Path.of(
            args.length > 3 ? args[3] : "bench/results/cluster-throughput-" + backend + ".json");
    Path dir = Files.createTempDirectory("gf-cluster-throughput");
    District district =
        DistrictGenerator.generate(DistrictSpec.of(8, 6, 42).withAsOf(Instant.now()));
    district.writeTo(dir.resolve("district"));
    HttpServer es = nullElasticsearch();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      int parallelism = taskManagers;
      KafkaSetup.createTopics(kafka.connection(), parallelism, (short) 1, Duration.ofDays(7));
      preload(kafka.bootstrap(), district, n);
      Config config =
          Config.empty()
              .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap())
              .with(
                  GridFusionOptions.ELASTICSEARCH_URL,
                  "http://127.0.0.1:" + es.getAddress().getPort())
              .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
              .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
              .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
              .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "throughput-secret-0123456789")
              .with(GridFusionOptions.DATA_DIR, dir)
              .with(GridFusionOptions.JOB_PARALLELISM, parallelism)
              .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "2s")
              .with(GridFusionOptions.JOB_STATE_BACKEND, backend)
              .with(GridFusionOptions.FLINK_TASK_MANAGERS, taskManagers)
              .with(GridFusionOptions.FLINK_SLOTS, 2) // one fusion and one indexing subtask each
              .with(GridFusionOptions.FLINK_TASK_MANAGER_MEMORY, "2g");
      ReferencePublisher.publish(kafka.connection(), ReferencePublisher.files(config));
      long t0 = System.nanoTime();
      try (ClusterJob job = ClusterJob.start(config, null, System.out)) {
        // the cluster's processes go with this one, also on Ctrl-C
        Runtime.getRuntime().addShutdownHook(new Thread(job::close));
        List<FlinkCluster.Member> tms =
            job.cluster().members().stream().filter(m -> m.name().startsWith("task")).toList();
        Window w = measure(kafka.bootstrap(), n, tms, Duration.ofMinutes(20));
        double total = (System.nanoTime() - t0) / 1e9;
        double wall = w.records / w.seconds;
        double perCore = w.records / w.cpuSeconds;
        String json =
            String.format(
                Locale.ROOT,
                """
                {
                  "benchmark": "ClusterThroughput (job jar on up's cluster mode, Kafka -> Kafka, Elasticsearch stubbed)",
                  "date": "%s",
                  "machine": {"cores": %d, "os": "%s %s", "jvm": "%s %s"},
                  "records": %d, "stateBackend": "%s", "taskManagers": %d, "parallelism": %d,
                  "checkpointInterval": "2s", "totalSeconds": %.1f,
                  "window": {"from": %.2f, "to": %.2f, "records": %d, "seconds": %.2f},
                  "recordsPerSecondWallClock": %.0f,
                  "taskManagerCores": %.2f,
                  "recordsPerTaskManagerCpuSecond": %.0f
                }
                """,
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"),
                n,
                backend,
                taskManagers,
                parallelism,
                total,
                WINDOW_FROM,
                WINDOW_TO,
                w.records,
                w.seconds,
                wall,
                w.cpuSeconds / w.seconds,
                perCore);
        Files.createDirectories(result.toAbsolutePath().getParent());
        Files.writeString(result, json);
        System.out.printf(
            Locale.ROOT,
            "%s: %d records Kafka -> Kafka on %d TaskManager processes; window %.0f-%.0f %%: %.0f"
                + " records/s wall clock, %.2f TaskManager cores, %.0f records per TaskManager"
                + " CPU-second -> %s%n",
            backend,
            n,
            taskManagers,
            WINDOW_FROM * 100,
            WINDOW_TO * 100,
            wall,
            w.cpuSeconds / w.seconds,
            perCore,
            result);
      }
    } finally {
      es.stop(0);
    }
    System.exit(0);
  }

  private record Window(long records, double seconds, double cpuSeconds) {}

  /** Follows gf.records (read_committed) and the TaskManagers' CPU between 20 % and 90 % of n. */
  private static Window measure(
      String bootstrap, int n, List<FlinkCluster.Member> tms, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long from = (long) (n * WINDOW_FROM);
    long to = (long) (n * WINDOW_TO);
    long count = 0;
    long fromCount = -1;
    long fromNanos = 0;
    double fromCpu = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.RECORDS).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      while (count < to) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(count + " of " + n + " records in " + timeout);
        }
        count += c.poll(Duration.ofMillis(100)).count();
        if (fromCount < 0 && count >= from) {
          fromCount = count;
          fromNanos = System.nanoTime();
          fromCpu = cpuSeconds(tms);
        }
      }
      return new Window(
          count - fromCount, (System.nanoTime() - fromNanos) / 1e9, cpuSeconds(tms) - fromCpu);
    }
  }

  private static double cpuSeconds(List<FlinkCluster.Member> tms) {
    double s = 0;
    for (FlinkCluster.Member m : tms) {
      s += m.process().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return s;
  }

  /**
   * An Elasticsearch that takes every bulk and keeps nothing: the job's document sinks run as in
   * production without an Elasticsearch node on the same two cores.
   */
  private static HttpServer nullElasticsearch() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    s.createContext(
        "/",
        x -> {
          try (InputStream in = x.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          byte[] body =
              (x.getRequestURI().getPath().endsWith("_bulk")
                      ? "{\"took\":1,\"errors\":false,\"items\":[]}"
                      : "{}")
                  .getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    s.start();
    return s;
  }

  private static void preload(String bootstrap, District district, int n) throws Exception {
    List<Device> sensors = district.sensors();
    AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
    SplittableRandom random = new SplittableRandom(42);
    long start = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            KafkaSetup.reliableProducer(KafkaConnection.plaintext(bootstrap), "preload"))) {
      for (int i = 0; i < n; i++) {
        Device d = sensors.get(i % sensors.size());
        SensorReading r =
            SensorReading.newBuilder()
                .setDeviceId(d.deviceId())
                .setType(d.type())
                .setTs(Instant.ofEpochMilli(start + i))
                .setValue(value(d.sensorType(), random))
                .setReceivedAt(Instant.now())
                .build();
        p.send(
            new ProducerRecord<>(
                Topics.RAW_SENSOR, d.deviceId().getBytes(StandardCharsets.UTF_8), codec.encode(r)));
      }
      p.flush();
    }
    System.out.printf("preloaded %d readings of %d sensors%n", n, sensors.size());
  }

  /** As RecordsJobThroughput: everyday values, now and then one over a rule's threshold. */
  private static double value(SensorType type, SplittableRandom random) {
    boolean high = random.nextInt(2000) == 0;
    return switch (type) {
      case SMOKE -> high ? 12 : random.nextDouble();
      case GAS -> high ? 25 : random.nextDouble() * 3;
      case WATER_LEVEL -> high ? 35 : random.nextDouble() * 10;
      case MANHOLE_TILT -> high ? 16 : random.nextDouble() * 2;
      case NOISE -> high ? 75 : 40 + random.nextDouble() * 20;
      case DOOR -> random.nextInt(2);
      case TEMPERATURE -> 18 + random.nextDouble() * 5;
      case PM25 -> 20 + random.nextDouble() * 40;
      case ELECTRIC_CURRENT -> 5 + random.nextDouble() * 30;
    };
  }
}
