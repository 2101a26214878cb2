package org.gridfusion.jobs.records;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.schema.Record;

/**
 * Drops a record whose id was already seen: connectors deliver at least once (an MQTT redelivery, an
 * HTTP client retry, a file dropped twice). The memory of an id expires after the TTL, so state stays
 * bounded by the ids of one TTL.
 *
 * <p>Keyed by gridId (the ids kept in a map per grid), not by recordId: a record and its redelivery
 * land in the same grid, and keying by grid keeps one device's readings on one path from its Kafka
 * partition to the rule engine, so they reach the rules in the order the device sent them. Keyed by
 * recordId they were spread over all subtasks and could overtake each other (a reading below a
 * threshold arriving after the next one above it looked like two consecutive high readings).
 */
public final class Deduplicate extends KeyedProcessFunction<String, Record, Record> {
  private final java.time.Duration ttl;
  private transient MapState<String, Boolean> seen;
  private transient Counter duplicates;

  public Deduplicate(java.time.Duration ttl) {
    this.ttl = ttl;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    MapStateDescriptor<String, Boolean> d = new MapStateDescriptor<>("seen", String.class, Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    seen = getRuntimeContext().getMapState(d);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
  }

  @Override
  public void processElement(Record r, Context ctx, Collector<Record> out) throws Exception {
    if (seen.contains(r.getRecordId())) {
      duplicates.inc();
      return;
    }
    seen.put(r.getRecordId(), Boolean.TRUE);
    out.collect(r);
  }
}
