package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.scenario.Incident;
import org.gridfusion.simulator.scenario.Incidents;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The closed loop of contract §6 end to end: alerts open orders in gf-workorders, commands arrive
 * on gf.workorder-commands, the grab window dispatches to the district, the handling deadline
 * raises a WORKORDER_OVERDUE alert, and an illegal step is dead-lettered. Scenarios are dated hours
 * back so the windows pass as soon as event time moves on.
 */
@ExtendWith(EmbeddedStackExtension.class)
class WorkOrderITCase {

  private static void send(TestPipeline gf, Incident incident) throws Exception {
    for (TrafficItem item : incident.items()) gf.publish(item.topic(), item.payload());
  }

  private static Runnable tick(TestPipeline gf) {
    return () -> {
      try {
        gf.reading(
            "TEMPERATURE",
            gf.district.sensors(SensorType.TEMPERATURE).get(0).deviceId(),
            3.5,
            Instant.now().plus(Duration.ofMinutes(2)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static List<String> actions(JsonNode order) {
    return order.get("history").findValuesAsText("action");
  }

  @Test
  void anUngrabbedOrderGoesToTheDistrictAndIsHandledRatedAndClosedByCommands() throws Exception {
    TestPipeline gf = TestPipeline.get();
    // An alert of the same rule open in the same grid would take this firing in (one alert per
    // incident),
    // and the order would carry that alert's id: keep clear of grids where another test's is still
    // open, and of
    // DefaultRulesITCase's (the first tilt) should it run later.
    Set<String> taken = gf.gridsWithOpenAlerts("MANHOLE_DISPLACED");
    List<Device> tilts = gf.district.sensors(SensorType.MANHOLE_TILT);
    taken.add(tilts.get(0).gridId());
    Device tilt =
        tilts.stream()
            .filter(t -> !taken.contains(t.gridId()))
            .reduce((a, b) -> b)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the test district has no manhole sensor outside the grids other tests use"));
    Instant at = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.SECONDS);
    Incident manhole = Incidents.manholeDisplaced(gf.district, at, tilt.deviceId());
    send(gf, manhole);
    String orderId = "WO.MANHOLE_DISPLACED." + manhole.truth().gridId() + "." + at.toEpochMilli();

    JsonNode reported = gf.awaitWorkOrder(orderId, o -> true, null);
    assertThat(reported.get("category").asText()).isEqualTo("IMPORTANT");
    assertThat(reported.get("dueAt").asText()).isEqualTo(at.plus(Duration.ofHours(24)).toString());

    // nobody grabs it: 30 minutes of event time later the district has it
    JsonNode dispatched =
        gf.awaitWorkOrder(orderId, o -> o.get("status").asText().equals("DISPATCHED"), tick(gf));
    assertThat(dispatched.get("assignee").asText()).isEqualTo("district");
    assertThat(actions(dispatched)).containsExactly("REPORTED", "AUTO_DISPATCH");

    gf.workOrderCommand(
        orderId, "FEEDBACK", at.plus(Duration.ofHours(1)), "\"comment\":\"cover replaced\"");
    gf.workOrderCommand(orderId, "RATE", at.plus(Duration.ofHours(2)), "\"rating\":5");
    gf.workOrderCommand(orderId, "CLOSE", at.plus(Duration.ofHours(3)), null);
    JsonNode closed =
        gf.awaitWorkOrder(orderId, o -> o.get("status").asText().equals("CLOSED"), null);
    assertThat(closed.get("rating").asInt()).isEqualTo(5);
    assertThat(closed.get("overdue").asBoolean()).isFalse();
    assertThat(actions(closed))
        .containsExactly("REPORTED", "AUTO_DISPATCH", "FEEDBACK", "RATE", "CLOSE");

    // a step the loop does not allow, and a command that is not JSON: dead letters, the order
    // unchanged
    gf.workOrderCommand(orderId, "GRAB", at.plus(Duration.ofHours(3)).plusSeconds(5), null);
    KafkaProbe.send(
        gf.stack.kafkaBootstrap(),
        Topics.WORKORDER_COMMANDS,
        orderId,
        "{\"orderId\":\"" + orderId + "\",");
    var letters =
        KafkaProbe.readUntil(
            gf.stack.kafkaBootstrap(),
            Topics.DEADLETTER,
            rs -> rs.stream().map(KafkaProbe::text).filter(t -> t.contains(orderId)).count() >= 2,
            TestPipeline.WITHIN);
    List<JsonNode> mine =
        letters.stream()
            .map(KafkaProbe::text)
            .filter(t -> t.contains(orderId))
            .map(TestPipeline::json)
            .toList();
    assertThat(mine)
        .extracting(l -> l.get("reason").asText())
        .containsExactlyInAnyOrder("ILLEGAL_TRANSITION", "MALFORMED");
    assertThat(mine).extracting(l -> l.get("source").asText()).containsOnly("command");
    assertThat(gf.awaitWorkOrder(orderId, o -> true, null).get("status").asText())
        .isEqualTo("CLOSED");
  }

  @Test
  void anUrgentOrderNotHandledInTwoHoursIsOverdueAndRaisesAnAlert() throws Exception {
    TestPipeline gf = TestPipeline.get();
    List<Device> gauges = gf.district.sensors(SensorType.WATER_LEVEL);
    // clear of the grids where another test's WATERLOGGING is open or will be (the first four
    // gauges)
    Set<String> others = new HashSet<>(gf.gridsWithOpenAlerts("WATERLOGGING"));
    for (int i = 0; i < Math.min(4, gauges.size()); i++) others.add(gauges.get(i).gridId());
    Device gauge =
        gauges.stream()
            .filter(d -> !others.contains(d.gridId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the test district has no water gauge outside the grids other tests use"));
    Instant at = Instant.now().minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS);
    Incident water = Incidents.waterlogging(gf.district, at, gauge.deviceId());
    send(gf, water);
    String grid = water.truth().gridId();
    String orderId = "WO.WATERLOGGING." + grid + "." + at.toEpochMilli();
    gf.awaitWorkOrder(orderId, o -> true, null);
    gf.workOrderCommand(orderId, "GRAB", at.plus(Duration.ofMinutes(2)), null);

    JsonNode overdue = gf.awaitWorkOrder(orderId, o -> o.get("overdue").asBoolean(), tick(gf));
    assertThat(overdue.get("status").asText()).isEqualTo("GRABBED");
    assertThat(overdue.get("assignee").asText()).isEqualTo("street:S01");
    assertThat(actions(overdue)).containsExactly("REPORTED", "GRAB", "OVERDUE");

    JsonNode alert =
        ElasticsearchProbe.awaitHits(
                gf.stack.elasticsearchUrl(),
                "gf-alerts*",
                "{\"query\":{\"term\":{\"alertId\":\"WORKORDER_OVERDUE." + orderId + "\"}}}",
                1,
                TestPipeline.WITHIN)
            .sources()
            .get(0);
    assertThat(alert.get("severity").asText()).isEqualTo("URGENT");
    assertThat(alert.get("gridId").asText()).isEqualTo(grid);
    assertThat(alert.get("firstSeen").asText()).isEqualTo(at.plus(Duration.ofHours(2)).toString());
  }
}
