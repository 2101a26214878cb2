package org.gridfusion.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.gridfusion.common.json.Json;

/**
 * A search request body built from the API's query parameters: every given parameter one filter,
 * parameters left out filter nothing. A value with commas matches any of its parts ({@code
 * status=REPORTED,GRABBED}).
 */
final class Query {
  private final ObjectNode body = Json.MAPPER.createObjectNode();
  private final ArrayNode filters;
  private final ArrayNode must;

  Query() {
    ObjectNode bool = body.putObject("query").putObject("bool");
    filters = bool.putArray("filter");
    must = bool.putArray("must");
  }

  /** {@code field} is {@code value}, or one of its comma-separated values; nothing if unset. */
  Query term(String field, String value) {
    if (value == null || value.isBlank()) return this;
    List<String> values =
        Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    if (values.size() == 1) {
      filters.addObject().putObject("term").put(field, values.get(0));
    } else {
      ArrayNode a = filters.addObject().putObject("terms").putArray(field);
      values.forEach(a::add);
    }
    return this;
  }

  Query terms(String field, List<String> values) {
    ArrayNode a = filters.addObject().putObject("terms").putArray(field);
    values.forEach(a::add);
    return this;
  }

  Query bool(String field, Boolean value) {
    if (value != null) filters.addObject().putObject("term").put(field, value);
    return this;
  }

  /** {@code field >= from} and {@code field <= to}, each only when given. */
  Query range(String field, Instant from, Instant to) {
    if (from == null && to == null) return this;
    ObjectNode r = filters.addObject().putObject("range").putObject(field);
    if (from != null) r.put("gte", from.toString());
    if (to != null) r.put("lte", to.toString());
    return this;
  }

  /**
   * Free text: every word must occur, as part of a value, in one of {@code fields} (ids, names,
   * types; case ignored) or as a whole value of {@code attributes}.
   */
  Query text(String q, List<String> fields) {
    if (q == null || q.isBlank()) return this;
    for (String word : q.trim().split("\\s+")) {
      String pattern =
          "*" + word.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") + "*";
      ArrayNode should =
          must.addObject().putObject("bool").put("minimum_should_match", 1).putArray("should");
      for (String f : fields) {
        should
            .addObject()
            .putObject("wildcard")
            .putObject(f)
            .put("value", pattern)
            .put("case_insensitive", true);
      }
      should.addObject().putObject("term").put("attributes", word);
    }
    return this;
  }

  Query sort(String field, String order) {
    ArrayNode sort = body.has("sort") ? (ArrayNode) body.get("sort") : body.putArray("sort");
    sort.addObject().putObject(field).put("order", order).put("unmapped_type", "date");
    return this;
  }

  Query page(int from, int size) {
    body.put("from", from);
    body.put("size", size);
    return this;
  }

  Query countAll() {
    body.put("track_total_hits", true);
    return this;
  }

  ObjectNode body() {
    return body;
  }
}
