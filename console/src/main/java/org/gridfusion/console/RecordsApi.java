package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;

/**
 * {@code GET /v1/records}: record search for analysts over {@code gf-records} (pseudonymised as
 * stored), newest first, a page at a time, or (addition) the whole result as CSV.
 */
final class RecordsApi {
  /** Columns of the CSV export, in order; {@code attributes} as JSON text. */
  static final List<String> CSV_COLUMNS =
      List.of(
          "recordId",
          "source",
          "type",
          "department",
          "ts",
          "gridId",
          "gridKind",
          "street",
          "community",
          "value",
          "deviceId",
          "subjectRef",
          "lat",
          "lon",
          "attributes");

  static final int CSV_MAX_ROWS = 10_000;

  /** Fields free text ({@code q}) looks in, besides the values of {@code attributes}. */
  private static final List<String> TEXT_FIELDS =
      List.of(
          "recordId",
          "type",
          "department",
          "deviceId",
          "gridId",
          "street",
          "community",
          "subjectRef");

  private final Search search;

  RecordsApi(Search search) {
    this.search = search;
  }

  /**
   * {@code GET /v1/records?gridId=&type=&source=&from=&to=&q=} (and, added, {@code offset=}, {@code
   * size=}, {@code format=csv}): {@code {"records":[...], "total": n}}, records with {@code from <=
   * ts <= to}.
   */
  void records(Context ctx) {
    boolean csv = "csv".equalsIgnoreCase(Params.text(ctx, "format"));
    Query query =
        new Query()
            .term("gridId", Params.text(ctx, "gridId"))
            .term("type", Params.upper(ctx, "type"))
            .term("source", Params.upper(ctx, "source"))
            .range("ts", Params.time(ctx, "from"), Params.time(ctx, "to"))
            .text(Params.text(ctx, "q"), TEXT_FIELDS)
            .sort("ts", "desc")
            .sort("recordId", "asc")
            .countAll();
    if (csv) {
      query.page(0, CSV_MAX_ROWS);
    } else {
      int size = Params.integer(ctx, "size", 50, 1, 500);
      query.page(Params.integer(ctx, "offset", 0, 0, 10_000 - size), size);
    }
    Search.Hits hits = search.search(IndexNames.RECORDS, query.body());
    if (csv) {
      ctx.contentType("text/csv; charset=utf-8");
      ctx.header("Content-Disposition", "attachment; filename=\"gridfusion-records.csv\"");
      ctx.result(csv(hits.documents()));
      return;
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode records = out.putArray("records");
    hits.documents().forEach(records::add);
    out.put("total", hits.total());
    ctx.json(out);
  }

  static String csv(List<ObjectNode> docs) {
    StringBuilder out = new StringBuilder("\uFEFF"); // so spreadsheet programs read UTF-8
    out.append(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (ObjectNode d : docs) {
      for (int i = 0; i < CSV_COLUMNS.size(); i++) {
        if (i > 0) out.append(',');
        out.append(cell(value(d, CSV_COLUMNS.get(i))));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static String value(ObjectNode d, String column) {
    JsonNode v =
        switch (column) {
          case "lat" -> d.path("location").path("lat");
          case "lon" -> d.path("location").path("lon");
          default -> d.path(column);
        };
    if (v.isMissingNode() || v.isNull()) return "";
    return v.isValueNode() ? v.asText() : Json.write(v);
  }

  /**
   * One CSV cell (RFC 4180), and never a formula: a spreadsheet would run a cell starting with =,
   * +, - or @ (CWE-1236), and record values come from outside.
   */
  static String cell(String v) {
    if (!v.isEmpty()
        && "=+-@\t\r".indexOf(v.charAt(0)) >= 0
        && !v.matches("-?[0-9.]+(E-?[0-9]+)?")) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
