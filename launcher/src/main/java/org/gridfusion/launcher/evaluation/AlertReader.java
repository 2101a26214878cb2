package org.gridfusion.launcher.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;

/**
 * Reads the alerts whose {@code firstSeen} lies in a window from Elasticsearch ({@code gf-alerts},
 * §4), page by page with {@code search_after}, over plain HTTP as the live view does. No alert
 * index yet reads as no alerts.
 */
public final class AlertReader {
  /**
   * The monthly indices behind the {@code gf-alerts} alias; a pattern, so a missing index is no
   * error.
   */
  static final String INDEX = "gf-alerts-*";

  private static final int PAGE = 1000;

  private final ElasticsearchConnection es;
  private final HttpClient http;

  public AlertReader(ElasticsearchConnection es) {
    this.es = es;
    this.http = es.httpClient(Duration.ofSeconds(5));
  }

  public List<AlertRecord> read(Instant from, Instant to) throws IOException, InterruptedException {
    send(
        "POST",
        "/" + INDEX + "/_refresh",
        null); // what the job has written counts, not what is searchable yet
    List<AlertRecord> out = new ArrayList<>();
    JsonNode after = null;
    while (true) {
      ObjectNode q = Json.MAPPER.createObjectNode();
      q.put("size", PAGE);
      q.putObject("query")
          .putObject("range")
          .putObject("firstSeen")
          .put("gte", from.toString())
          .put("lte", to.toString());
      ArrayNode sort = q.putArray("sort");
      sort.addObject().put("firstSeen", "asc");
      sort.addObject().put("alertId", "asc");
      if (after != null) q.set("search_after", after);
      JsonNode hits =
          Json.MAPPER
              .readTree(send("POST", "/" + INDEX + "/_search", Json.write(q)))
              .path("hits")
              .path("hits");
      for (JsonNode h : hits) {
        out.add(record(h.path("_source")));
      }
      if (hits.size() < PAGE) return out;
      after = hits.get(hits.size() - 1).get("sort");
    }
  }

  /**
   * The alerts of a file of gf-alerts documents, one JSON object a line ({@code alertId}, {@code
   * ruleId}, {@code gridId}, {@code severity}, {@code firstSeen}, optional {@code detectedAt}), as
   * a test run on the job's own topology writes them; the last line of an {@code alertId} wins, as
   * in the index.
   */
  public static List<AlertRecord> readFile(Path file) throws IOException {
    Map<String, AlertRecord> byId = new LinkedHashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank()) continue;
      JsonNode s = Json.MAPPER.readTree(line);
      for (String key : List.of("alertId", "ruleId", "gridId", "severity", "firstSeen")) {
        if (!s.hasNonNull(key))
          throw new IllegalArgumentException(file + " line " + n + ": missing " + key);
      }
      byId.put(s.get("alertId").asText(), record(s));
    }
    return new ArrayList<>(byId.values());
  }

  private static AlertRecord record(JsonNode s) {
    return new AlertRecord(
        s.path("alertId").asText(),
        s.path("ruleId").asText(),
        s.path("gridId").asText(),
        s.path("severity").asText(),
        Instant.parse(s.path("firstSeen").asText()),
        s.hasNonNull("detectedAt") ? Instant.parse(s.get("detectedAt").asText()) : null);
  }

  private String send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        es.request(path)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          "Elasticsearch " + es.url() + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
