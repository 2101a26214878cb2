package org.gridfusion.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.simulator.district.ContextRecord;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.MqttMessage;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IncidentsTest {
  static final Instant NOON = Instant.parse("2026-11-24T04:00:00Z");
  static final InputParsers PARSERS = new InputParsers(TimeWindow.CONTRACT_DEFAULT);
  static District district;

  @BeforeAll
  static void generate() {
    district = DistrictGenerator.generate(DistrictSpec.small(9));
  }

  @Test
  void waterloggingEndsWithAnUrgentLevelAtAWaterGaugeAndStaysBelowThirtyBefore()
      throws IOException {
    Incident incident = Incidents.waterlogging(district, NOON);
    List<MqttMessage> messages = incident.sensorMessages();
    assertThat(messages).hasSizeGreaterThanOrEqualTo(1);
    List<SensorReading> readings = readings(incident);
    SensorReading last = readings.get(readings.size() - 1);
    assertThat(last.getType()).isEqualTo("WATER_LEVEL");
    assertThat(last.getValue()).isGreaterThanOrEqualTo(50);
    assertThat(last.getTs()).isEqualTo(NOON);
    assertThat(readings.subList(0, readings.size() - 1))
        .allSatisfy(
            r -> {
              assertThat(r.getValue()).isLessThan(30);
              assertThat(r.getTs()).isBefore(NOON);
            });
    Device gauge = district.device(last.getDeviceId()).orElseThrow();
    assertThat(messages)
        .allSatisfy(
            m -> assertThat(m.topic()).isEqualTo("gf/sensors/WATER_LEVEL/" + gauge.deviceId()));
    assertThat(incident.truth())
        .isEqualTo(new GroundTruth("WATERLOGGING", gauge.gridId(), Severity.URGENT, NOON));
  }

  @Test
  void manholeDisplacedCrossesFifteenDegrees() {
    Incident incident = Incidents.manholeDisplaced(district, NOON);
    List<SensorReading> readings = readings(incident);
    assertThat(readings).allMatch(r -> r.getType().equals("MANHOLE_TILT"));
    assertThat(readings.get(readings.size() - 1).getValue()).isGreaterThanOrEqualTo(15);
    assertThat(readings.get(0).getValue()).isLessThan(15);
    assertThat(incident.truth().ruleId()).isEqualTo("MANHOLE_DISPLACED");
    assertThat(incident.truth().severity()).isEqualTo(Severity.IMPORTANT);
    assertThat(incident.truth().gridId())
        .isEqualTo(district.device(readings.get(0).getDeviceId()).orElseThrow().gridId());
  }

  @Test
  void fallDetectedIsAConfidentCameraEventInTheCamerasGrid() {
    Incident incident = Incidents.fallDetected(district, NOON);
    assertThat(incident.sensorMessages()).isEmpty();
    List<CameraEvent> events = cameraEvents(incident);
    assertThat(events).hasSize(1);
    CameraEvent e = events.get(0);
    assertThat(e.getType()).isEqualTo("FALL_DETECTED");
    assertThat(e.getConfidence()).isGreaterThanOrEqualTo(0.7);
    assertThat(district.gridAt(e.getLat(), e.getLon()).orElseThrow().gridId())
        .isEqualTo(incident.truth().gridId());
    assertThat(incident.truth().ruleId()).isEqualTo("FALL_DETECTED");
    assertThat(incident.truth().eventTime()).isEqualTo(NOON);
  }

  @Test
  void fireConfirmedPairsSmokeAndCameraInOneGridWithinFiveMinutes() {
    Incident incident = Incidents.fireConfirmed(district, NOON);
    SensorReading smoke = readings(incident).get(0);
    CameraEvent fire = cameraEvents(incident).get(0);
    assertThat(smoke.getType()).isEqualTo("SMOKE");
    assertThat(smoke.getValue()).isGreaterThanOrEqualTo(10);
    assertThat(fire.getType()).isEqualTo("FIRE_SMOKE");
    assertThat(fire.getConfidence()).isGreaterThanOrEqualTo(0.8);
    assertThat(Duration.between(smoke.getTs(), fire.getTs()).abs())
        .isLessThanOrEqualTo(Duration.ofMinutes(5));
    String grid = district.device(smoke.getDeviceId()).orElseThrow().gridId();
    assertThat(district.gridAt(fire.getLat(), fire.getLon()).orElseThrow().gridId())
        .isEqualTo(grid);
    assertThat(incident.truth())
        .isEqualTo(new GroundTruth("FIRE_CONFIRMED", grid, Severity.URGENT, NOON));
  }

  @Test
  void gasLeakIsUrgentExactlyWhereTheContractSaysSo() {
    Set<String> hazardousGrids = new HashSet<>();
    district
        .contextRecords(ContextRecord.HAZARDOUS_ENTERPRISE)
        .forEach(r -> hazardousGrids.add(r.gridId()));
    Set<Severity> seen = new HashSet<>();
    for (Device gas : district.sensors(SensorType.GAS)) {
      Incident incident = Incidents.gasLeak(district, NOON, gas.deviceId());
      List<SensorReading> readings = readings(incident);
      assertThat(readings)
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.getValue()).isGreaterThanOrEqualTo(20));
      GridKind kind = district.grid(gas.gridId()).orElseThrow().kind();
      boolean urgent =
          kind == GridKind.SCHOOL
              || kind == GridKind.HOSPITAL
              || hazardousGrids.contains(gas.gridId());
      assertThat(incident.truth().severity())
          .as(gas.deviceId())
          .isEqualTo(urgent ? Severity.URGENT : Severity.IMPORTANT);
      seen.add(incident.truth().severity());
    }
    assertThat(seen).containsExactlyInAnyOrder(Severity.URGENT, Severity.IMPORTANT);
  }

  @Test
  void incidentsAreDeterministicAndMoveAroundTheDistrictOverTime() {
    assertThat(Incidents.waterlogging(district, NOON))
        .isEqualTo(Incidents.waterlogging(district, NOON));
    Set<String> grids = new HashSet<>();
    for (int minute = 0; minute < 30; minute++) {
      grids.add(
          Incidents.manholeDisplaced(district, NOON.plus(Duration.ofMinutes(minute)))
              .truth()
              .gridId());
    }
    assertThat(grids).hasSizeGreaterThan(3);
  }

  @Test
  void oneOfEachCoversFiveRules() {
    List<Incident> all = Incidents.oneOfEach(district, NOON, Duration.ofMinutes(2));
    assertThat(all)
        .extracting(i -> i.truth().ruleId())
        .containsExactly(
            "WATERLOGGING", "MANHOLE_DISPLACED", "FALL_DETECTED", "FIRE_CONFIRMED", "GAS_LEAK");
    assertThat(all.get(4).truth().eventTime()).isEqualTo(NOON.plus(Duration.ofMinutes(8)));
  }

  @Test
  void refusesADeviceOfTheWrongType() {
    String camera = district.cameras().get(0).deviceId();
    assertThatThrownBy(() -> Incidents.waterlogging(district, NOON, camera))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a WATER_LEVEL");
  }

  @Test
  void sensorTimestampsCarryTheChinaOffset() throws IOException {
    for (MqttMessage m : Incidents.waterlogging(district, NOON).sensorMessages()) {
      JsonNode payload = Json.MAPPER.readTree(m.payload());
      assertThat(OffsetDateTime.parse(payload.path("ts").asText()).getOffset().getTotalSeconds())
          .isEqualTo(8 * 3600);
    }
  }

  private static List<SensorReading> readings(Incident incident) {
    return incident.items().stream()
        .filter(i -> i.source() == TrafficSource.SENSOR)
        .map(IncidentsTest::reading)
        .toList();
  }

  private static SensorReading reading(TrafficItem item) {
    Parsed<SensorReading> p =
        PARSERS.sensorReading(item.topic(), item.payload(), item.eventTime().toEpochMilli());
    assertThat(p).as(item.payload()).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<SensorReading>) p).value();
  }

  private static List<CameraEvent> cameraEvents(Incident incident) {
    return incident.cameraEvents().stream()
        .map(
            text -> {
              JsonNode node = ((Parsed.Ok<JsonNode>) InputParsers.json(text)).value();
              Parsed<CameraEvent> p = PARSERS.cameraEvent(node, NOON.toEpochMilli());
              assertThat(p).as(text).isInstanceOf(Parsed.Ok.class);
              return ((Parsed.Ok<CameraEvent>) p).value();
            })
        .toList();
  }
}
