package org.gridfusion.jobs.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;

/**
 * A Sink V2 for Elasticsearch on Flink's {@link AsyncSinkBase} (batching, in-flight limit, retries
 * and back-pressure come from the base) around the official client's bulk API. No Elasticsearch
 * connector for Flink 2.x is published, hence this one.
 *
 * <p>At-least-once: because every write has a deterministic id, a write repeated after a restart
 * overwrites rather than duplicates, which makes the index effectively exactly-once. Two ways to
 * meet a checkpoint:
 *
 * <ul>
 *   <li>{@link #create}: the checkpoint waits until Elasticsearch has acknowledged every write
 *       handed over before it (the indexing job: its checkpoint, and the Kafka offsets it commits,
 *       then mean "indexed");
 *   <li>{@link #beside}: the checkpoint never waits for Elasticsearch; writes still in flight are
 *       kept in the checkpoint with the buffered ones and sent again after a restore (the fusion
 *       job's alert and work-order documents: an Elasticsearch that is slow or away must not hold
 *       the checkpoints that commit gf.alerts).
 * </ul>
 */
public final class ElasticsearchSink<T> extends AsyncSinkBase<T, EsWrite> {
  private final ElasticsearchConnection es;
  private final boolean checkpointWaits;

  private ElasticsearchSink(
      ElasticsearchConnection es,
      DocumentMapper<T> mapper,
      int maxBatchSize,
      long maxTimeInBufferMs,
      boolean checkpointWaits) {
    super(
        (element, context) -> mapper.toWrite(element),
        maxBatchSize,
        4,
        10_000,
        5L * 1024 * 1024,
        maxTimeInBufferMs,
        1024L * 1024);
    this.es = es;
    this.checkpointWaits = checkpointWaits;
  }

  /**
   * A sink writing to {@code es}; batches of up to 1,000 documents, flushed at least every {@code
   * maxDelayMs}.
   */
  public static <T> ElasticsearchSink<T> create(
      ElasticsearchConnection es, DocumentMapper<T> mapper, long maxDelayMs) {
    return new ElasticsearchSink<>(es, mapper, 1000, maxDelayMs, true);
  }

  /**
   * A sink writing to {@code es} whose checkpoints never wait for Elasticsearch (see the class
   * comment); batches of up to 1,000 documents, flushed at least every {@code maxDelayMs}. While
   * Elasticsearch is away it buffers up to 10,000 documents before it holds its input back.
   */
  public static <T> ElasticsearchSink<T> beside(
      ElasticsearchConnection es, DocumentMapper<T> mapper, long maxDelayMs) {
    return new ElasticsearchSink<>(es, mapper, 1000, maxDelayMs, false);
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<EsWrite>> createWriter(
      WriterInitContext context) {
    return new ElasticsearchSinkWriter<>(
        getElementConverter(), context, configuration(), List.of(), es, checkpointWaits);
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<EsWrite>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<EsWrite>> recoveredState) {
    return new ElasticsearchSinkWriter<>(
        getElementConverter(), context, configuration(), recoveredState, es, checkpointWaits);
  }

  private AsyncSinkWriterConfiguration configuration() {
    return AsyncSinkWriterConfiguration.builder()
        .setMaxBatchSize(getMaxBatchSize())
        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
        .setMaxInFlightRequests(getMaxInFlightRequests())
        .setMaxBufferedRequests(getMaxBufferedRequests())
        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
        .build();
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<EsWrite>> getWriterStateSerializer() {
    return new StateSerializer();
  }

  /**
   * Writes every field of a pending write into the checkpoint, the external {@code version} too: a
   * "latest per key" write restored without it would become a plain index and could overwrite a
   * newer document (gf-grid-status). State written by version 1 (before the version was kept) still
   * restores, as writes without a version.
   */
  static final class StateSerializer extends AsyncSinkWriterStateSerializer<EsWrite> {
    static final int VERSION = 2;

    /** The version of the state being read (the base class does not pass it on). */
    private int reading = VERSION;

    @Override
    public BufferedRequestState<EsWrite> deserialize(int version, byte[] serialized)
        throws IOException {
      reading = version;
      return super.deserialize(version, serialized);
    }

    @Override
    protected void serializeRequestToStream(EsWrite w, DataOutputStream out) throws IOException {
      out.writeUTF(w.index());
      out.writeUTF(w.id());
      byte[] json = w.json().getBytes(StandardCharsets.UTF_8);
      out.writeInt(json.length);
      out.write(json);
      out.writeBoolean(w.upsert());
      out.writeBoolean(w.version() != null);
      if (w.version() != null) out.writeLong(w.version());
    }

    @Override
    protected EsWrite deserializeRequestFromStream(long size, DataInputStream in)
        throws IOException {
      String index = in.readUTF();
      String id = in.readUTF();
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      boolean upsert = in.readBoolean();
      Long version = reading >= 2 && in.readBoolean() ? in.readLong() : null;
      return new EsWrite(index, id, new String(json, StandardCharsets.UTF_8), upsert, version);
    }

    @Override
    public int getVersion() {
      return VERSION;
    }
  }
}
