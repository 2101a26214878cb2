package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.IMPORTANT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.schema.SensorReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reading hovering around a threshold (contract §5: an alert stays one alert while its rule keeps
 * firing): a water level of 29, 31, 29, 31, ... cm every minute around WATERLOGGING's 30 keeps one
 * alert open — same {@code alertId}, {@code count} growing with each 31, one work order — and the
 * readings below the threshold in between do not close it; it closes only 30 quiet minutes after
 * the last 31. A 31 after that quiet is a new alert.
 */
class FlappingITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(70);

  static final District DISTRICT =
      District.builder().grid("G-FLAP", "BASIC", 1000).sensor("WL-F", "WATER_LEVEL").build();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static String reading(int minute) {
    return sensorId("WL-F", "WATER_LEVEL", t(minute));
  }

  @Test
  void aReadingFlappingAroundTheThresholdIsOneAlertThatClosesOnlyAfterItsQuiet(@TempDir Path dir)
      throws Exception {
    List<SensorReading> readings = new ArrayList<>();
    for (int m = 0; m <= 55; m++) {
      boolean above = m <= 20 && m % 2 == 1; // 29, 31, 29, 31, ... to t20, then 29 only
      readings.add(sensor("WL-F", "WATER_LEVEL", above ? 31 : 29, t(m)));
    }
    readings.add(sensor("WL-F", "WATER_LEVEL", 31, t(56))); // 37 minutes after the last 31
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.sensors("water").emit(readings);

    CollectedOutputs out =
        FusionJobRun.run(CLUSTER, "flapping", FusionJobRun.settings(DISTRICT.write(dir)), in, END);

    List<AlertUpdate> expected = new ArrayList<>();
    AlertUpdate flapping = open("WATERLOGGING", "G-FLAP", IMPORTANT, t(1), t(1), 1, reading(1));
    expected.add(flapping);
    for (int m = 3; m <= 19; m += 2) {
      flapping = flapping.grown(IMPORTANT, t(m), reading(m));
      expected.add(flapping);
    }
    expected.add(flapping.closed(t(49)));
    expected.add(open("WATERLOGGING", "G-FLAP", IMPORTANT, t(56), t(56), 1, reading(56)));
    assertThat(out.alertsIn("G-FLAP")).containsExactlyElementsOf(expected);
    assertThat(flapping.count()).isEqualTo(10);
    // one order per alert: the flapping reading opened one, the later one a second
    assertThat(out.orderIds())
        .containsExactlyInAnyOrder(
            "WO.WATERLOGGING.G-FLAP." + t(1).toEpochMilli(),
            "WO.WATERLOGGING.G-FLAP." + t(56).toEpochMilli());
  }
}
