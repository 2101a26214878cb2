package org.gridfusion.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;

/**
 * Minimal Elasticsearch test helper over {@code java.net.http}: refresh, search, and wait for hits.
 * Deliberately not the Elasticsearch client, so tests check what actually sits in the index
 * independently of the code under test.
 */
public final class ElasticsearchProbe {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** Clients of secured clusters, one per connection (each trusts its own CA). */
  private static final Map<ElasticsearchConnection, HttpClient> SECURED = new ConcurrentHashMap<>();

  private ElasticsearchProbe() {}

  /**
   * A search result.
   *
   * @param total {@code hits.total.value}
   * @param sources the {@code _source} of each returned hit, in score/sort order
   */
  public record Hits(long total, List<JsonNode> sources) {}

  /** Makes everything indexed so far searchable; {@code index} may be a pattern. */
  public static void refresh(String url, String index) {
    refresh(ElasticsearchConnection.of(url), index);
  }

  /** As {@link #refresh(String, String)} on a cluster that may need a login. */
  public static void refresh(ElasticsearchConnection es, String index) {
    HttpResponse<String> r = send(es, "POST", "/" + index + "/_refresh", null);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "refresh of " + index + " failed: HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Runs a search.
   *
   * @param queryJson the request body, e.g. {@code {"query":{"term":{"grid_id":"G1"}}}}; null or
   *     blank for match_all
   */
  public static Hits search(String url, String index, String queryJson) {
    return search(ElasticsearchConnection.of(url), index, queryJson);
  }

  /** As {@link #search(String, String, String)} on a cluster that may need a login. */
  public static Hits search(ElasticsearchConnection es, String index, String queryJson) {
    String body =
        queryJson == null || queryJson.isBlank() ? "{\"query\":{\"match_all\":{}}}" : queryJson;
    HttpResponse<String> r = send(es, "POST", "/" + index + "/_search?track_total_hits=true", body);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "search of " + index + " failed: HTTP " + r.statusCode() + " " + r.body());
    }
    try {
      JsonNode hits = Json.MAPPER.readTree(r.body()).path("hits");
      List<JsonNode> sources = new ArrayList<>();
      hits.path("hits").forEach(h -> sources.add(h.path("_source")));
      return new Hits(hits.path("total").path("value").asLong(), List.copyOf(sources));
    } catch (IOException e) {
      throw new IllegalStateException(
          "unreadable search response from " + index + ": " + r.body(), e);
    }
  }

  /**
   * Refreshes and searches until at least {@code min} hits match. A missing index counts as no
   * hits, since the code under test usually creates it on its first write.
   *
   * @throws AssertionError on timeout, with the last result seen
   */
  public static Hits awaitHits(
      String url, String index, String queryJson, int min, Duration timeout) {
    return awaitHits(ElasticsearchConnection.of(url), index, queryJson, min, timeout);
  }

  /** As {@link #awaitHits(String, String, String, int, Duration)} on a cluster with a login. */
  public static Hits awaitHits(
      ElasticsearchConnection url, String index, String queryJson, int min, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing yet";
    while (true) {
      try {
        refresh(url, index);
        Hits hits = search(url, index, queryJson);
        if (hits.total() >= min) {
          return hits;
        }
        last = hits.total() + " hit(s): " + hits.sources();
      } catch (IllegalStateException e) {
        if (!e.getMessage().contains("index_not_found_exception")) {
          throw e;
        }
        last = "index " + index + " does not exist";
      }
      if (System.nanoTime() > deadline) {
        String shown = last.length() > 2000 ? last.substring(0, 2000) + "…" : last;
        throw new AssertionError(
            "expected at least "
                + min
                + " hit(s) in "
                + index
                + " for "
                + queryJson
                + " within "
                + timeout
                + "; last: "
                + shown);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * A request as {@code es}'s credentials allow; the answer whatever its status.
   *
   * @param path starting with /
   */
  public static HttpResponse<String> send(
      ElasticsearchConnection es, String method, String path, String body) {
    String url = es.url() + path;
    HttpRequest.Builder b = es.request(path).timeout(Duration.ofSeconds(30));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpClient http =
          es.https() ? SECURED.computeIfAbsent(es, e -> e.httpClient(Duration.ofSeconds(5))) : HTTP;
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + url, e);
    }
  }
}
