package org.gridfusion.connectors.mqtt;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;

/**
 * A {@code KafkaProbe.readUntil} condition over {@code gf.raw.sensor}: holds once {@code expected}
 * distinct readings (by {@code ts}) of one device were read. Duplicates, which at-least-once
 * delivery allows, count once. It decodes only the records added since its last call, since the
 * probe hands it the same growing list after every poll.
 */
final class DistinctReadings implements Predicate<List<ConsumerRecord<byte[], byte[]>>> {
  private final AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
  private final String deviceId;
  private final int expected;
  private final Set<Long> timestamps = new TreeSet<>();
  private int scanned;
  private long copies;

  DistinctReadings(String deviceId, int expected) {
    this.deviceId = deviceId;
    this.expected = expected;
  }

  @Override
  public boolean test(List<ConsumerRecord<byte[], byte[]>> records) {
    for (; scanned < records.size(); scanned++) {
      SensorReading r;
      try {
        r = codec.decode(records.get(scanned).value());
      } catch (IOException | RuntimeException e) {
        continue; // not ours: another test wrote to the shared topic
      }
      if (deviceId.equals(r.getDeviceId())) {
        timestamps.add(r.getTs().toEpochMilli());
        copies++;
      }
    }
    return timestamps.size() >= expected;
  }

  /** The distinct {@code ts} (epoch ms) seen so far. */
  Set<Long> timestamps() {
    return timestamps;
  }

  /** Records of the device read so far, duplicates included. */
  long copies() {
    return copies;
  }
}
