package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;

/**
 * {@code /v1/grids}: the grid map with each grid's current level and score ({@code
 * gf-grid-status}), and one grid with the factors of its latest score ({@code gf-grid-risk}), its
 * open alerts and (addition) its score over the last hours.
 */
final class GridsApi {
  /** Properties of contract §9 first; the others of the grid map follow (addition). */
  private static final String[] MAP_PROPERTIES = {"gridId", "name", "kind", "street", "community"};

  private final GridMap map;
  private final Search search;
  private final Clock clock;

  GridsApi(GridMap map, Search search, Clock clock) {
    this.map = map;
    this.search = search;
    this.clock = clock;
  }

  /** {@code GET /v1/grids}: a GeoJSON FeatureCollection. */
  void grids(Context ctx) {
    Map<String, ObjectNode> status = new HashMap<>();
    ObjectNode q = new Query().page(0, 10_000).body();
    q.putArray("_source").add("gridId").add("score").add("level").add("updatedAt");
    for (ObjectNode s : search.search(IndexNames.GRID_STATUS, q).documents()) {
      status.put(s.path("gridId").asText(), s);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("type", "FeatureCollection");
    ArrayNode features = out.putArray("features");
    for (ObjectNode f : map.features()) {
      ObjectNode feature = features.addObject();
      feature.put("type", "Feature");
      feature.set("id", f.path("properties").path("gridId"));
      feature.set(
          "properties", properties(f, status.get(f.path("properties").path("gridId").asText())));
      feature.set("geometry", f.get("geometry"));
    }
    ctx.json(out);
  }

  /** {@code GET /v1/grids/{gridId}}: the grid now, with why (factors) and its open alerts. */
  void grid(Context ctx) {
    String gridId = ctx.pathParam("gridId");
    ObjectNode feature =
        map.feature(gridId).orElseThrow(() -> ApiError.notFound("no grid " + gridId));
    ObjectNode status =
        search
            .first(IndexNames.GRID_STATUS, new Query().term("gridId", gridId).body())
            .orElse(null);
    ObjectNode out = properties(feature, status);
    out.put("openAlertCount", status == null ? 0 : status.path("openAlerts").asInt());
    ObjectNode latest =
        search
            .first(
                IndexNames.GRID_RISK, new Query().term("gridId", gridId).sort("ts", "desc").body())
            .orElse(null);
    out.set(
        "factors",
        latest == null ? Json.MAPPER.createArrayNode() : latest.path("factors").deepCopy());
    ArrayNode open = out.putArray("openAlerts");
    search
        .search(
            IndexNames.ALERTS,
            new Query()
                .term("gridId", gridId)
                .term("status", "OPEN")
                .sort("lastSeen", "desc")
                .page(0, 100)
                .body())
        .documents()
        .forEach(open::add);
    ctx.json(out);
  }

  /** {@code GET /v1/grids/{gridId}/risk?hours=24} (addition): the score's points, oldest first. */
  void risk(Context ctx) {
    String gridId = ctx.pathParam("gridId");
    map.feature(gridId).orElseThrow(() -> ApiError.notFound("no grid " + gridId));
    int hours = Params.integer(ctx, "hours", 24, 1, 24 * 30);
    Instant from = clock.instant().minus(Duration.ofHours(hours));
    ObjectNode body =
        new Query()
            .term("gridId", gridId)
            .range("ts", from, null)
            .sort("ts", "desc")
            .page(0, 5_000)
            .body();
    body.putArray("_source").add("ts").add("score").add("level");
    var docs = search.search(IndexNames.GRID_RISK, body).documents();
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("gridId", gridId);
    out.put("from", from.toString());
    ArrayNode points = out.putArray("points");
    for (int i = docs.size() - 1; i >= 0; i--) points.add(docs.get(i));
    ctx.json(out);
  }

  private static ObjectNode properties(ObjectNode feature, ObjectNode status) {
    JsonNode p = feature.path("properties");
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (String name : MAP_PROPERTIES) out.set(name, p.path(name).deepCopy());
    // no score yet: nothing has happened there that the scorer counted, and such a grid is LOW
    out.put("level", status == null ? "LOW" : status.path("level").asText("LOW"));
    out.put("score", status == null ? 0.0 : status.path("score").asDouble());
    if (status != null && status.hasNonNull("updatedAt"))
      out.set("updatedAt", status.get("updatedAt"));
    p.fields()
        .forEachRemaining(
            e -> {
              if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
            });
    return out;
  }
}
