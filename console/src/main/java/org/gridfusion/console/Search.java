package org.gridfusion.console;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gridfusion.common.elasticsearch.ElasticsearchClients;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's reads from Elasticsearch, through the official client built as the job builds it.
 * Searches name the contract's aliases ({@code gf-alerts}...) and tolerate their absence: before
 * the first document of a kind is written its alias does not exist, and that reads as "none yet".
 */
final class Search implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Search.class);

  record Hits(long total, List<ObjectNode> documents) {}

  private final RestClientTransport transport;
  private final ElasticsearchClient client;

  Search(ElasticsearchConnection es) {
    this.transport = ElasticsearchClients.transport(es);
    this.client = new ElasticsearchClient(transport);
  }

  /**
   * Runs {@code body} (a search request's JSON) against {@code index}. What passes is tried again a
   * few times: a month's first document creates its index, whose shard takes a moment to start
   * ({@code no_shard_available_action_exception}), and a busy node answers 503 or 429 for a while.
   */
  Hits search(String index, ObjectNode body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return searchOnce(index, body);
      } catch (ApiError e) {
        String m = String.valueOf(e.getMessage());
        boolean passing =
            m.contains("no_shard_available")
                || m.contains("[HTTP/1.1 503")
                || m.contains("[HTTP/1.1 429");
        if (attempt >= 5 || !passing) {
          LOG.warn("A console search of {} failed: {}", index, m);
          throw e;
        }
        try {
          Thread.sleep(250L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private Hits searchOnce(String index, ObjectNode body) {
    try {
      SearchResponse<ObjectNode> r =
          client.search(
              s ->
                  s.withJson(new StringReader(Json.write(body)))
                      .index(index)
                      .ignoreUnavailable(true)
                      .allowNoIndices(true),
              ObjectNode.class);
      List<ObjectNode> docs = new ArrayList<>();
      for (Hit<ObjectNode> h : r.hits().hits()) {
        if (h.source() != null) docs.add(h.source());
      }
      long total = r.hits().total() == null ? docs.size() : r.hits().total().value();
      return new Hits(total, docs);
    } catch (IOException | RuntimeException e) {
      LOG.debug("search of {} failed", index, e);
      throw ApiError.unavailable("Elasticsearch did not answer a search of " + index + ": " + e);
    }
  }

  Optional<ObjectNode> first(String index, ObjectNode body) {
    body.put("size", 1);
    List<ObjectNode> docs = search(index, body).documents();
    return docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0));
  }

  /** The cluster's health status (green, yellow, red); why not, as an exception. */
  String clusterStatus() throws IOException {
    return client.cluster().health().status().jsonValue();
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      LOG.debug("closing the Elasticsearch client", e);
    }
  }
}
