package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.workorders.CommandJson;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;

/**
 * What became of the commands this console sent: the loop either applied one (the order on {@code
 * gf.workorders} has a history step with the command's action, actor and time) or refused it (a
 * dead letter of source {@code command} whose payload is the command). Kept for ten minutes, so a
 * page polling {@code GET /v1/workorders/{orderId}/commands/{commandId}} shows the new state or the
 * reason.
 */
final class CommandOutcomes {
  static final Duration KEEP = Duration.ofMinutes(10);

  enum State {
    /** on the topic, not yet seen applied or refused */
    PENDING,
    APPLIED,
    REFUSED
  }

  record Sent(
      String commandId, String orderId, String action, String actor, Instant ts, Instant sentAt) {}

  /**
   * @param status the order's status after the command (APPLIED)
   * @param reason the dead letter's reason code (REFUSED), e.g. ILLEGAL_TRANSITION
   * @param detail the dead letter's detail (REFUSED)
   * @param order the order as the command left it, with its allowed actions (APPLIED): the page
   *     shows it at once, before Elasticsearch has it
   */
  record Outcome(
      Sent command, State state, String status, String reason, String detail, ObjectNode order) {
    ObjectNode json() {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("commandId", command.commandId());
      n.put("orderId", command.orderId());
      n.put("action", command.action());
      n.put("actor", command.actor());
      n.put("ts", command.ts().toString());
      n.put("state", state.name());
      if (status != null) n.put("status", status);
      if (reason != null) n.put("reason", reason);
      if (detail != null) n.put("detail", detail);
      if (order != null) n.set("order", order);
      return n;
    }
  }

  private final Map<String, Outcome> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  CommandOutcomes(Clock clock) {
    this.clock = clock;
  }

  /** Registered before the command is sent, so an outcome arriving at once finds it. */
  void sent(Sent command) {
    Instant old = clock.instant().minus(KEEP);
    byId.values().removeIf(o -> o.command().sentAt().isBefore(old));
    byId.put(command.commandId(), new Outcome(command, State.PENDING, null, null, null, null));
  }

  /** The send failed: nothing will come of it. */
  void forget(String commandId) {
    byId.remove(commandId);
  }

  Optional<Outcome> get(String commandId) {
    return Optional.ofNullable(byId.get(commandId));
  }

  void onWorkOrder(WorkOrder order) {
    for (Outcome o : byId.values()) {
      Sent c = o.command();
      if (o.state() != State.PENDING || !c.orderId().equals(order.getOrderId())) continue;
      for (WorkOrderEvent e : order.getHistory()) {
        if (e.getAction().equals(c.action())
            && c.actor().equals(e.getActor())
            && e.getTs().toEpochMilli() == c.ts().toEpochMilli()) {
          byId.put(
              c.commandId(),
              new Outcome(
                  c,
                  State.APPLIED,
                  order.getStatus().name(),
                  null,
                  null,
                  LiveFeed.withAllowedActions(AvroJson.document(order))));
          break;
        }
      }
    }
  }

  /** A dead letter from {@code gf.deadletter}; only those of source {@code command} matter. */
  void onDeadLetter(JsonNode letter) {
    if (!"command".equals(letter.path("source").asText())) return;
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(letter.path("payload").asText());
    } catch (Exception e) {
      return; // not JSON: not a command this console wrote
    }
    for (Outcome o : byId.values()) {
      Sent c = o.command();
      if (o.state() == State.PENDING
          && CommandJson.isCommand(payload, c.orderId(), c.action(), c.actor(), c.ts())) {
        byId.put(
            c.commandId(),
            new Outcome(
                c,
                State.REFUSED,
                null,
                letter.path("reason").asText(),
                letter.path("detail").asText(),
                null));
      }
    }
  }
}
