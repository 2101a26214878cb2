package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.sensor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.jobs.testing.SharedRun;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.WorkOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents across rules (issue 16) on the real job at parallelism 2: a fire confirmed at 08:01 and
 * a crowd gathering at it by 08:07 in one grid are one incident with one work order carrying both
 * alerts; the same fire and crowd in two neighbouring grids are two incidents and two orders.
 */
class IncidentLinksITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  static final District DISTRICT =
      District.builder()
          .grid("G-INC-ONE", "BASIC", 1000)
          .sensor("SMOKE-ONE", "SMOKE")
          .camera("CAM-ONE")
          .grid("G-INC-FIRE", "BASIC", 1000)
          .sensor("SMOKE-TWO", "SMOKE")
          .camera("CAM-FIRE")
          .grid("G-INC-CROWD", "BASIC", 1000)
          .camera("CAM-CROWD")
          .build();

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static List<CameraEvent> crowd(String id, String camera) {
    return List.of(
        camera(id + "-1", camera, "CROWD", t(3), 0.9, 80),
        camera(id + "-2", camera, "CROWD", t(5), 0.9, 90),
        camera(id + "-3", camera, "CROWD", t(7), 0.9, 120));
  }

  static Script.Condition raised(String ruleId, String gridId) {
    return o ->
        o.alerts().stream()
            .anyMatch(a -> a.getRuleId().equals(ruleId) && a.getGridId().equals(gridId));
  }

  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    // one grid: smoke and a camera's fire confirm a fire at 08:01, a crowd gathers by 08:07
    in.sensors("one").emit(sensor("SMOKE-ONE", "SMOKE", 14.5, t(0)));
    in.cameras("one-fire").emit(camera("one-fire-1", "CAM-ONE", "FIRE_SMOKE", t(1), 0.91));
    // (after the fire is raised, so that it is the incident's first alert: the incident is named
    // after whichever alert reaches the linker first)
    in.cameras("one-crowd")
        .await("the fire is raised", raised("FIRE_CONFIRMED", "G-INC-ONE"))
        .emit(crowd("one-crowd", "CAM-ONE"));
    // the same in two grids
    in.sensors("two").emit(sensor("SMOKE-TWO", "SMOKE", 14.5, t(0)));
    in.cameras("two-fire").emit(camera("two-fire-1", "CAM-FIRE", "FIRE_SMOKE", t(1), 0.91));
    in.cameras("two-crowd").emit(crowd("two-crowd", "CAM-CROWD"));

    out =
        FusionJobRun.run(
            CLUSTER, "incident-links", FusionJobRun.settings(DISTRICT.write(dir)), in, t(60));
  }

  static Alert firstAlert(String ruleId, String gridId) {
    return out.alerts().stream()
        .filter(a -> a.getRuleId().equals(ruleId) && a.getGridId().equals(gridId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + ruleId + " alert in " + gridId));
  }

  static List<WorkOrder> ordersIn(String gridId) {
    return out.workOrders().stream().filter(o -> o.getGridId().equals(gridId)).toList();
  }

  @Test
  void aFireAndACrowdInOneGridAreOneIncidentWithOneOrderCarryingBothAlerts() {
    Alert fire = firstAlert("FIRE_CONFIRMED", "G-INC-ONE");
    Alert crowd = firstAlert("CROWD_GATHERING", "G-INC-ONE");
    assertThat(out.alerts())
        .filteredOn(a -> a.getGridId().equals("G-INC-ONE"))
        .extracting(Alert::getIncidentId)
        .containsOnly(fire.getAlertId()); // every update, open and closed, of both alerts

    String orderId = "WO." + fire.getAlertId();
    assertThat(ordersIn("G-INC-ONE")).extracting(WorkOrder::getOrderId).containsOnly(orderId);
    WorkOrder last = ordersIn("G-INC-ONE").get(ordersIn("G-INC-ONE").size() - 1);
    assertThat(last.getAlertIds()).containsExactly(fire.getAlertId(), crowd.getAlertId());
    assertThat(last.getRuleIds()).containsExactly("FIRE_CONFIRMED", "CROWD_GATHERING");
    assertThat(last.getIncidentId()).isEqualTo(fire.getAlertId());
    assertThat(last.getLevel()).isEqualTo(Severity.URGENT);
    assertThat(last.getHistory())
        .anySatisfy(h -> assertThat(h.getAction()).isEqualTo("ALERT_ATTACHED"));
  }

  @Test
  void theSameInTwoGridsIsTwoIncidentsAndTwoOrders() {
    Alert fire = firstAlert("FIRE_CONFIRMED", "G-INC-FIRE");
    Alert crowd = firstAlert("CROWD_GATHERING", "G-INC-CROWD");
    assertThat(fire.getIncidentId()).isEqualTo(fire.getAlertId());
    assertThat(crowd.getIncidentId()).isEqualTo(crowd.getAlertId());
    assertThat(ordersIn("G-INC-FIRE"))
        .extracting(WorkOrder::getOrderId)
        .containsOnly("WO." + fire.getAlertId());
    assertThat(ordersIn("G-INC-CROWD"))
        .extracting(WorkOrder::getOrderId)
        .containsOnly("WO." + crowd.getAlertId());
    assertThat(ordersIn("G-INC-CROWD"))
        .allSatisfy(o -> assertThat(o.getAlertIds()).containsExactly(crowd.getAlertId()));
  }
}
