package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.CollectedOutputs.OrderUpdate.reported;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.command;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.IMPORTANT;
import static org.gridfusion.schema.Severity.URGENT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.CollectedOutputs.OrderUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.schema.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint taken mid-stream, and the same topology restored from it with the rest of the input:
 * what was in flight continues as if the job had never stopped. An open incident grows (the same
 * alert, its count going on), a pending co-occurrence finds its partner, a pending timer fires, a
 * work order opened before the stop takes a command after it, and an input redelivered after the
 * restart (as a connector would after a crash) is still recognised. Nothing is emitted twice: the
 * outputs before the stop and after the restore add up exactly to those of one uninterrupted run.
 *
 * <p>The first run stops with every input partition waiting at the hold {@code savepoint}, through
 * the MiniCluster's client (stop-with-savepoint, event time not advanced to its end); the second
 * starts from that savepoint with the hold released. The positions of the partitions are the
 * sources' state, so each continues where it stopped, as Kafka offsets would.
 */
class SavepointRestoreITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(60);
  static final String SAVEPOINT = "savepoint";

  static final String WATER_ORDER = "WO.WATERLOGGING.G-SP-WATER." + T0.toEpochMilli();

  static final District DISTRICT =
      District.builder()
          .grid("G-SP-WATER", "BASIC", 1000)
          .sensor("WL-S", "WATER_LEVEL")
          .grid("G-SP-FIRE", "BASIC", 1000)
          .sensor("SMOKE-S", "SMOKE")
          .camera("CAM-S")
          .grid("G-SP-SUSPECT", "BASIC", 1000)
          .sensor("SMOKE-T", "SMOKE")
          .build();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /** The same inputs for both runs: the part before the hold plays in the first. */
  static FusionJobRun.Inputs inputs() {
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.sensors("water")
        .emit(sensor("WL-S", "WATER_LEVEL", 35, t(0)))
        .hold(SAVEPOINT)
        // redelivered after the restart, then a new reading within the incident's half hour
        .emit(sensor("WL-S", "WATER_LEVEL", 35, t(0)), sensor("WL-S", "WATER_LEVEL", 40, t(10)));
    in.commands("water-commands")
        .await(
            "the order opened",
            o -> o.workOrders().stream().anyMatch(w -> w.getOrderId().equals(WATER_ORDER)))
        .hold(SAVEPOINT)
        .emit(command(WATER_ORDER, "GRAB", t(2), null));
    in.sensors("fire-smoke").emit(sensor("SMOKE-S", "SMOKE", 14.5, t(0))).hold(SAVEPOINT);
    in.cameras("fire-camera")
        .hold(SAVEPOINT)
        .emit(camera("sp-fire", "CAM-S", "FIRE_SMOKE", t(4), 0.9));
    in.sensors("suspect").emit(sensor("SMOKE-T", "SMOKE", 14.5, t(0))).hold(SAVEPOINT);
    return in;
  }

  @Test
  void aJobRestoredFromASavepointTakenMidStreamContinuesWithoutDuplicates(
      @InjectClusterClient ClusterClient<?> cluster, @TempDir Path dir) throws Exception {
    FusionJob.Settings settings = FusionJobRun.settings(DISTRICT.write(dir.resolve("reference")));

    CollectedOutputs before;
    String savepoint;
    try (FusionJobRun.Running first =
        FusionJobRun.start(CLUSTER, "before-savepoint", settings, inputs(), END, null, Set.of())) {
      first.awaitHolding(Set.of("water", "water-commands", "fire-smoke", "fire-camera", "suspect"));
      savepoint = first.stopWithSavepoint(cluster, dir.resolve("savepoints").toUri().toString());
      before = first.run().outputs();
    }
    CollectedOutputs after;
    try (FusionJobRun.Running second =
        FusionJobRun.start(
            CLUSTER, "after-savepoint", settings, inputs(), END, savepoint, Set.of(SAVEPOINT))) {
      after = second.awaitEnd();
    }

    // before the stop: the first reading's alert and order, nothing else
    String reading = sensorId("WL-S", "WATER_LEVEL", t(0));
    AlertUpdate water = open("WATERLOGGING", "G-SP-WATER", IMPORTANT, t(0), t(0), 1, reading);
    assertThat(before.alertsIn("G-SP-WATER")).containsExactly(water);
    OrderUpdate reported =
        reported("IMPORTANT", t(0), Duration.ofMinutes(30), Duration.ofHours(24));
    assertThat(before.workOrder(WATER_ORDER)).containsExactly(reported);

    // after: the same incident grows (the redelivered reading is not counted again) and closes
    AlertUpdate grown = water.grown(IMPORTANT, t(10), sensorId("WL-S", "WATER_LEVEL", t(10)));
    assertThat(after.alertsIn("G-SP-WATER")).containsExactly(grown, grown.closed(t(40)));
    assertThat(after.recordIdsIn("G-SP-WATER"))
        .containsExactly(sensorId("WL-S", "WATER_LEVEL", t(10)));
    // the order opened before the stop takes the GRAB sent after it
    assertThat(after.workOrder(WATER_ORDER))
        .containsExactly(
            reported.then("GRABBED", "street:S01", "GRAB@" + t(2) + " street:S01->street:S01"));

    // the smoke seen before the stop meets the camera seen after it
    AlertUpdate fire =
        open(
            "FIRE_CONFIRMED",
            "G-SP-FIRE",
            URGENT,
            t(0),
            t(0),
            1,
            sensorId("SMOKE-S", "SMOKE", t(0)),
            "CAMERA:sp-fire");
    assertThat(before.alertsIn("G-SP-FIRE")).isEmpty();
    assertThat(after.alertsIn("G-SP-FIRE")).containsExactly(fire, fire.closed(t(30)));
    // and the other smoke's five minutes, begun before the stop, end after it
    AlertUpdate suspected =
        open(
            "FIRE_SUSPECTED",
            "G-SP-SUSPECT",
            IMPORTANT,
            t(0),
            t(0),
            1,
            sensorId("SMOKE-T", "SMOKE", t(0)));
    assertThat(before.alertsIn("G-SP-SUSPECT")).isEmpty();
    assertThat(after.alertsIn("G-SP-SUSPECT")).containsExactly(suspected, suspected.closed(t(30)));

    // no alert update twice across the two runs
    List<Alert> all = new ArrayList<>(before.alerts());
    all.addAll(after.alerts());
    assertThat(all)
        .extracting(a -> a.getAlertId() + "#" + a.getCount() + "#" + a.getStatus())
        .doesNotHaveDuplicates();
    assertThat(before.deadLetters()).isEmpty();
    assertThat(after.deadLetters()).isEmpty();
  }
}
