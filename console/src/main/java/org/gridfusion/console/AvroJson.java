package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A record from Kafka (Avro) in the shape of its Elasticsearch document (contract §4), so the live
 * stream and the queries hand the page the same JSON: times as UTC ISO-8601, enums by name, unset
 * fields left out, and {@code lat}/{@code lon} as {@code location}. Generic over the schema, so a
 * field added to a schema reaches the page without a change here.
 */
final class AvroJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  static ObjectNode document(IndexedRecord r) {
    ObjectNode n = record(r);
    JsonNode lat = n.get("lat");
    JsonNode lon = n.get("lon");
    if (lat != null && lon != null) {
      n.remove("lat");
      n.remove("lon");
      n.putObject("location").set("lat", lat);
      ((ObjectNode) n.get("location")).set("lon", lon);
    }
    return n;
  }

  private static ObjectNode record(IndexedRecord r) {
    ObjectNode n = NODES.objectNode();
    for (Schema.Field f : r.getSchema().getFields()) {
      Object v = r.get(f.pos());
      if (v != null) n.set(f.name(), value(v));
    }
    return n;
  }

  private static JsonNode value(Object v) {
    if (v instanceof IndexedRecord r) return record(r);
    if (v instanceof Instant t) return NODES.textNode(t.toString());
    if (v instanceof CharSequence s) return NODES.textNode(s.toString());
    if (v instanceof Enum<?> e) return NODES.textNode(e.name());
    if (v instanceof Integer i) return NODES.numberNode(i);
    if (v instanceof Long l) return NODES.numberNode(l);
    if (v instanceof Double d) return NODES.numberNode(d);
    if (v instanceof Float f) return NODES.numberNode(f);
    if (v instanceof Boolean b) return NODES.booleanNode(b);
    if (v instanceof Collection<?> c) {
      ArrayNode a = NODES.arrayNode();
      c.forEach(item -> a.add(item == null ? NODES.nullNode() : value(item)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach(
          (k, item) -> o.set(String.valueOf(k), item == null ? NODES.nullNode() : value(item)));
      return o;
    }
    if (v instanceof ByteBuffer) return NODES.nullNode(); // no bytes fields are shown
    return NODES.textNode(String.valueOf(v)); // an enum symbol of a generic record
  }
}
