package org.gridfusion.simulator.district;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gridfusion.common.contract.Department;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.format.Coordinates;
import org.gridfusion.simulator.format.Timestamps;

/**
 * A department context record (contract §2.3): a standing fact about a place or a person, written
 * as one JSONL line. {@code gridId} is kept for tests and scenarios only; it is not part of the
 * record.
 *
 * @param lat null when the record is located by {@code addressCode} alone
 * @param subjectId an 18-digit synthetic ID-card number, or null for records about places
 * @param attributes kept in insertion order, so the JSON text is stable
 */
public record ContextRecord(
    String recordId,
    Department department,
    String recordType,
    Instant ts,
    String addressCode,
    Double lat,
    Double lon,
    String subjectId,
    Map<String, String> attributes,
    String gridId) {

  public static final String ELDERLY_LIVING_ALONE = "ELDERLY_LIVING_ALONE";
  public static final String HAZARDOUS_ENTERPRISE = "HAZARDOUS_ENTERPRISE";
  public static final String DANGEROUS_BUILDING = "DANGEROUS_BUILDING";
  public static final String COMMUNITY_CORRECTION = "COMMUNITY_CORRECTION";
  public static final String LOW_INCOME_HOUSEHOLD = "LOW_INCOME_HOUSEHOLD";

  public ContextRecord {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** The contract JSON, keys in a fixed order, {@code ts} in China time with its offset. */
  public String toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("recordId", recordId);
    o.put("department", department.name());
    o.put("recordType", recordType);
    o.put("ts", Timestamps.chinaSeconds(ts));
    if (addressCode != null) o.put("addressCode", addressCode);
    if (lat != null) {
      o.put("lat", Coordinates.decimal(lat));
      o.put("lon", Coordinates.decimal(lon));
    }
    if (subjectId != null) o.put("subjectId", subjectId);
    ObjectNode attrs = o.putObject("attributes");
    attributes.forEach(attrs::put);
    return Json.write(o);
  }
}
