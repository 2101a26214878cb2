package org.gridfusion.common.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;

/**
 * A parsed input written back in its contract §2 JSON form: what the fusion job puts in a dead
 * letter's payload for an input the connector accepted but the job could not place (unknown device,
 * outside every grid). The same shape as the text the client sent, so it can be read, pseudonymised
 * field by field and replayed alike.
 */
public final class ContractJson {
  private ContractJson() {}

  public static String camera(CameraEvent e) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("eventId", e.getEventId());
    n.put("cameraId", e.getCameraId());
    n.put("type", e.getType());
    n.put("ts", e.getTs().toString());
    if (e.getConfidence() != null) n.put("confidence", e.getConfidence());
    if (e.getObjectCount() != null) n.put("objectCount", e.getObjectCount());
    if (e.getLat() != null) n.put("lat", e.getLat());
    if (e.getLon() != null) n.put("lon", e.getLon());
    attributes(n, e.getAttributes());
    return Json.write(n);
  }

  /** The MQTT payload ({@code ts}, {@code value}, {@code battery}); the topic is the origin. */
  public static String sensor(SensorReading r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("ts", r.getTs().toString());
    n.put("value", r.getValue());
    if (r.getBattery() != null) n.put("battery", r.getBattery());
    return Json.write(n);
  }

  /** The MQTT topic a reading came on (contract §2.2). */
  public static String sensorTopic(SensorReading r) {
    return "gf/sensors/" + r.getType() + "/" + r.getDeviceId();
  }

  public static String department(DepartmentRecord d) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("recordId", d.getRecordId());
    n.put("department", d.getDepartment());
    n.put("recordType", d.getRecordType());
    n.put("ts", d.getTs().toString());
    if (d.getAddressCode() != null) n.put("addressCode", d.getAddressCode());
    if (d.getSubjectId() != null) n.put("subjectId", d.getSubjectId());
    if (d.getLat() != null) n.put("lat", d.getLat());
    if (d.getLon() != null) n.put("lon", d.getLon());
    attributes(n, d.getAttributes());
    return Json.write(n);
  }

  private static void attributes(ObjectNode n, Map<String, String> attributes) {
    if (attributes == null || attributes.isEmpty()) return;
    ObjectNode a = n.putObject("attributes");
    attributes.forEach(a::put);
  }
}
