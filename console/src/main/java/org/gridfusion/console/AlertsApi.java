package org.gridfusion.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;

/**
 * {@code /v1/alerts}: alerts as stored in {@code gf-alerts}, newest first, and (addition) one alert
 * with its evidence records, its work order and the other alerts of its incident. The live stream
 * is the {@link EventHub}'s.
 */
final class AlertsApi {
  /** The other alerts of an incident a detail lists (an incident has one alert per rule). */
  static final int MAX_SIBLINGS = 50;

  private final Search search;

  AlertsApi(Search search) {
    this.search = search;
  }

  /**
   * {@code GET /v1/alerts?status=&gridId=&severity=&ruleId=&from=&to=} (and, added, {@code
   * street=}, {@code size=}): alerts active in [from, to], i.e. last seen at or after {@code from}
   * and first seen at or before {@code to}; newest (last seen) first.
   */
  void alerts(Context ctx) {
    ObjectNode body =
        new Query()
            .term("status", Params.upper(ctx, "status"))
            .term("gridId", Params.text(ctx, "gridId"))
            .term("severity", Params.upper(ctx, "severity"))
            .term("ruleId", Params.text(ctx, "ruleId"))
            .term("street", Params.text(ctx, "street"))
            .term("incidentId", Params.text(ctx, "incidentId"))
            .range("lastSeen", Params.time(ctx, "from"), null)
            .range("firstSeen", null, Params.time(ctx, "to"))
            .sort("lastSeen", "desc")
            .sort("firstSeen", "desc")
            .page(0, Params.integer(ctx, "size", 100, 1, 1000))
            .body();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode alerts = out.putArray("alerts");
    search.search(IndexNames.ALERTS, body).documents().forEach(alerts::add);
    ctx.json(out);
  }

  /** {@code GET /v1/alerts/{alertId}} (addition): the alert, its evidence and its work order. */
  void alert(Context ctx) {
    String alertId = ctx.pathParam("alertId");
    ObjectNode alert =
        search
            .first(IndexNames.ALERTS, new Query().term("alertId", alertId).body())
            .orElseThrow(() -> ApiError.notFound("no alert " + alertId));
    List<String> evidence = new ArrayList<>();
    alert.path("evidence").forEach(e -> evidence.add(e.asText()));
    ArrayNode records = alert.putArray("evidenceRecords");
    if (!evidence.isEmpty()) {
      search
          .search(
              IndexNames.RECORDS,
              new Query()
                  .terms("recordId", evidence)
                  .sort("ts", "desc")
                  .page(0, evidence.size())
                  .body())
          .documents()
          .forEach(records::add);
    }
    // the order the alert is attached to: it opened it, or it joined its incident's order
    search
        .first(IndexNames.WORKORDERS, new Query().term("alertIds", alertId).body())
        .or(() -> search.first(IndexNames.WORKORDERS, new Query().term("alertId", alertId).body()))
        .ifPresent(o -> alert.set("workOrder", LiveFeed.withAllowedActions(o)));
    ArrayNode siblings = alert.putArray("incidentAlerts");
    String incidentId = alert.path("incidentId").asText(null);
    if (incidentId != null) {
      search
          .search(
              IndexNames.ALERTS,
              new Query()
                  .term("incidentId", incidentId)
                  .sort("firstSeen", "asc")
                  .page(0, MAX_SIBLINGS + 1)
                  .body())
          .documents()
          .stream()
          .filter(a -> !alertId.equals(a.path("alertId").asText()))
          .limit(MAX_SIBLINGS)
          .forEach(a -> siblings.add(summary(a)));
    }
    ctx.json(alert);
  }

  /** What the detail says of an alert of the same incident. */
  private static ObjectNode summary(ObjectNode a) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    for (String f : List.of("alertId", "ruleId", "title", "severity", "status", "firstSeen")) {
      if (a.has(f)) s.set(f, a.get(f));
    }
    return s;
  }
}
