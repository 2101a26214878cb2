package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.EmbeddedStackExtension;
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

  @Test
  void anAlertOpensAnOrderAndAGrabCommandComesBackAsItsNextStep() throws Exception {
    TestPipeline gf = TestPipeline.get();
    Device tilt = gf.district.sensors(SensorType.MANHOLE_TILT).get(0);
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
