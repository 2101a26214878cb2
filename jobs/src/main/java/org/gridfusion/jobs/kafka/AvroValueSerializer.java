package org.gridfusion.jobs.kafka;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.gridfusion.schema.codec.AvroCodec;

/**
 * Avro single-object encoding for Kafka values. It states its type, which the Kafka sink's lineage
 * reporting needs and cannot infer from a lambda.
 */
public final class AvroValueSerializer<T extends SpecificRecordBase>
    implements SerializationSchema<T>, ResultTypeQueryable<T> {
  private final AvroCodec<T> codec;

  public AvroValueSerializer(Class<T> type) {
    this.codec = AvroCodec.of(type);
  }

  @Override
  public byte[] serialize(T element) {
    return codec.encode(element);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroTypeInfo<>(codec.type());
  }
}
