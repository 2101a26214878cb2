package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One round trip of the closed loop (contract §6) through the real stores: an alert opens a work
 * order on gf.workorders and in gf-workorders; a command on gf.workorder-commands comes back as the
 * order's next step in both. The loop's windows, deadlines and refusals are tested exactly by the
 * jobs module's WorkOrderLoopITCase.
 */
@ExtendWith(EmbeddedStackExtension.class)
class WorkOrderSmokeITCase {
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @Test
  void anAlertOpensAnOrderAndAGrabCommandComesBackAsItsNextStep() throws Exception {
    TestPipeline gf = TestPipeline.get();
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // Alerts of different rules in one grid within minutes are one incident with one order
    // (incidents.linkWindow): in a grid where another test of this shared pipeline raised an alert
    // lately, the tilt would join that test's order. So: a grid without a recent alert.
    Set<String> busy = new HashSet<>();
    AvroCodec<Alert> alerts = AvroCodec.of(Alert.class);
    for (var r : KafkaProbe.readAll(gf.stack.kafkaBootstrap(), Topics.ALERTS, WITHIN)) {
      Alert a = alerts.decode(r.value());
      if (a.getLastSeen().isAfter(ts.minus(Duration.ofHours(1)))) busy.add(a.getGridId());
    }
    Device tilt =
        gf.district.sensors(SensorType.MANHOLE_TILT).stream()
            .filter(d -> !busy.contains(d.gridId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("every manhole's grid had an alert lately"));
    gf.reading("MANHOLE_TILT", tilt.deviceId(), 20, ts);
    String recordId = "SENSOR:" + tilt.deviceId() + ":MANHOLE_TILT:" + ts.toEpochMilli();
    Alert alert =
        gf.awaitOnKafka(Topics.ALERTS, Alert.class, a -> a.getEvidence().contains(recordId));
    String orderId = "WO." + alert.getAlertId();

    WorkOrder reported =
        gf.awaitOnKafka(Topics.WORKORDERS, WorkOrder.class, o -> o.getOrderId().equals(orderId));
    assertThat(reported.getStatus()).isEqualTo(WorkOrderStatus.REPORTED);
    assertThat(gf.awaitDocument("gf-workorders", "orderId", orderId).get("category").asText())
        .isEqualTo("IMPORTANT");

    gf.workOrderCommand(orderId, "GRAB", ts.plusSeconds(1), null);
    WorkOrder grabbed =
        gf.awaitOnKafka(
            Topics.WORKORDERS,
            WorkOrder.class,
            o -> o.getOrderId().equals(orderId) && o.getStatus() == WorkOrderStatus.GRABBED);
    assertThat(grabbed.getAssignee()).isEqualTo("street:S01");
    JsonNode document = gf.awaitDocument("gf-workorders", "orderId", orderId, "status", "GRABBED");
    assertThat(document.get("history").findValuesAsText("action"))
        .containsExactly("REPORTED", "GRAB");
  }
}
