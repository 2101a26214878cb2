package org.gridfusion.jobs.records;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.schema.Record;

/**
 * Drops a record whose id was already seen: connectors deliver at least once (an MQTT redelivery, an
 * HTTP client retry, a file dropped twice). Keyed by recordId; the memory of an id expires after the
 * TTL, so state stays bounded by the ids of one TTL.
 */
public final class Deduplicate extends KeyedProcessFunction<String, Record, Record> {
  private final java.time.Duration ttl;
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;

  public Deduplicate(java.time.Duration ttl) {
    this.ttl = ttl;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen", Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    seen = getRuntimeContext().getState(d);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
  }

  @Override
  public void processElement(Record r, Context ctx, Collector<Record> out) throws Exception {
    if (seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(Boolean.TRUE);
    out.collect(r);
  }
}
