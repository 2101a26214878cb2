package org.gridfusion.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.gridfusion.common.elasticsearch.ElasticsearchClients;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches as one {@code _bulk} request. Transient failures (connection, 429, 5xx, version
 * conflicts) are retried with exponential back-off, so an Elasticsearch restart stalls the job
 * (back pressure) rather than losing documents; a document Elasticsearch rejects for good (a
 * mapping error) is logged with its id and counted in {@code documentsRejected}, and not retried
 * forever.
 *
 * <p>Unless its checkpoints wait for Elasticsearch ({@link ElasticsearchSink#beside}), a flush
 * before a checkpoint returns at once and the checkpoint keeps the writes in flight beside the
 * buffered ones.
 */
final class ElasticsearchSinkWriter<T> extends AsyncSinkWriter<T, EsWrite> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);
  private static final String JSON = "application/json";

  private final ElasticsearchAsyncClient client;
  private final ScheduledExecutorService retries;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final Counter rejected;
  private final Counter written;
  private final String url;
  private final boolean checkpointWaits;

  /** Batches handed to Elasticsearch and not yet acknowledged (only without checkpointWaits). */
  private final Set<List<EsWrite>> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());

  private final MailboxExecutor mailbox;

  ElasticsearchSinkWriter(
      ElementConverter<T, EsWrite> converter,
      WriterInitContext context,
      AsyncSinkWriterConfiguration configuration,
      Collection<BufferedRequestState<EsWrite>> state,
      ElasticsearchConnection es,
      boolean checkpointWaits) {
    super(converter, context, configuration, state);
    this.checkpointWaits = checkpointWaits;
    this.mailbox = context.getMailboxExecutor();
    this.url = es.url();
    this.client = ElasticsearchClients.async(es);
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "es-sink-retry");
              t.setDaemon(true);
              return t;
            });
    this.rejected = context.metricGroup().counter("documentsRejected");
    this.written = context.metricGroup().counter("documentsWritten");
  }

  @Override
  protected void submitRequestEntries(List<EsWrite> entries, ResultHandler<EsWrite> handler) {
    ResultHandler<EsWrite> result = checkpointWaits ? handler : tracked(entries, handler);
    List<BulkOperation> ops = new ArrayList<>(entries.size());
    for (EsWrite w : entries) ops.add(operation(w));
    client
        .bulk(BulkRequest.of(b -> b.operations(ops)))
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                retryLater(
                    entries, result, "bulk request to " + url + " failed: " + error.getMessage());
              } else {
                handle(entries, response, result);
              }
            });
  }

  private static BulkOperation operation(EsWrite w) {
    if (w.upsert()) {
      byte[] action =
          ("{\"doc\":" + w.json() + ",\"doc_as_upsert\":true}").getBytes(StandardCharsets.UTF_8);
      return BulkOperation.of(
          b ->
              b.update(
                  u ->
                      u.index(w.index())
                          .id(w.id())
                          .retryOnConflict(5)
                          .binaryAction(BinaryData.of(action, JSON))));
    }
    byte[] doc = w.json().getBytes(StandardCharsets.UTF_8);
    if (w.version() != null) {
      return BulkOperation.of(
          b ->
              b.index(
                  i ->
                      i.index(w.index())
                          .id(w.id())
                          .document(BinaryData.of(doc, JSON))
                          .version(w.version())
                          .versionType(
                              co.elastic.clients.elasticsearch._types.VersionType.ExternalGte)));
    }
    return BulkOperation.of(
        b -> b.index(i -> i.index(w.index()).id(w.id()).document(BinaryData.of(doc, JSON))));
  }

  private void handle(List<EsWrite> entries, BulkResponse response, ResultHandler<EsWrite> result) {
    if (!response.errors()) {
      consecutiveFailures.set(0);
      written.inc(entries.size());
      result.complete();
      return;
    }
    List<EsWrite> retry = new ArrayList<>();
    List<BulkResponseItem> items = response.items();
    int ok = 0;
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      if (item.error() == null) {
        ok++;
      } else if (item.status() == 409 && entries.get(i).version() != null) {
        ok++; // a newer version is already there: this write is stale by design, not a failure
      } else if (item.status() == 429 || item.status() >= 500 || item.status() == 409) {
        retry.add(entries.get(i));
      } else {
        rejected.inc();
        LOG.error(
            "Elasticsearch rejected document {}/{} ({}): {}",
            item.index(),
            item.id(),
            item.status(),
            item.error().reason());
      }
    }
    written.inc(ok);
    if (retry.isEmpty()) {
      consecutiveFailures.set(0);
      result.complete();
    } else {
      retryLater(
          retry,
          result,
          retry.size()
              + " documents refused for now (e.g. "
              + items.get(entries.indexOf(retry.get(0))).status()
              + ")");
    }
  }

  private void retryLater(List<EsWrite> entries, ResultHandler<EsWrite> result, String why) {
    int n = consecutiveFailures.incrementAndGet();
    long delay = Math.min(10_000L, 100L << Math.min(n, 7));
    if (n == 1 || n % 10 == 0) {
      LOG.warn("{}; retrying {} writes in {} ms (attempt {})", why, entries.size(), delay, n);
    }
    retries.schedule(() -> result.retryForEntries(entries), delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Keeps {@code entries} in {@link #inFlight} until the base class has taken the outcome over on
   * the task thread: removed after it (the mailbox runs in order), so a checkpoint in between may
   * hold a write twice (harmless, ids are deterministic) but never misses one.
   */
  private ResultHandler<EsWrite> tracked(List<EsWrite> entries, ResultHandler<EsWrite> handler) {
    inFlight.add(entries);
    Runnable forget = () -> mailbox.execute(() -> inFlight.remove(entries), "es-sink-in-flight");
    return new ResultHandler<>() {
      @Override
      public void complete() {
        handler.complete();
        forget.run();
      }

      @Override
      public void completeExceptionally(Exception e) {
        handler.completeExceptionally(e);
        forget.run();
      }

      @Override
      public void retryForEntries(List<EsWrite> retry) {
        handler.retryForEntries(retry);
        forget.run();
      }
    };
  }

  @Override
  public void flush(boolean endOfInput) throws InterruptedException {
    if (checkpointWaits || endOfInput) super.flush(endOfInput);
  }

  @Override
  public List<BufferedRequestState<EsWrite>> snapshotState(long checkpointId) {
    List<BufferedRequestState<EsWrite>> state = super.snapshotState(checkpointId);
    if (checkpointWaits || inFlight.isEmpty()) return state;
    List<RequestEntryWrapper<EsWrite>> pending = new ArrayList<>();
    for (List<EsWrite> batch : inFlight) {
      for (EsWrite w : batch) pending.add(new RequestEntryWrapper<>(w, w.sizeInBytes()));
    }
    List<BufferedRequestState<EsWrite>> all = new ArrayList<>(state);
    all.add(new BufferedRequestState<>(pending));
    return all;
  }

  @Override
  protected long getSizeInBytes(EsWrite w) {
    return w.sizeInBytes();
  }

  @Override
  public void close() {
    super.close();
    retries.shutdownNow();
    try {
      client._transport().close();
    } catch (Exception e) {
      LOG.debug("closing the Elasticsearch client", e);
    }
  }
}
