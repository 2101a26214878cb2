package org.gridfusion.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.WorkOrderAction;
import org.gridfusion.schema.WorkOrderCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputParsersTest {
  private static final long NOW = Instant.parse("2026-11-24T08:20:00Z").toEpochMilli();
  private final InputParsers parsers = new InputParsers(TimeWindow.CONTRACT_DEFAULT);

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  private static Reason reason(Parsed<?> p) {
    return p instanceof Parsed.Rejected<?> r ? r.rejection().reason() : null;
  }

  @Test
  void contractExampleCameraEventIsAccepted() throws Exception {
    Parsed<CameraEvent> p =
        parsers.cameraEvent(
            json(
                """
        {"eventId":"e-1","cameraId":"CAM-0001","type":"FIRE_SMOKE","ts":"2026-11-24T08:15:30Z",
         "confidence":0.93,"objectCount":0,"lat":43.65,"lon":122.24,"attributes":{"plate":"蒙G12345","n":3}}"""),
            NOW);
    CameraEvent e = ((Parsed.Ok<CameraEvent>) p).value();
    assertThat(e.getTs()).isEqualTo(Instant.parse("2026-11-24T08:15:30Z"));
    assertThat(e.getAttributes()).containsEntry("plate", "蒙G12345").containsEntry("n", "3");
  }

  @Test
  void timestampsWithOffsetAndEpochMillisMeanTheSameInstant() throws Exception {
    var a =
        parsers.sensorReading(
            "gf/sensors/WATER_LEVEL/WL-1",
            "{\"ts\":\"2026-11-24T16:15:30.120+08:00\",\"value\":12.5}",
            NOW);
    var b =
        parsers.sensorReading(
            "gf/sensors/WATER_LEVEL/WL-1",
            "{\"ts\":"
                + Instant.parse("2026-11-24T08:15:30.120Z").toEpochMilli()
                + ",\"value\":12.5,\"battery\":87}",
            NOW);
    assertThat(((Parsed.Ok<SensorReading>) a).value().getTs())
        .isEqualTo(((Parsed.Ok<SensorReading>) b).value().getTs());
    assertThat(((Parsed.Ok<SensorReading>) b).value().getBattery()).isEqualTo(87);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "truncated       | {\"ts\":\"2026-11-24T08:15:30Z\",\"val      | MALFORMED",
        "NaN             | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":NaN}   | MALFORMED",
        "wrong type      | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":\"high\"} | INVALID_FIELD",
        "missing value   | {\"ts\":\"2026-11-24T08:15:30Z\"}              | MISSING_FIELD",
        "far future      | {\"ts\":\"2026-11-24T09:00:00Z\",\"value\":1}   | TS_IN_FUTURE",
        "too old         | {\"ts\":\"2026-09-01T00:00:00Z\",\"value\":1}   | TS_TOO_OLD",
        "not an object   | [1,2,3]                                        | MALFORMED",
        "bad battery     | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":140} | INVALID_FIELD",
        // found by BadInputVolumeITCase: through a long, 1e400 was a battery of 0
        "battery 1e400   | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":1e400} | INVALID_FIELD",
        "battery -1e400  | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":-1e400} | INVALID_FIELD",
        "battery 30 digits | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":123456789012345678901234567890} | INVALID_FIELD",
        "battery 1.5     | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":1.5} | INVALID_FIELD",
        "value 1e400     | {\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1e400} | INVALID_FIELD",
        "ts 30 digits    | {\"ts\":123456789012345678901234567890,\"value\":1} | INVALID_FIELD"
      })
  void badSensorPayloads(String name, String payload, Reason expected) {
    assertThat(reason(parsers.sensorReading("gf/sensors/GAS/G-1", payload, NOW)))
        .isEqualTo(expected);
  }

  @Test
  void aWholeNumberWrittenWithAFractionOrExponentIsStillOne() {
    for (String battery : List.of("87.0", "8.7e1", "0.0")) {
      var r =
          parsers.sensorReading(
              "gf/sensors/GAS/G-1",
              "{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1,\"battery\":" + battery + "}",
              NOW);
      assertThat(r).as(battery).isInstanceOf(Parsed.Ok.class);
    }
  }

  @Test
  void unknownTopicsAndTypes() {
    String ok = "{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":1}";
    assertThat(reason(parsers.sensorReading("gf/other/GAS/G-1", ok, NOW)))
        .isEqualTo(Reason.UNKNOWN_TOPIC);
    assertThat(reason(parsers.sensorReading("gf/sensors/RADIATION/G-1", ok, NOW)))
        .isEqualTo(Reason.UNKNOWN_TYPE);
  }

  @Test
  void binaryGarbageIsNotText() {
    assertThat(reason(InputParsers.utf8(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})))
        .isEqualTo(Reason.MALFORMED);
  }

  @Test
  void cameraEventRejections() throws Exception {
    String base = "\"eventId\":\"e\",\"cameraId\":\"c\",\"ts\":\"2026-11-24T08:15:30Z\"";
    assertThat(reason(parsers.cameraEvent(json("{" + base + ",\"type\":\"UFO\"}"), NOW)))
        .isEqualTo(Reason.UNKNOWN_TYPE);
    assertThat(
            reason(
                parsers.cameraEvent(
                    json("{" + base + ",\"type\":\"CROWD\",\"lat\":91,\"lon\":1}"), NOW)))
        .isEqualTo(Reason.COORDINATES_OUT_OF_RANGE);
    assertThat(
            reason(parsers.cameraEvent(json("{" + base + ",\"type\":\"CROWD\",\"lat\":43}"), NOW)))
        .isEqualTo(Reason.MISSING_FIELD);
    assertThat(
            reason(
                parsers.cameraEvent(
                    json("{" + base + ",\"type\":\"CROWD\",\"confidence\":1.5}"), NOW)))
        .isEqualTo(Reason.INVALID_FIELD);
    String huge = "x".repeat(10_000);
    assertThat(
            reason(
                parsers.cameraEvent(
                    json(
                        "{\"eventId\":\""
                            + huge
                            + "\",\"cameraId\":\"c\",\"type\":\"CROWD\",\"ts\":1}"),
                    NOW)))
        .isEqualTo(Reason.INVALID_FIELD);
  }

  @Test
  void departmentRecordNeedsAKnownDepartmentAndALocation() throws Exception {
    String rec =
        """
        {"recordId":"ca-2031","department":"CIVIL_AFFAIRS","recordType":"ELDERLY_LIVING_ALONE",
         "ts":"2026-11-20T09:00:00+08:00","addressCode":"150502-001-0042","subjectId":"110101194001011234",
         "attributes":{"doorSensorId":"DOOR-0042","name":"..."}}""";
    DepartmentRecord d =
        ((Parsed.Ok<DepartmentRecord>) parsers.departmentRecord(json(rec), NOW, "t")).value();
    assertThat(d.getSubjectId()).isEqualTo("110101194001011234");
    assertThat(
            reason(parsers.departmentRecord(json(rec.replace("CIVIL_AFFAIRS", "MAGIC")), NOW, "t")))
        .isEqualTo(Reason.UNKNOWN_DEPARTMENT);
    assertThat(
            reason(
                parsers.departmentRecord(
                    json(rec.replace("\"addressCode\":\"150502-001-0042\",", "")), NOW, "t")))
        .isEqualTo(Reason.MISSING_FIELD);
  }

  @Test
  void contractExampleWorkOrderCommandIsAccepted() throws Exception {
    var p =
        parsers.workOrderCommand(
            json(
                """
        {"orderId":"WO.1","action":"SPLIT","actor":"street:S01","assignee":"community:C03","departments":["HOUSING"],
         "ts":"2026-11-24T08:15:30Z","comment":"to the community","rating":4}"""),
            NOW);
    var c = ((Parsed.Ok<WorkOrderCommand>) p).value();
    assertThat(c.getAction()).isEqualTo(WorkOrderAction.SPLIT);
    assertThat(c.getAssignee()).isEqualTo("community:C03");
    assertThat(c.getDepartments()).containsExactly("HOUSING");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      {"action":"GRAB","actor":"street:S01","ts":"2026-11-24T08:15:30Z"}                                 | MISSING_FIELD
      {"orderId":"WO.1","action":"TELEPORT","actor":"street:S01","ts":"2026-11-24T08:15:30Z"}            | INVALID_FIELD
      {"orderId":"WO.1","action":"SPLIT","actor":"street:S01","ts":"2026-11-24T08:15:30Z"}               | MISSING_FIELD
      {"orderId":"WO.1","action":"RATE","actor":"street:S01","ts":"2026-11-24T08:15:30Z"}                | MISSING_FIELD
      {"orderId":"WO.1","action":"RATE","actor":"street:S01","ts":"2026-11-24T08:15:30Z","rating":9}     | INVALID_FIELD
      {"orderId":"WO.1","action":"JOIN","actor":"street:S01","ts":"2026-11-24T08:15:30Z","departments":["NASA"]} | UNKNOWN_DEPARTMENT
      {"orderId":"WO.1","action":"GRAB","actor":"street:S01","ts":"2027-11-24T08:15:30Z"}                | TS_IN_FUTURE
      """)
  void badWorkOrderCommandsAreRejectedWithTheirReason(String text, Reason expected)
      throws Exception {
    assertThat(reason(parsers.workOrderCommand(json(text), NOW))).isEqualTo(expected);
  }
}
