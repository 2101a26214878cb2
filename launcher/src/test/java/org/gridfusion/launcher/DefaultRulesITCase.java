package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.scenario.Incident;
import org.gridfusion.simulator.scenario.Incidents;
import org.gridfusion.simulator.scenario.NearMiss;
import org.gridfusion.simulator.scenario.NearMissKind;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One scenario per default rule of contract §5 through the real ingress (MQTT, HTTP, inbox): each
 * alert is found in Elasticsearch with the right rule, grid and severity, exactly once per
 * incident; near misses raise nothing.
 */
@ExtendWith(EmbeddedStackExtension.class)
class DefaultRulesITCase {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private TestPipeline gf;

  @BeforeEach
  void start() throws Exception {
    gf = TestPipeline.get();
  }

  private void send(Incident incident) throws Exception {
    send(incident.items());
  }

  private void send(NearMiss nearMiss) throws Exception {
    send(nearMiss.items());
  }

  private void send(List<TrafficItem> items) throws Exception {
    List<String> records =
        items.stream()
            .filter(i -> i.source() == TrafficSource.DEPARTMENT)
            .map(TrafficItem::payload)
            .toList();
    if (!records.isEmpty()) gf.departmentFile(records);
    for (TrafficItem item : items) {
      if (item.source() == TrafficSource.SENSOR) {
        gf.publish(item.topic(), item.payload());
      } else if (item.source() == TrafficSource.CAMERA) {
        assertThat(gf.postCameraEvents(item.payload()).statusCode()).isEqualTo(202);
      }
    }
  }

  private JsonNode exactlyOneAlert(String ruleId, String gridId, String severity) throws Exception {
    // Keep event time moving, as live traffic does: rules that wait for time (a window that closes,
    // a day of silence) fire only when the watermark passes, and a quiet test pipeline has no
    // traffic.
    long deadline = System.nanoTime() + TestPipeline.WITHIN.toNanos();
    while (gf.alerts(ruleId, gridId).total() == 0 && System.nanoTime() < deadline) {
      tick();
      Thread.sleep(1000);
    }
    if (gf.alerts(ruleId, gridId).total() == 0) {
      throw new AssertionError(
          "no "
              + ruleId
              + " alert for "
              + gridId
              + " in gf-alerts; "
              + ruleId
              + " alerts in gf.alerts: "
              + gf.kafkaAlerts(ruleId));
    }
    JsonNode alert = gf.alerts(ruleId, gridId).sources().get(0);
    assertThat(alert.get("severity").asText()).as(ruleId + " severity").isEqualTo(severity);
    Thread.sleep(1500); // give a duplicate the chance to show up
    assertThat(gf.alerts(ruleId, gridId).total())
        .as("alerts of " + ruleId + " in " + gridId)
        .isEqualTo(1);
    return alert;
  }

  private Device sensor(SensorType type, int n) {
    List<Device> all = gf.district.sensors(type);
    return all.get(n % all.size());
  }

  /**
   * Pushes the job's watermark forward with a harmless reading. Two minutes ahead of the clock (the
   * contract accepts up to ten), so it moves event time even past a scenario's own readings dated a
   * minute ahead (the fire incident's camera event).
   */
  private void tick() throws Exception {
    gf.reading(
        "TEMPERATURE",
        sensor(SensorType.TEMPERATURE, 0).deviceId(),
        3.5,
        Instant.now().plus(Duration.ofMinutes(2)));
  }

  @Test
  void waterloggingManholeFallAndGasThroughMqttAndHttp() throws Exception {
    Instant now = Instant.now();
    Incident water =
        Incidents.waterlogging(gf.district, now, sensor(SensorType.WATER_LEVEL, 1).deviceId());
    Incident manhole =
        Incidents.manholeDisplaced(
            gf.district,
            now,
            sensor(SensorType.MANHOLE_TILT, 0)
                .deviceId()); // WorkOrderITCase keeps clear of its grid
    Incident fall = Incidents.fallDetected(gf.district, now);
    Device gas = sensor(SensorType.GAS, 0);
    Incident leak = Incidents.gasLeak(gf.district, now, gas.deviceId());
    for (Incident i : List.of(water, manhole, fall, leak)) send(i);

    exactlyOneAlert("WATERLOGGING", water.truth().gridId(), "URGENT");
    exactlyOneAlert("MANHOLE_DISPLACED", manhole.truth().gridId(), "IMPORTANT");
    exactlyOneAlert("FALL_DETECTED", fall.truth().gridId(), "IMPORTANT");
    GridKind kind = gf.district.grid(gas.gridId()).orElseThrow().kind();
    String gasSeverity =
        Set.of(GridKind.SCHOOL, GridKind.HOSPITAL).contains(kind) ? "URGENT" : "IMPORTANT";
    JsonNode alert = exactlyOneAlert("GAS_LEAK", leak.truth().gridId(), gasSeverity);
    assertThat(alert.get("evidence")).hasSize(2);
    assertThat(alert.get("ruleVersion").asText()).isEqualTo("default-1");
  }

  @Test
  void fireConfirmedByTwoSourcesAndSuspectedWhenAlone() throws Exception {
    Incident fire = Incidents.fireConfirmed(gf.district, Instant.now());
    send(fire);
    exactlyOneAlert("FIRE_CONFIRMED", fire.truth().gridId(), "URGENT");

    Device lone =
        gf.district.sensors(SensorType.SMOKE).stream()
            .filter(d -> !d.gridId().equals(fire.truth().gridId()))
            .findFirst()
            .orElseThrow();
    send(
        Incidents.fireSuspected(
            gf.district, Instant.now().minus(Duration.ofMinutes(20)), lone.deviceId()));
    tick();
    exactlyOneAlert("FIRE_SUSPECTED", lone.gridId(), "IMPORTANT");
    assertThat(gf.alerts("FIRE_CONFIRMED", lone.gridId()).total()).isZero();
  }

  @Test
  void crowdsAndStreetVendingCountedOverHttp() throws Exception {
    List<Device> cameras = gf.district.cameras();
    Device crowdCam = cameras.get(1);
    Device missCam =
        cameras.stream()
            .filter(c -> !c.gridId().equals(crowdCam.gridId()))
            .findFirst()
            .orElseThrow();
    Instant halfHourAgo = Instant.now().minus(Duration.ofMinutes(30));
    Incident crowd = Incidents.crowdGathering(gf.district, halfHourAgo, crowdCam.deviceId(), false);
    send(crowd);
    send(NearMissKind.CROWD_TOO_FEW.build(gf.district, missCam, halfHourAgo));
    Incident vending =
        Incidents.streetVending(
            gf.district, Instant.now().minus(Duration.ofMinutes(12)), cameras.get(2).deviceId());
    send(vending);

    JsonNode alert = exactlyOneAlert("CROWD_GATHERING", crowd.truth().gridId(), "IMPORTANT");
    assertThat(alert.get("evidence")).hasSize(3);
    exactlyOneAlert("STREET_VENDING", vending.truth().gridId(), "GENERAL");
    assertThat(gf.alerts("CROWD_GATHERING", missCam.gridId()).total())
        .as("two crowds are not a gathering")
        .isZero();
  }

  @Test
  void nightNoiseForHalfAnHourAtNight() throws Exception {
    Device noise = sensor(SensorType.NOISE, 0);
    // last night, 23:00 in the district's zone
    Instant night =
        LocalDate.now(SHANGHAI)
            .minusDays(1)
            .atTime(LocalTime.of(23, 0))
            .atZone(SHANGHAI)
            .toInstant();
    send(
        Incidents.nightNoise(
            gf.district, night.plus(Duration.ofMinutes(30)), noise.deviceId(), false));
    Device quiet =
        gf.district.sensors(SensorType.NOISE).stream()
            .filter(d -> !d.gridId().equals(noise.gridId()))
            .findFirst()
            .orElseThrow();
    send(
        NearMissKind.NIGHT_NOISE_TOO_SHORT.build(
            gf.district, quiet, night.plus(Duration.ofMinutes(25))));
    exactlyOneAlert("NIGHT_NOISE", noise.gridId(), "GENERAL");
    assertThat(gf.alerts("NIGHT_NOISE", quiet.gridId()).total())
        .as("25 minutes is not 30")
        .isZero();
  }

  @Test
  void elderlyPersonWhoseDoorStaysShutForADay() throws Exception {
    Device door = sensor(SensorType.DOOR, 3);
    // registered 26 hours ago: the day of silence ended two hours ago
    Incident elderly =
        Incidents.elderlyInactive(
            gf.district, Instant.now().minus(Duration.ofHours(2)), door.deviceId());
    send(elderly);
    Thread.sleep(3000);
    tick();
    JsonNode alert = exactlyOneAlert("ELDERLY_INACTIVE", door.gridId(), "IMPORTANT");
    assertThat(alert.get("subjectRef").asText()).startsWith("sr-");
    JsonNode record = TestPipeline.json(elderly.items().get(0).payload());
    assertThat(alert.toString())
        .doesNotContain(record.get("subjectId").asText())
        .doesNotContain(record.path("attributes").path("name").asText());
  }
}
