package org.gridfusion.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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
import org.gridfusion.embedded.CpuBreakdown;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.jobs.FusionJob;
import org.gridfusion.jobs.JobRunner;
import org.gridfusion.jobs.kafka.KafkaEndpoints;
import org.gridfusion.jobs.records.Normalise;
import org.gridfusion.jobs.serialization.RecordType;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;

/**
 * Throughput of the fusion job Kafka → Kafka, the figure issue 8's "records job ≥ 100,000 records/s
 * per core" is about. N sensor readings (every sensor of a 48-community district in turn, everyday
 * values, about one in 2,000 over a threshold) are preloaded into gf.raw.sensor; the job
 * (normalise, grid, dedup, rules, incidents, risk, work orders) then runs on a local MiniCluster
 * with its Kafka sinks exactly-once and its Elasticsearch sinks discarded, so this measures the job
 * and Kafka, not Elasticsearch.
 *
 * <p>Measured in steady state: the window runs from 20 % to 90 % of the records through the dedup
 * operator (counted as the gf.records sink serialises them; job start and the final checkpoint are
 * left out; afterwards all N must be committed in gf.records), and over that window the CPU of the
 * process is broken down by part ({@link CpuBreakdown}: the Flink job's threads, the embedded Kafka
 * broker, the JVM's GC and JIT...). Records per CPU-second of the job's threads is the per-core
 * throughput; the wall-clock rate is what these 2 cores did with broker and job sharing them.
 *
 * <p>Run: {@code java -Xmx4g --add-opens=java.base/java.util=ALL-UNNAMED -cp
 * bench/target/benchmarks.jar org.gridfusion.bench.RecordsJobThroughput [records] [parallelism]
 * [resultFile] [hashmap|rocksdb] [fusion|floor|floor-one-shuffle]}: {@code floor} runs the job's
 * record path without its own stateful work ({@link #buildFloor}), {@code floor-one-shuffle} that
 * without the shuffle by device.
 */
public final class RecordsJobThroughput {
  private static final double WINDOW_FROM = 0.2;
  private static final double WINDOW_TO = 0.9;

  private RecordsJobThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path result = Path.of(args.length > 2 ? args[2] : "bench/results/records-job-throughput.json");
    String backend = args.length > 3 ? args[3] : "hashmap";
    String pipeline = args.length > 4 ? args[4] : "fusion";
    if (!List.of("fusion", "floor", "floor-one-shuffle").contains(pipeline))
      throw new IllegalArgumentException(
          "pipeline must be fusion (the job), floor (its record path without dedup, rules and"
              + " device watch) or floor-one-shuffle (the same without the shuffle by device), not "
              + pipeline);
    boolean floor = pipeline.startsWith("floor");
    Path dir = Files.createTempDirectory("gf-throughput");
    District district =
        DistrictGenerator.generate(DistrictSpec.of(8, 6, 42).withAsOf(Instant.now()));
    district.writeTo(dir.resolve("district"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      KafkaSetup.createTopics(
          kafka.connection(), parallelism, (short) 1, KafkaSetup.DEFAULT_DEADLETTER_RETENTION);
      preload(kafka.connection(), district, n);
      Config config =
          Config.empty()
              .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap())
              .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
              .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
              .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
              .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "throughput-secret-0123456789")
              .with(GridFusionOptions.DATA_DIR, dir)
              .with(GridFusionOptions.JOB_PARALLELISM, parallelism)
              .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "5s")
              .with(GridFusionOptions.JOB_STATE_BACKEND, backend)
              .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0);
      StreamExecutionEnvironment env = JobRunner.environment(config, null);
      Sink<Record> records =
          KafkaEndpoints.avroSink(
              kafka.connection(),
              Topics.RECORDS,
              Record.class,
              // counted as the records sink serialises them, in this JVM
              r -> {
                PROCESSED.incrementAndGet();
                return r.getGridId().getBytes(StandardCharsets.UTF_8);
              },
              "tp-records");
      if (floor) buildFloor(env, config, records, !pipeline.equals("floor-one-shuffle"));
      else
        FusionJob.build(
            env,
            FusionJob.kafkaSources(config),
            new FusionJob.Sinks(
                records,
                KafkaEndpoints.avroSink(
                    kafka.connection(),
                    Topics.ALERTS,
                    Alert.class,
                    a -> a.getGridId().getBytes(StandardCharsets.UTF_8),
                    "tp-alerts"),
                new DiscardingSink<>(),
                KafkaEndpoints.textSink(kafka.connection(), Topics.DEADLETTER),
                KafkaEndpoints.avroSink(
                    kafka.connection(),
                    Topics.RISK,
                    RiskScore.class,
                    r -> r.getGridId().getBytes(StandardCharsets.UTF_8),
                    "tp-risk"),
                KafkaEndpoints.avroSink(
                    kafka.connection(),
                    Topics.WORKORDERS,
                    WorkOrder.class,
                    o -> o.getOrderId().getBytes(StandardCharsets.UTF_8),
                    "tp-orders"),
                new DiscardingSink<>()),
            FusionJob.Settings.from(config));
      long t0 = System.nanoTime();
      JobClient job = env.executeAsync("throughput");
      Window w = measure(n, Duration.ofMinutes(20));
      long committed = awaitCommitted(kafka.bootstrap(), n, Duration.ofMinutes(5));
      double total = (System.nanoTime() - t0) / 1e9;
      if (committed != n)
        throw new IllegalStateException(
            committed + " of " + n + " records committed in gf.records");
      job.cancel().get();

      double wallRate = w.records / w.seconds;
      double perCore = w.records / w.cpuSeconds(CpuBreakdown.FLINK_JOB);
      String json =
          String.format(
              Locale.ROOT,
              """
          {
            "benchmark": "RecordsJobThroughput (%s, Kafka -> Kafka, Elasticsearch sinks discarded)",
            "date": "%s",
            "machine": {"cores": %d, "os": "%s %s", "jvm": "%s %s", "maxHeapMb": %d},
            "records": %d, "parallelism": %d, "checkpointInterval": "5s", "stateBackend": "%s",
            "totalSeconds": %.1f,
            "window": {"from": %.2f, "to": %.2f, "records": %d, "seconds": %.2f},
            "recordsPerSecondWallClock": %.0f,
            "coresInWindow": %s,
            "recordsPerJobCpuSecond": %.0f,
            "target": "records job >= 100,000 records/s per core"
          }
          """,
              floor
                  ? pipeline
                      + ": the fusion job's record path, dedup, rules and device watch passed"
                      + " through"
                  : "fusion job",
              Instant.now(),
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("os.name"),
              System.getProperty("os.arch"),
              System.getProperty("java.vm.name"),
              System.getProperty("java.vm.version"),
              Runtime.getRuntime().maxMemory() >> 20,
              n,
              parallelism,
              backend,
              total,
              WINDOW_FROM,
              WINDOW_TO,
              w.records,
              w.seconds,
              wallRate,
              json(w.cores),
              perCore);
      Files.createDirectories(result.toAbsolutePath().getParent());
      Files.writeString(result, json);
      System.out.printf(
          Locale.ROOT,
          "%d records Kafka -> Kafka in %.1f s in all; steady state (%.0f-%.0f %%): %.0f records/s on the"
              + " wall clock, %.0f records per CPU-second of the job's threads; cores used %s; parallelism %d, %s, %s -> %s%n",
          n,
          total,
          WINDOW_FROM * 100,
          WINDOW_TO * 100,
          wallRate,
          perCore,
          w.cores,
          parallelism,
          backend,
          pipeline,
          result);
    }
    System.exit(0);
  }

  /**
   * The fusion job's record path with nothing of GridFusion's own after normalise: the same Kafka
   * source, normaliser, shuffle by grid, exactly-once gf.records sink, shuffle by device and
   * checkpoints, with the rule operator and the device watch replaced by operators that pass
   * records on and keep no state. What it passes per job CPU-second is the ceiling of the fusion
   * job on this machine; the difference is what dedup, rules, device watch, risk and incidents cost
   * (issue 14).
   */
  private static void buildFloor(
      StreamExecutionEnvironment env, Config config, Sink<Record> records, boolean byDevice) {
    FusionJob.Settings s = FusionJob.Settings.from(config);
    DataStream<Record> byGrid =
        env.fromSource(
                FusionJob.kafkaSources(config).sensors(),
                WatermarkStrategy.<SensorReading>forBoundedOutOfOrderness(s.outOfOrderness())
                    .withTimestampAssigner((r, previous) -> r.getTs().toEpochMilli()),
                "sensor readings")
            .process(Normalise.sensors(s.reference(), s.hmacSecret()), RecordType.INFO)
            .name("normalise sensor readings")
            .keyBy(Record::getGridId)
            .map(r -> r, RecordType.INFO)
            .name("per grid: passed on");
    byGrid.sinkTo(records).name("gf.records");
    if (!byDevice) return;
    byGrid
        .keyBy(Record::getDeviceId)
        .filter(r -> false)
        .name("per device: dropped")
        .sinkTo(new DiscardingSink<>());
  }

  private static void preload(KafkaConnection kafka, District district, int n) throws Exception {
    List<Device> sensors = district.sensors();
    AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
    SplittableRandom random = new SplittableRandom(42);
    long start = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(KafkaSetup.reliableProducer(kafka, "preload"))) {
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

  /**
   * Everyday values, and now and then one over a rule's threshold, so the rules and risk have work.
   */
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

  /**
   * @param cores cores used per part of the process over the window ({@link CpuBreakdown})
   */
  private record Window(long records, double seconds, Map<String, Double> cores) {

    double cpuSeconds(String part) {
      return cores.getOrDefault(part, 0.0) * seconds;
    }
  }

  private static String json(Map<String, Double> cores) {
    StringBuilder b = new StringBuilder("{");
    cores.forEach(
        (k, v) ->
            b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
    return b.append('}').toString();
  }

  /** Records out of the dedup operator, counted as the gf.records sink serialises them. */
  private static final AtomicLong PROCESSED = new AtomicLong();

  /**
   * Takes the rate and CPU between 20 % and 90 % of n records processed. Counted as records pass,
   * not as gf.records commits them: commits come in bursts at checkpoints, which would quantise the
   * window.
   */
  private static Window measure(int n, Duration timeout) throws InterruptedException {
    long from = (long) (n * WINDOW_FROM);
    long to = (long) (n * WINDOW_TO);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (PROCESSED.get() < from) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "only " + PROCESSED.get() + " of " + n + " records processed in " + timeout);
      Thread.sleep(1);
    }
    long fromCount = PROCESSED.get();
    long fromNanos = System.nanoTime();
    CpuBreakdown.Snapshot fromCpu = CpuBreakdown.take();
    while (PROCESSED.get() < to) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "only " + PROCESSED.get() + " of " + n + " records processed in " + timeout);
      Thread.sleep(1);
    }
    long count = PROCESSED.get() - fromCount;
    double seconds = (System.nanoTime() - fromNanos) / 1e9;
    return new Window(count, seconds, CpuBreakdown.cores(fromCpu, CpuBreakdown.take()));
  }

  /** Counts gf.records as a read_committed consumer sees it, until n or the timeout. */
  private static long awaitCommitted(String bootstrap, int n, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long count = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.RECORDS).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      while (count < n && System.nanoTime() < deadline)
        count += c.poll(Duration.ofMillis(200)).count();
    }
    return count;
  }
}
