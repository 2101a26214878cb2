package org.gridfusion.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
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
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedKafka;
import org.gridfusion.jobs.FusionJob;
import org.gridfusion.jobs.JobRunner;
import org.gridfusion.jobs.kafka.KafkaEndpoints;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;

/**
 * Throughput of the fusion job Kafka → Kafka: N sensor readings preloaded into gf.raw.sensor, the job
 * (normalise, grid, dedup, rules, incidents) started on a local MiniCluster, the clock stopped when all N
 * records are committed in gf.records. Elasticsearch sinks are replaced by discarding sinks, so this
 * measures the job and Kafka, not Elasticsearch. Run: {@code java -cp bench/target/benchmarks.jar
 * org.gridfusion.bench.RecordsJobThroughput [records] [parallelism]}.
 */
public final class RecordsJobThroughput {
  private RecordsJobThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Files.createTempDirectory("gf-throughput");
    District district = DistrictGenerator.generate(DistrictSpec.of(8, 6, 42).withAsOf(Instant.now()));
    district.writeTo(dir.resolve("district"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      KafkaSetup.createTopics(kafka.bootstrap(), parallelism, (short) 1);
      preload(kafka.bootstrap(), district, n);
      Config config = Config.empty()
          .with(GridFusionOptions.KAFKA_BOOTSTRAP, kafka.bootstrap())
          .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("district/grids.geojson"))
          .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("district/devices.csv"))
          .with(GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("district/addresses.csv"))
          .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "throughput-secret-0123456789")
          .with(GridFusionOptions.DATA_DIR, dir)
          .with(GridFusionOptions.JOB_PARALLELISM, parallelism)
          .with(GridFusionOptions.JOB_CHECKPOINT_INTERVAL, "5s")
          .with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, 0);
      StreamExecutionEnvironment env = JobRunner.environment(config, null);
      FusionJob.build(env, FusionJob.kafkaSources(config), new FusionJob.Sinks(
          KafkaEndpoints.avroSink(kafka.bootstrap(), Topics.RECORDS, Record.class, r -> r.getGridId().getBytes(StandardCharsets.UTF_8), "tp-records"),
          new DiscardingSink<>(),
          KafkaEndpoints.avroSink(kafka.bootstrap(), Topics.ALERTS, Alert.class, a -> a.getGridId().getBytes(StandardCharsets.UTF_8), "tp-alerts"),
          new DiscardingSink<>(),
          KafkaEndpoints.textSink(kafka.bootstrap(), Topics.DEADLETTER),
          KafkaEndpoints.avroSink(kafka.bootstrap(), Topics.RISK, org.gridfusion.schema.RiskScore.class,
              r -> r.getGridId().getBytes(StandardCharsets.UTF_8), "tp-risk"),
          new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()),
          FusionJob.Settings.from(config));
      long t0 = System.nanoTime();
      JobClient job = env.executeAsync("throughput");
      long committed = awaitCommitted(kafka.bootstrap(), n, Duration.ofMinutes(20));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%d records Kafka -> Kafka in %.1f s (job start and the last 5 s checkpoint included): %.0f records/s, parallelism %d%n",
          committed, seconds, committed / seconds, parallelism);
      job.cancel().get();
    }
    System.exit(0);
  }

  private static void preload(String bootstrap, District district, int n) throws Exception {
    List<Device> sensors = district.sensors();
    AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
    long start = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaSetup.reliableProducer(bootstrap, "preload"))) {
      for (int i = 0; i < n; i++) {
        Device d = sensors.get(i % sensors.size());
        // well below every alert threshold: the job's normal work, not alert storms
        SensorReading r = SensorReading.newBuilder().setDeviceId(d.deviceId()).setType(d.type())
            .setTs(Instant.ofEpochMilli(start + i)).setValue(1.0).setReceivedAt(Instant.now()).build();
        p.send(new ProducerRecord<>(Topics.RAW_SENSOR, d.deviceId().getBytes(StandardCharsets.UTF_8), codec.encode(r)));
      }
      p.flush();
    }
    System.out.printf("preloaded %d readings of %d sensors%n", n, sensors.size());
  }

  private static long awaitCommitted(String bootstrap, int n, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long count = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = c.partitionsFor(Topics.RECORDS).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      while (count < n && System.nanoTime() < deadline) count += c.poll(Duration.ofMillis(200)).count();
    }
    return count;
  }
}
