package org.gridfusion.jobs.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/** UTF-8 text values (the JSON dead letters). */
public final class TextSerializer
    implements SerializationSchema<String>, ResultTypeQueryable<String> {
  @Override
  public byte[] serialize(String element) {
    return element.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public TypeInformation<String> getProducedType() {
    return Types.STRING;
  }
}
