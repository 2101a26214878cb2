package org.gridfusion.jobs.kafka;

import java.io.IOException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads single-object-encoded Avro values. A value that does not decode (written by a foreign
 * producer) is skipped with an error log naming topic, partition and offset, and counted in {@code
 * undecodableRecords}: it stays in the topic for inspection, and one bad value does not stop the
 * job.
 */
public final class AvroRecordDeserializer<T extends SpecificRecordBase>
    implements KafkaRecordDeserializationSchema<T> {
  private static final Logger LOG = LoggerFactory.getLogger(AvroRecordDeserializer.class);

  private final AvroCodec<T> codec;
  private transient Counter undecodable;

  public AvroRecordDeserializer(Class<T> type) {
    this.codec = AvroCodec.of(type);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    undecodable = context.getMetricGroup().counter("undecodableRecords");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
    if (record.value() == null) return;
    T value;
    try {
      value = codec.decode(record.value());
    } catch (IOException | RuntimeException e) {
      if (undecodable != null) undecodable.inc();
      LOG.error(
          "Skipping undecodable value at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    // outside the try: a failure of the operators chained behind the source (a sink writer) is
    // theirs to raise, not a reason to skip the record as undecodable
    out.collect(value);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroTypeInfo<>(codec.type());
  }
}
