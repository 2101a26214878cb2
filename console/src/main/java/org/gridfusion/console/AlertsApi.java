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
 * with its evidence records and its work order. The live stream is the {@link EventHub}'s.
 */
final class AlertsApi {
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
    search
        .first(IndexNames.WORKORDERS, new Query().term("alertId", alertId).body())
        .ifPresent(o -> alert.set("workOrder", LiveFeed.withAllowedActions(o)));
    ctx.json(alert);
  }
}
