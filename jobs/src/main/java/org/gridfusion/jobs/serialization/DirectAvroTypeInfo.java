package org.gridfusion.jobs.serialization;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of a flat Avro specific record whose values Flink moves with a {@link
 * DirectAvroSerializer}: give it where such a record crosses the network or goes into state (the
 * output type of an operator, a side-output tag, a state descriptor).
 */
public final class DirectAvroTypeInfo<T extends SpecificRecordBase> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  public DirectAvroTypeInfo(Class<T> type) {
    this.type = type;
    new DirectAvroSerializer<>(type); // fails now for a record it cannot write
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new DirectAvroSerializer<>(type);
  }

  @Override
  public String toString() {
    return "DirectAvroTypeInfo<" + type.getName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectAvroTypeInfo<?> other && other.type == type;
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof DirectAvroTypeInfo;
  }
}
