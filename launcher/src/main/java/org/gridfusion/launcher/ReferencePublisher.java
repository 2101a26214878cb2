package org.gridfusion.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.reference.AddressRegistry;
import org.gridfusion.jobs.reference.DeviceRegistry;
import org.gridfusion.jobs.reference.GridIndex;

/**
 * Publishes the reference files of contract §1 to {@code gf.reference} (compacted, one key per
 * kind, the whole file as value), where every task of a job with {@code reference.source: kafka}
 * picks them up within {@code reference.reloadInterval}. Each file is loaded here first exactly as
 * the job loads it, so a broken file is refused with its line before anything is published.
 */
public final class ReferencePublisher {
  private ReferencePublisher() {}

  /** The configured files by key of {@code gf.reference}; the grid map is required. */
  public static Map<String, Path> files(Config config) {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(
        Topics.REFERENCE_GRID_MAP,
        Path.of(config.require(GridFusionOptions.REFERENCE_GRID_MAP, "to publish the grid map")));
    config
        .getOptional(GridFusionOptions.REFERENCE_DEVICES)
        .ifPresent(f -> files.put(Topics.REFERENCE_DEVICES, Path.of(f)));
    config
        .getOptional(GridFusionOptions.REFERENCE_ADDRESSES)
        .ifPresent(f -> files.put(Topics.REFERENCE_ADDRESSES, Path.of(f)));
    return files;
  }

  /** Checks every file, then publishes them; returns a line per file for the user. */
  public static Map<String, String> publish(KafkaConnection kafka, Map<String, Path> files)
      throws Exception {
    Map<String, String> said = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : files.entrySet()) said.put(e.getKey(), check(e));
    Properties p = KafkaSetup.reliableProducer(kafka, "gridfusion-reference-push");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.REFERENCE_MAX_BYTES);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.REFERENCE_MAX_BYTES);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip"); // GeoJSON and CSV shrink ~5x
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (Map.Entry<String, Path> e : files.entrySet()) {
        byte[] bytes = Files.readAllBytes(e.getValue());
        if (bytes.length > Topics.REFERENCE_MAX_BYTES) {
          throw new IllegalArgumentException(
              e.getValue() + " is larger than " + Topics.REFERENCE_MAX_BYTES + " bytes");
        }
        producer
            .send(
                new ProducerRecord<>(
                    Topics.REFERENCE, e.getKey().getBytes(StandardCharsets.UTF_8), bytes))
            .get(120, TimeUnit.SECONDS);
      }
    }
    return said;
  }

  private static String check(Map.Entry<String, Path> file) throws Exception {
    Path f = file.getValue();
    return switch (file.getKey()) {
      case Topics.REFERENCE_GRID_MAP -> GridIndex.load(f).size() + " grids from " + f;
      case Topics.REFERENCE_DEVICES -> DeviceRegistry.load(f).size() + " devices from " + f;
      case Topics.REFERENCE_ADDRESSES -> AddressRegistry.load(f).size() + " addresses from " + f;
      default -> throw new IllegalArgumentException("unknown reference kind " + file.getKey());
    };
  }
}
