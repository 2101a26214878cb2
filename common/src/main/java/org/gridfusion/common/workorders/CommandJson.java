package org.gridfusion.common.workorders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * A work-order command as the JSON of contract §2.4: what the console writes to {@code
 * gf.workorder-commands} and what the loop puts in the payload of a refused command's dead letter,
 * so a refusal can be told apart and matched to the command that caused it.
 */
public final class CommandJson {
  private CommandJson() {}

  public static String of(WorkOrderCommand c) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("orderId", c.getOrderId());
    n.put("action", c.getAction().name());
    n.put("actor", c.getActor());
    if (c.getAssignee() != null) n.put("assignee", c.getAssignee());
    if (!c.getDepartments().isEmpty())
      n.putArray("departments")
          .addAll(c.getDepartments().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    n.put("ts", c.getTs().toString());
    if (c.getComment() != null) n.put("comment", c.getComment());
    if (c.getRating() != null) n.put("rating", c.getRating());
    return Json.write(n);
  }

  /**
   * Whether {@code json} (a dead letter's payload, parsed) is the command with this order, action,
   * actor and event time: the four a sender chooses, enough to tell its commands apart.
   */
  public static boolean isCommand(
      JsonNode json, String orderId, String action, String actor, Instant ts) {
    if (json == null || !json.isObject()) return false;
    if (!orderId.equals(json.path("orderId").asText())
        || !action.equals(json.path("action").asText())
        || !actor.equals(json.path("actor").asText())) return false;
    JsonNode t = json.get("ts");
    if (t == null) return false;
    try {
      long millis = t.isNumber() ? t.asLong() : Instant.parse(t.asText()).toEpochMilli();
      return millis == ts.toEpochMilli();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
