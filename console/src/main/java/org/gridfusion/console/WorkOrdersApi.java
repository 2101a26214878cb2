package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.workorders.CommandJson;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * {@code /v1/workorders}: orders as stored in {@code gf-workorders}, each with the actions the loop
 * accepts from its status ({@code allowedActions}, addition), and the commands of the closed loop:
 * checked as the job checks them (a malformed one is a {@code 400} here instead of a dead letter
 * there), written to {@code gf.workorder-commands}, answered {@code 202} once Kafka has them. What
 * the loop then made of a command is {@code GET .../commands/{commandId}} (addition).
 */
final class WorkOrdersApi {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Search search;
  private final CommandSender sender;
  private final CommandOutcomes outcomes;
  private final InputParsers parsers;
  private final Clock clock;

  WorkOrdersApi(
      Search search,
      CommandSender sender,
      CommandOutcomes outcomes,
      TimeWindow window,
      Clock clock) {
    this.search = search;
    this.sender = sender;
    this.outcomes = outcomes;
    this.parsers = new InputParsers(window);
    this.clock = clock;
  }

  /**
   * {@code GET /v1/workorders?status=&gridId=&overdue=} (and, added, {@code street=}, {@code
   * alertId=} (the alert that opened it), {@code incidentId=}, {@code size=}): newest first.
   */
  void workOrders(Context ctx) {
    ObjectNode body =
        new Query()
            .term("status", Params.upper(ctx, "status"))
            .term("gridId", Params.text(ctx, "gridId"))
            .bool("overdue", Params.bool(ctx, "overdue"))
            .term("street", Params.text(ctx, "street"))
            .term("alertId", Params.text(ctx, "alertId"))
            .term("incidentId", Params.text(ctx, "incidentId"))
            .sort("createdAt", "desc")
            .page(0, Params.integer(ctx, "size", 200, 1, 1000))
            .body();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode orders = out.putArray("workorders");
    search.search(IndexNames.WORKORDERS, body).documents().stream()
        .map(LiveFeed::withAllowedActions)
        .forEach(orders::add);
    ctx.json(out);
  }

  /** {@code GET /v1/workorders/{orderId}}. */
  void workOrder(Context ctx) {
    String orderId = ctx.pathParam("orderId");
    ctx.json(LiveFeed.withAllowedActions(find(orderId)));
  }

  /**
   * {@code POST /v1/workorders/{orderId}/commands}: body a §2.4 command without {@code orderId}
   * ({@code ts} defaults to now). Checked before sending: the order must exist (404) and the
   * command must be one the job would parse (400, with the reason code the job would give). Whether
   * the loop allows it from the order's status is the loop's decision, made on its own state; the
   * outcome is then at {@code .../commands/{commandId}}.
   */
  void command(Context ctx) {
    String orderId = ctx.pathParam("orderId");
    JsonNode body;
    Parsed<JsonNode> json = InputParsers.json(ctx.body());
    if (json instanceof Parsed.Rejected<JsonNode> r) {
      throw ApiError.badRequest(r.rejection().reason().name(), r.rejection().detail());
    }
    body = ((Parsed.Ok<JsonNode>) json).value();
    if (!body.isObject()) {
      throw ApiError.badRequest("MALFORMED", "the body must be one JSON object, a §2.4 command");
    }
    if (body.has("orderId") && !orderId.equals(body.path("orderId").asText())) {
      throw ApiError.badRequest(
          "INVALID_FIELD", "orderId in the body differs from the order of the path");
    }
    ObjectNode command = ((ObjectNode) body).deepCopy();
    command.put("orderId", orderId);
    Instant now = clock.instant();
    if (!command.hasNonNull("ts")) command.put("ts", now.truncatedTo(ChronoUnit.MILLIS).toString());
    Parsed<WorkOrderCommand> parsed = parsers.workOrderCommand(command, now.toEpochMilli());
    if (parsed instanceof Parsed.Rejected<WorkOrderCommand> r) {
      throw ApiError.badRequest(r.rejection().reason().name(), r.rejection().detail());
    }
    WorkOrderCommand c = ((Parsed.Ok<WorkOrderCommand>) parsed).value();
    find(orderId); // a command for no order would only become an UNKNOWN_ORDER dead letter

    String commandId = newId();
    CommandOutcomes.Sent sent =
        new CommandOutcomes.Sent(
            commandId, orderId, c.getAction().name(), c.getActor(), c.getTs(), now);
    outcomes.sent(sent);
    try {
      sender.send(orderId, CommandJson.of(c));
    } catch (ApiError e) {
      outcomes.forget(commandId);
      throw e;
    }
    ctx.status(202);
    ctx.header("Location", "/v1/workorders/" + orderId + "/commands/" + commandId);
    ctx.json(outcomes.get(commandId).orElseThrow().json());
  }

  /** {@code GET /v1/workorders/{orderId}/commands/{commandId}} (addition): what became of it. */
  void commandOutcome(Context ctx) {
    String commandId = ctx.pathParam("commandId");
    CommandOutcomes.Outcome o =
        outcomes
            .get(commandId)
            .filter(x -> x.command().orderId().equals(ctx.pathParam("orderId")))
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "no command "
                            + commandId
                            + " sent by this console in the last "
                            + CommandOutcomes.KEEP.toMinutes()
                            + " min"));
    ctx.json(o.json());
  }

  private ObjectNode find(String orderId) {
    return search
        .first(IndexNames.WORKORDERS, new Query().term("orderId", orderId).body())
        .orElseThrow(() -> ApiError.notFound("no work order " + orderId));
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
