package org.gridfusion.jobs.serialization;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.gridfusion.schema.Record;

/**
 * The type of the fusion job's records wherever they cross the network: the output of the three
 * normalise steps (shuffled by grid to the rule operator) and the rule operator's records side
 * output (shuffled by device to the device watch). Flink would otherwise pick its generic Avro
 * serializer, which was the largest single cost of the job (bench/README.md).
 */
public final class RecordType {
  public static final TypeInformation<Record> INFO = new DirectAvroTypeInfo<>(Record.class);

  private RecordType() {}
}
