package org.gridfusion.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.gridfusion.common.json.Json;

/**
 * A rejected input as written to {@code gf.deadletter} (contract §3): {@code
 * {"source","reason","detail","payload","receivedAt"}}. The payload is the original text, so
 * nothing is lost and an operator can replay it once fixed. {@code origin} (an addition to the
 * contract, omitted when null) says where it came from: the MQTT topic, the inbox file and line.
 */
public record DeadLetter(
    InputSource source,
    Reason reason,
    String detail,
    String payload,
    long receivedAt,
    String origin) {
  /**
   * Payloads beyond this are cut, with a note, so one huge body cannot exceed Kafka's message size.
   */
  public static final int MAX_PAYLOAD_CHARS = 256 * 1024;

  public String toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("source", source.wire());
    n.put("reason", reason.name());
    n.put("detail", detail);
    String p = payload == null ? "" : payload;
    if (p.length() > MAX_PAYLOAD_CHARS) {
      p = p.substring(0, MAX_PAYLOAD_CHARS);
      n.put("payloadTruncated", true);
    }
    n.put("payload", p);
    n.put("receivedAt", Instant.ofEpochMilli(receivedAt).toString());
    if (origin != null) n.put("origin", origin);
    return Json.write(n);
  }

  /** The kafka key: records of one source stay in order per partition. */
  public String key() {
    return source.wire();
  }
}
