package org.gridfusion.bench;

import java.util.Map;
import org.gridfusion.schema.Record;

/**
 * A rule engine under comparison: records and watermarks in, alerts out. Both GridFusion's
 * operators ({@link FlinkRulePipeline}) and the Esper baseline implement it, so one driver feeds
 * them the same stream and the same watermarks and times them the same way.
 */
public interface RulePipeline extends AutoCloseable {
  /** One record, in arrival order (which may differ slightly from event-time order). */
  void accept(Record r) throws Exception;

  /** Event time has reached {@code ts}: no record at or before it is still to come. */
  void watermark(long ts) throws Exception;

  /** Every alert raised so far, by alert id, with the highest severity it reached. */
  Map<String, RaisedAlert> alerts();

  @Override
  void close() throws Exception;
}
