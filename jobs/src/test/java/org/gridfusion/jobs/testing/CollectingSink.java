package org.gridfusion.jobs.testing;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 that hands every element, copied, to its {@link TestRun} under the output's name, and
 * reports each watermark its writer sees: once every writer of every sink has seen the run's end of
 * event time, everything the job emits up to then has been collected.
 */
public final class CollectingSink<T> implements Sink<T> {
  private final String runId;
  private final String output;

  public CollectingSink(String runId, String output) {
    this.runId = runId;
    this.output = output;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    TestRun run = TestRun.get(runId);
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    // the job runs with object reuse, as in production: keep a copy, never the instance handed in
    TypeSerializer<T> serializer = context.createInputSerializer();
    run.writer(output, subtask);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        run.collect(output, serializer.copy(element));
      }

      @Override
      public void writeWatermark(Watermark watermark) {
        run.watermark(output, subtask, watermark.getTimestamp());
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
