package org.gridfusion.jobs.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;
import org.gridfusion.jobs.alerts.IncidentTracker;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskFactor;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;

/**
 * The documents of contract §4. Each goes into the monthly index of its own event time ({@code
 * gf-records-2026.11}), searched through the alias ({@code gf-records}): the index a document lands
 * in depends only on the document, so a rewrite after a replay hits the same index and id.
 */
public final class Documents {
  private static final DateTimeFormatter MONTH =
      DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);

  private Documents() {}

  public static String monthlyIndex(String alias, Instant t) {
    return alias + "-" + MONTH.format(t);
  }

  public static EsWrite record(Record r) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("recordId", r.getRecordId());
    d.put("source", r.getSource().name());
    d.put("type", r.getType());
    putIfSet(d, "department", r.getDepartment());
    d.put("ts", r.getTs().toString());
    location(d, r.getLat(), r.getLon());
    d.put("gridId", r.getGridId());
    d.put("gridKind", r.getGridKind());
    putIfSet(d, "district", r.getDistrict());
    putIfSet(d, "street", r.getStreet());
    putIfSet(d, "community", r.getCommunity());
    if (r.getValue() != null) d.put("value", r.getValue());
    if (r.getConfidence() != null) d.put("confidence", r.getConfidence());
    if (r.getObjectCount() != null) d.put("objectCount", r.getObjectCount());
    if (r.getBattery() != null) d.put("battery", r.getBattery());
    putIfSet(d, "deviceId", r.getDeviceId());
    putIfSet(d, "subjectRef", r.getSubjectRef());
    ObjectNode attributes = d.putObject("attributes");
    for (Map.Entry<String, String> e : r.getAttributes().entrySet())
      attributes.put(e.getKey(), e.getValue());
    d.put("receivedAt", r.getReceivedAt().toString());
    d.put("indexedAt", Instant.now().toString());
    return new EsWrite(
        monthlyIndex(IndexNames.RECORDS, r.getTs()), r.getRecordId(), Json.write(d), false);
  }

  public static EsWrite alert(Alert a) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("alertId", a.getAlertId());
    d.put("ruleId", a.getRuleId());
    d.put("ruleVersion", a.getRuleVersion());
    d.put("title", a.getTitle());
    d.put("severity", a.getSeverity().name());
    d.put("gridId", a.getGridId());
    putIfSet(d, "gridKind", a.getGridKind());
    putIfSet(d, "street", a.getStreet());
    putIfSet(d, "community", a.getCommunity());
    location(d, a.getLat(), a.getLon());
    putIfSet(d, "subjectRef", a.getSubjectRef());
    d.put("firstSeen", a.getFirstSeen().toString());
    d.put("lastSeen", a.getLastSeen().toString());
    d.put("count", a.getCount());
    d.putArray("evidence")
        .addAll(a.getEvidence().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    d.put("status", a.getStatus());
    if (a.getClosedAt() != null) d.put("closedAt", a.getClosedAt().toString());
    putIfSet(d, "incidentId", a.getIncidentId());
    d.put("detectedAt", a.getDetectedAt().toString());
    d.put("indexedAt", Instant.now().toString());
    // The whole alert each time, versioned by its growth (count, then closed after open), so a
    // write is a
    // plain index (no read-modify-write of an upsert, which cost Elasticsearch a realtime get per
    // update)
    // and an older state arriving late never replaces a newer one.
    long version = a.getCount() * 2L + (IncidentTracker.CLOSED.equals(a.getStatus()) ? 1 : 0);
    return EsWrite.latest(
        monthlyIndex(IndexNames.ALERTS, a.getFirstSeen()), a.getAlertId(), Json.write(d), version);
  }

  /** One point of a grid's risk time series: {@code _id} = grid and scoring instant. */
  public static EsWrite riskScore(RiskScore r) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("gridId", r.getGridId());
    d.put("ts", r.getTs().toString());
    d.put("score", r.getScore());
    d.put("level", r.getLevel().name());
    var factors = d.putArray("factors");
    for (RiskFactor f : r.getFactors())
      factors.addObject().put("name", f.getName()).put("contribution", f.getContribution());
    d.put("openAlerts", r.getOpenAlerts());
    putIfSet(d, "kind", r.getGridKind());
    putIfSet(d, "street", r.getStreet());
    putIfSet(d, "community", r.getCommunity());
    return new EsWrite(
        monthlyIndex(IndexNames.GRID_RISK, r.getTs()),
        r.getGridId() + "@" + r.getTs().toEpochMilli(),
        Json.write(d),
        false);
  }

  /**
   * The grid's latest score ({@code _id} = gridId); versioned by scoring instant, so a late one
   * never wins.
   */
  public static EsWrite gridStatus(RiskScore r) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("gridId", r.getGridId());
    putIfSet(d, "name", r.getGridName());
    putIfSet(d, "kind", r.getGridKind());
    putIfSet(d, "street", r.getStreet());
    putIfSet(d, "community", r.getCommunity());
    d.put("score", r.getScore());
    d.put("level", r.getLevel().name());
    d.put("openAlerts", r.getOpenAlerts());
    d.put("updatedAt", r.getTs().toString());
    location(d, r.getLat(), r.getLon());
    return EsWrite.latest(
        GRID_STATUS_INDEX, r.getGridId(), Json.write(d), r.getTs().toEpochMilli());
  }

  /**
   * A work order after its latest step ({@code _id} = orderId), in the month it was opened.
   * Versioned by the number of steps, so an older state arriving late never replaces a newer one.
   */
  public static EsWrite workOrder(WorkOrder o) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    d.put("orderId", o.getOrderId());
    d.put("alertId", o.getAlertId());
    putIfSet(d, "incidentId", o.getIncidentId());
    d.putArray("alertIds")
        .addAll(o.getAlertIds().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    d.putArray("ruleIds")
        .addAll(o.getRuleIds().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    d.put("ruleId", o.getRuleId());
    d.put("category", o.getCategory());
    d.put("status", o.getStatus().name());
    d.put("level", o.getLevel().name());
    d.put("gridId", o.getGridId());
    putIfSet(d, "street", o.getStreet());
    putIfSet(d, "community", o.getCommunity());
    putIfSet(d, "assignee", o.getAssignee());
    d.putArray("departments")
        .addAll(o.getDepartments().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    var history = d.putArray("history");
    for (WorkOrderEvent e : o.getHistory()) {
      ObjectNode h = history.addObject();
      h.put("action", e.getAction());
      putIfSet(h, "actor", e.getActor());
      putIfSet(h, "assignee", e.getAssignee());
      h.put("ts", e.getTs().toString());
      putIfSet(h, "comment", e.getComment());
    }
    d.put("createdAt", o.getCreatedAt().toString());
    d.put("dueAt", o.getDueAt().toString());
    if (o.getGrabDeadline() != null) d.put("grabDeadline", o.getGrabDeadline().toString());
    d.put("overdue", o.getOverdue());
    if (o.getRating() != null) d.put("rating", o.getRating());
    return EsWrite.latest(
        monthlyIndex(IndexNames.WORKORDERS, o.getCreatedAt()),
        o.getOrderId(),
        Json.write(d),
        o.getHistory().size());
  }

  /**
   * Latest-per-grid documents need no time partitioning: one index, 5,000 documents for a district.
   */
  public static final String GRID_STATUS_INDEX = IndexNames.GRID_STATUS + "-v1";

  private static void location(ObjectNode d, double lat, double lon) {
    ObjectNode loc = d.putObject("location");
    loc.put("lat", lat);
    loc.put("lon", lon);
  }

  private static void putIfSet(ObjectNode d, String field, String value) {
    if (value != null) d.put(field, value);
  }
}
