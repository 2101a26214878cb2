package org.gridfusion.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.TestDistrict.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.common.json.Json;
import org.gridfusion.jobs.TestDistrict;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormaliseTest {
  private static final String SECRET = "test-secret-0123456789";
  private static final Instant T = Instant.parse("2026-11-24T08:15:30Z");

  @TempDir Path dir;

  private static SensorReading reading(String device, String type, double value) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setType(type)
        .setTs(T)
        .setValue(value)
        .setReceivedAt(T)
        .build();
  }

  private static List<JsonNode> deadLetters(OneInputStreamOperatorTestHarness<?, Record> h)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    var side = h.getSideOutput(DeadLetters.TAG);
    if (side != null) {
      for (StreamRecord<String> r : side) out.add(Json.MAPPER.readTree(r.getValue()));
    }
    return out;
  }

  @Test
  void sensorTakesItsDevicesPositionAndGrid() throws Exception {
    ReferenceFiles files = TestDistrict.write(dir);
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.sensors(files, SECRET))) {
      h.processElement(reading("WL-1", "WATER_LEVEL", 55), T.toEpochMilli());
      h.processElement(reading("GAS-SCHOOL", "GAS", 3), T.toEpochMilli());
      List<Record> out = h.extractOutputValues();
      assertThat(out).extracting(Record::getGridId).containsExactly("B-WEST", "SCH-1");
      assertThat(out.get(0).getRecordId()).isEqualTo("SENSOR:WL-1:WATER_LEVEL:" + T.toEpochMilli());
      assertThat(out.get(0).getLat()).isEqualTo(WEST_LAT);
      assertThat(out.get(1).getGridKind()).isEqualTo("SCHOOL");
      assertThat(deadLetters(h)).isEmpty();
    }
  }

  @Test
  void unknownDeviceAndOutOfAreaAreDeadLetteredWithTheirReason() throws Exception {
    ReferenceFiles files = TestDistrict.write(dir);
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.sensors(files, SECRET))) {
      h.processElement(reading("NOBODY", "WATER_LEVEL", 55), T.toEpochMilli());
      h.processElement(reading("FAR-1", "WATER_LEVEL", 55), T.toEpochMilli());
      h.processElement(reading("WL-1", "WATER_LEVEL", 1), T.toEpochMilli());
      assertThat(h.extractOutputValues()).hasSize(1); // the valid one beside them is kept
      List<JsonNode> dl = deadLetters(h);
      assertThat(dl)
          .extracting(n -> n.get("reason").asText())
          .containsExactly("UNKNOWN_DEVICE", "OUT_OF_AREA");
      assertThat(dl)
          .allSatisfy(
              n -> {
                assertThat(n.get("source").asText()).isEqualTo("sensor");
                assertThat(n.get("payload").asText()).isNotBlank();
              });
    }
  }

  @Test
  void cameraWithOwnCoordinatesAndDepartmentByAddressArePseudonymised() throws Exception {
    ReferenceFiles files = TestDistrict.write(dir);
    CameraEvent cam =
        CameraEvent.newBuilder()
            .setEventId("e-1")
            .setCameraId("CAM-X")
            .setType("WATCHLIST_MATCH")
            .setTs(T)
            .setConfidence(0.9)
            .setLat(EAST_LAT)
            .setLon(EAST_LON)
            .setAttributes(Map.of("personId", "110101194001011234"))
            .setReceivedAt(T)
            .build();
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.cameras(files, SECRET))) {
      h.processElement(cam, T.toEpochMilli());
      Record r = h.extractOutputValues().get(0);
      assertThat(r.getGridId()).isEqualTo("B-EAST");
      assertThat(r.getAttributes().get("personId")).startsWith("sr-");
      assertThat(r.toString()).doesNotContain("110101194001011234");
    }
    DepartmentRecord dep =
        DepartmentRecord.newBuilder()
            .setRecordId("ca-1")
            .setDepartment("CIVIL_AFFAIRS")
            .setRecordType("ELDERLY_LIVING_ALONE")
            .setTs(T)
            .setAddressCode("150502-001-0001")
            .setSubjectId("110101194001011234")
            .setAttributes(Map.of("name", "王秀英", "doorSensorId", "DOOR-1"))
            .setReceivedAt(T)
            .build();
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.departments(files, SECRET))) {
      h.processElement(dep, T.toEpochMilli());
      DepartmentRecord unknown =
          DepartmentRecord.newBuilder(dep).setRecordId("ca-2").setAddressCode("NOWHERE").build();
      h.processElement(unknown, T.toEpochMilli());
      Record r = h.extractOutputValues().get(0);
      assertThat(r.getGridId()).isEqualTo("B-WEST");
      assertThat(r.getSubjectRef()).startsWith("sr-");
      assertThat(r.toString()).doesNotContain("110101194001011234").doesNotContain("秀英");
      List<JsonNode> dl = deadLetters(h);
      assertThat(dl).extracting(n -> n.get("reason").asText()).containsExactly("UNKNOWN_ADDRESS");
      // The payload is the record in its contract JSON form, ready for the dead-letter sink's
      // pseudonymisation (DeadLetterPrivacy), which makes it safe like every other output.
      JsonNode payload = Json.MAPPER.readTree(dl.get(0).get("payload").asText());
      assertThat(payload.get("recordId").asText()).isEqualTo("ca-2");
      assertThat(payload.get("addressCode").asText()).isEqualTo("NOWHERE");
      String safe = new DeadLetterPrivacy(SECRET).mapOpened(dl.get(0).toString());
      assertThat(safe).doesNotContain("110101194001011234", "秀英").contains("subjectRef");
      assertThat(Json.MAPPER.readTree(safe).get("reason").asText()).isEqualTo("UNKNOWN_ADDRESS");
    }
  }

  @Test
  void aSensorsDeadLetterCarriesItsPayloadAndTopicAsTheBridgeSawThem() throws Exception {
    ReferenceFiles files = TestDistrict.write(dir);
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.sensors(files, SECRET))) {
      h.processElement(reading("NOBODY", "WATER_LEVEL", 55), T.toEpochMilli());
      JsonNode letter = deadLetters(h).get(0);
      assertThat(letter.get("origin").asText())
          .isEqualTo("gf.raw.sensor:gf/sensors/WATER_LEVEL/NOBODY");
      JsonNode payload = Json.MAPPER.readTree(letter.get("payload").asText());
      assertThat(payload.get("ts").asText()).isEqualTo(T.toString());
      assertThat(payload.get("value").asDouble()).isEqualTo(55.0);
    }
  }

  @Test
  void refusedRuleSetsAreLeftAsOperatorsWroteThem() throws Exception {
    String letter =
        "{\"source\":\"command\",\"reason\":\"INVALID_RULE_SET\",\"detail\":\"x\","
            + "\"payload\":\"rules:\\n  - name: \\\"Fire\\\"\",\"origin\":\"gf.rules\"}";
    assertThat(new DeadLetterPrivacy(SECRET).mapOpened(letter)).isEqualTo(letter);
  }

  @Test
  void aMovedDeviceTakesEffectWithoutRestart() throws Exception {
    ReferenceFiles written = TestDistrict.write(dir);
    // checked on every record, so the change is seen at the next one without waiting
    ReferenceFiles files =
        new ReferenceFiles(
            written.gridMap(), written.devices(), written.addresses(), Duration.ZERO);
    try (var h =
        ProcessFunctionTestHarnesses.forProcessFunction(Normalise.sensors(files, SECRET))) {
      h.processElement(reading("WL-1", "WATER_LEVEL", 5), T.toEpochMilli());
      Files.writeString(
          dir.resolve("devices.csv"),
          DEVICES.replace(
              "WL-1,SENSOR,WATER_LEVEL,43.605,122.185",
              "WL-1,SENSOR,WATER_LEVEL," + EAST_LAT + "," + EAST_LON));
      Files.setLastModifiedTime(
          dir.resolve("devices.csv"), FileTime.from(Instant.now().plusSeconds(5)));
      h.processElement(reading("WL-1", "WATER_LEVEL", 6), T.toEpochMilli());
      assertThat(h.extractOutputValues())
          .extracting(Record::getGridId)
          .containsExactly("B-WEST", "B-EAST");
    }
  }
}
