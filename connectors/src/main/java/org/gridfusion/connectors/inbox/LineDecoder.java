package org.gridfusion.connectors.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.csv.Csv;
import org.gridfusion.common.json.Json;

/**
 * Turns one line of an inbox file into the JSON form of contract §2.3. CSV files use the JSON keys
 * as column names, {@code attributes} holding a JSON object as text; numbers stay numbers.
 */
interface LineDecoder {
  Parsed<JsonNode> decode(String line);

  static LineDecoder jsonl() {
    return InputParsers::json;
  }

  /** The column names of a CSV header line (a byte-order mark ignored). */
  static List<String> columns(String header) {
    return Csv.split(header.replace("\uFEFF", "").trim());
  }

  static LineDecoder csv(String header) {
    List<String> columns = columns(header);
    return line -> {
      List<String> values;
      try {
        values = Csv.split(line);
      } catch (IllegalArgumentException e) {
        return Parsed.rejected(Reason.MALFORMED, "CSV: " + e.getMessage());
      }
      if (values.size() != columns.size()) {
        return Parsed.rejected(
            Reason.MALFORMED, "CSV: " + values.size() + " fields, header has " + columns.size());
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      for (int i = 0; i < columns.size(); i++) {
        String col = columns.get(i).trim();
        String v = values.get(i);
        if (v.isEmpty()) continue;
        switch (col) {
          case "lat", "lon" -> {
            try {
              o.put(col, Double.parseDouble(v));
            } catch (NumberFormatException e) {
              o.put(col, v); // the parser reports the wrong type with the field name
            }
          }
          case "attributes" -> {
            Parsed<JsonNode> a = InputParsers.json(v);
            if (a instanceof Parsed.Ok<JsonNode> ok) o.set(col, ok.value());
            else
              return Parsed.rejected(Reason.INVALID_FIELD, "CSV: attributes is not a JSON object");
          }
          case "ts" -> {
            if (v.matches("\\d{1,15}")) o.put(col, Long.parseLong(v));
            else o.put(col, v);
          }
          default -> o.put(col, v);
        }
      }
      return Parsed.ok(o);
    };
  }
}
