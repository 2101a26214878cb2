package org.gridfusion.common.contract;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;

/**
 * Turns contract inputs (§2) into their Avro form, or into a {@link Rejection} with a contract
 * reason code (§3). Shared by the connectors and the simulator so both read the contract the same
 * way.
 */
public final class InputParsers {
  private static final Pattern SENSOR_TOPIC = Pattern.compile("gf/sensors/([^/]+)/([^/]+)");

  private final TimeWindow window;

  public InputParsers(TimeWindow window) {
    this.window = window;
  }

  /** Parses text as JSON; a syntax error (truncated, garbage, NaN) is {@link Reason#MALFORMED}. */
  public static Parsed<JsonNode> json(String text) {
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) return Parsed.rejected(Reason.MALFORMED, "empty body");
      return Parsed.ok(n);
    } catch (JacksonException e) {
      return Parsed.rejected(
          Reason.MALFORMED, "not JSON: " + Fields.abbreviate(e.getOriginalMessage()));
    }
  }

  /**
   * Decodes strict UTF-8, so binary garbage is rejected rather than turned into replacement
   * characters.
   */
  public static Parsed<String> utf8(byte[] bytes) {
    try {
      return Parsed.ok(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Parsed.rejected(Reason.MALFORMED, "payload is not UTF-8 text");
    }
  }

  public Parsed<CameraEvent> cameraEvent(JsonNode node, long receivedAt) {
    return guarded(
        () -> {
          JsonNode o = Fields.object(node, "a camera event");
          String eventId = Fields.requiredId(o, "eventId");
          String cameraId = Fields.requiredId(o, "cameraId");
          String type = Fields.requiredString(o, "type");
          if (!CameraEventType.isKnown(type)) {
            throw new InvalidInput(
                Reason.UNKNOWN_TYPE,
                "camera event type '" + Fields.abbreviate(type) + "' is not one of the contract's");
          }
          long ts = Fields.requiredTs(o, "ts");
          window.check(ts, receivedAt);
          Double confidence = Fields.optionalNumber(o, "confidence");
          if (confidence != null && (confidence < 0 || confidence > 1)) {
            throw new InvalidInput(
                Reason.INVALID_FIELD, "confidence must be between 0 and 1, got " + confidence);
          }
          Integer objectCount = Fields.optionalInt(o, "objectCount", 0, 1_000_000);
          double[] pos = Fields.optionalCoordinates(o);
          return CameraEvent.newBuilder()
              .setEventId(eventId)
              .setCameraId(cameraId)
              .setType(type)
              .setTs(Instant.ofEpochMilli(ts))
              .setConfidence(confidence)
              .setObjectCount(objectCount)
              .setLat(pos == null ? null : pos[0])
              .setLon(pos == null ? null : pos[1])
              .setAttributes(Fields.attributes(o))
              .setReceivedAt(Instant.ofEpochMilli(receivedAt))
              .build();
        });
  }

  /** A reading from MQTT topic {@code gf/sensors/{type}/{deviceId}} (contract §2.2). */
  public Parsed<SensorReading> sensorReading(String topic, String payload, long receivedAt) {
    return guarded(
        () -> {
          Matcher m = SENSOR_TOPIC.matcher(topic == null ? "" : topic);
          if (!m.matches()) {
            throw new InvalidInput(
                Reason.UNKNOWN_TOPIC,
                "topic '"
                    + Fields.abbreviate(String.valueOf(topic))
                    + "' is not gf/sensors/{type}/{deviceId}");
          }
          String type = m.group(1);
          if (!SensorType.isKnown(type)) {
            throw new InvalidInput(
                Reason.UNKNOWN_TYPE,
                "sensor type '" + Fields.abbreviate(type) + "' is not one of the contract's");
          }
          String deviceId = m.group(2);
          if (deviceId.length() > Fields.MAX_ID_LENGTH) {
            throw new InvalidInput(
                Reason.INVALID_FIELD,
                "deviceId is longer than " + Fields.MAX_ID_LENGTH + " characters");
          }
          Parsed<JsonNode> json = json(payload);
          if (json instanceof Parsed.Rejected<JsonNode> r) {
            throw new InvalidInput(r.rejection().reason(), r.rejection().detail());
          }
          JsonNode o = Fields.object(((Parsed.Ok<JsonNode>) json).value(), "a sensor payload");
          long ts = Fields.requiredTs(o, "ts");
          window.check(ts, receivedAt);
          double value = Fields.requiredNumber(o, "value");
          Integer battery = Fields.optionalInt(o, "battery", 0, 100);
          return SensorReading.newBuilder()
              .setDeviceId(deviceId)
              .setType(type)
              .setTs(Instant.ofEpochMilli(ts))
              .setValue(value)
              .setBattery(battery)
              .setReceivedAt(Instant.ofEpochMilli(receivedAt))
              .build();
        });
  }

  public Parsed<DepartmentRecord> departmentRecord(JsonNode node, long receivedAt, String origin) {
    return guarded(
        () -> {
          JsonNode o = Fields.object(node, "a department record");
          String recordId = Fields.requiredId(o, "recordId");
          String department = Fields.requiredString(o, "department");
          if (!Department.isKnown(department)) {
            throw new InvalidInput(
                Reason.UNKNOWN_DEPARTMENT,
                "department '" + Fields.abbreviate(department) + "' is not one of the contract's");
          }
          String recordType = Fields.requiredId(o, "recordType");
          long ts = Fields.requiredTs(o, "ts");
          window.check(ts, receivedAt);
          double[] pos = Fields.optionalCoordinates(o);
          String addressCode = Fields.optionalId(o, "addressCode");
          if (pos == null && addressCode == null) {
            throw new InvalidInput(
                Reason.MISSING_FIELD, "a department record needs lat/lon or an addressCode");
          }
          return DepartmentRecord.newBuilder()
              .setRecordId(recordId)
              .setDepartment(department)
              .setRecordType(recordType)
              .setTs(Instant.ofEpochMilli(ts))
              .setAddressCode(addressCode)
              .setSubjectId(Fields.optionalId(o, "subjectId"))
              .setLat(pos == null ? null : pos[0])
              .setLon(pos == null ? null : pos[1])
              .setAttributes(Fields.attributes(o))
              .setReceivedAt(Instant.ofEpochMilli(receivedAt))
              .setOrigin(origin)
              .build();
        });
  }

  /**
   * A work-order command from {@code gf.workorder-commands} (contract §2.4). What each action needs
   * is checked here (SPLIT and DISPATCH an assignee... RATE a rating 1–5, JOIN known departments);
   * whether the action is allowed in the order's current status is the work-order loop's to decide.
   */
  public Parsed<WorkOrderCommand> workOrderCommand(JsonNode node, long receivedAt) {
    return guarded(
        () -> {
          JsonNode o = Fields.object(node, "a work-order command");
          String orderId = Fields.requiredId(o, "orderId");
          String actionName = Fields.requiredString(o, "action");
          if (!Enums.isKnown(WorkOrderAction.class, actionName)) {
            throw new InvalidInput(
                Reason.INVALID_FIELD,
                "action '"
                    + Fields.abbreviate(actionName)
                    + "' is not one of GRAB, DISPATCH, SPLIT, JOIN, RETURN, FEEDBACK, RATE, CLOSE");
          }
          WorkOrderAction action = WorkOrderAction.valueOf(actionName);
          String actor = Fields.requiredId(o, "actor");
          long ts = Fields.requiredTs(o, "ts");
          window.check(ts, receivedAt);
          String assignee = Fields.optionalId(o, "assignee");
          if (action == WorkOrderAction.SPLIT && assignee == null) {
            throw new InvalidInput(
                Reason.MISSING_FIELD,
                "SPLIT needs the community it goes to as assignee, e.g. community:C03");
          }
          List<String> departments = new ArrayList<>();
          JsonNode d = o.get("departments");
          if (d != null && !d.isNull()) {
            if (!d.isArray())
              throw new InvalidInput(
                  Reason.INVALID_FIELD, "departments must be an array of department names");
            for (JsonNode dep : d) {
              if (!dep.isTextual() || !Department.isKnown(dep.asText())) {
                throw new InvalidInput(
                    Reason.UNKNOWN_DEPARTMENT,
                    "department '"
                        + Fields.abbreviate(dep.asText())
                        + "' is not one of the contract's");
              }
              departments.add(dep.asText());
            }
          }
          if (action == WorkOrderAction.JOIN && departments.isEmpty()) {
            throw new InvalidInput(Reason.MISSING_FIELD, "JOIN needs the departments that join");
          }
          Integer rating = Fields.optionalInt(o, "rating", 1, 5);
          if (action == WorkOrderAction.RATE && rating == null) {
            throw new InvalidInput(Reason.MISSING_FIELD, "RATE needs a rating from 1 to 5");
          }
          JsonNode comment = o.get("comment");
          if (comment != null
              && !comment.isNull()
              && comment.asText().length() > Fields.MAX_ATTRIBUTE_LENGTH) {
            throw new InvalidInput(
                Reason.INVALID_FIELD,
                "comment is longer than " + Fields.MAX_ATTRIBUTE_LENGTH + " characters");
          }
          return WorkOrderCommand.newBuilder()
              .setOrderId(orderId)
              .setAction(action)
              .setActor(actor)
              .setAssignee(assignee)
              .setDepartments(departments)
              .setTs(Instant.ofEpochMilli(ts))
              .setComment(comment == null || comment.isNull() ? null : comment.asText())
              .setRating(rating)
              .build();
        });
  }

  private static <T> Parsed<T> guarded(Supplier<T> body) {
    try {
      return Parsed.ok(body.get());
    } catch (InvalidInput e) {
      return Parsed.rejected(e.reason, e.getMessage());
    }
  }
}
