package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.GENERAL;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.devices.FeedWatch;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.SensorReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DEVICE_OFFLINE} (contract §10) on the real job, with sensors and cameras allowed ten
 * minutes of silence and a two-minute grace for the feed's verdict. One thermometer of four falls
 * silent for twenty minutes: one GENERAL alert, dated when its silence passed ten minutes, CLOSED
 * when it reports again. Four cameras of five (the camera platform) fall silent together: one alert
 * for the feed, gridId {@code *}, naming the four, closed once most are back, and no alert per
 * camera. Neither opens a work order.
 *
 * <p>Partitions that resume after a silence first wait for the alert about it, as live traffic
 * would long after the watermark passed the outage; a partition holds event time where it waits, so
 * the devices that keep reporting share a partition with the ones that stop.
 */
class DeviceOfflineITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(79);

  static final District DISTRICT =
      District.builder()
          .grid("G-A", "BASIC", 1000)
          .sensor("TEMP-A", "TEMPERATURE")
          .sensor("TEMP-B", "TEMPERATURE")
          .camera("CAM-1")
          .camera("CAM-2")
          .grid("G-B", "BASIC", 1000)
          .sensor("TEMP-C", "TEMPERATURE")
          .sensor("TEMP-D", "TEMPERATURE")
          .camera("CAM-3")
          .camera("CAM-4")
          .camera("CAM-5")
          .build();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static SensorReading temp(String device, int minute) {
    return sensor(device, "TEMPERATURE", 21, t(minute));
  }

  static CameraEvent parked(String camera, int minute) {
    return camera(camera + "-" + minute, camera, "ILLEGAL_PARKING", t(minute), 0.9);
  }

  static Script.Condition alerted(String gridId) {
    return o -> o.alerts().stream().anyMatch(a -> a.getGridId().equals(gridId));
  }

  @Test
  void aSilentDeviceIsOneAlertClosedWhenItReportsAndASilentFeedIsOneAlertForTheFeed(
      @TempDir Path dir) throws Exception {
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    // TEMP-A reports every minute to t10, is silent to t30, then reports again; TEMP-B throughout
    List<SensorReading> before = new ArrayList<>();
    List<SensorReading> after = new ArrayList<>();
    for (int m = 0; m <= 78; m++) {
      if (m <= 10) before.add(temp("TEMP-A", m));
      if (m >= 30) after.add(temp("TEMP-A", m));
      (m < 30 ? before : after).add(temp("TEMP-B", m));
    }
    in.sensors("a-and-b")
        .emit(before)
        .await("TEMP-A's outage is raised", alerted("G-A"))
        .emit(after);
    List<SensorReading> others = new ArrayList<>();
    for (int m = 0; m <= 78; m++) {
      others.add(temp("TEMP-C", m));
      others.add(temp("TEMP-D", m));
    }
    in.sensors("c-and-d").emit(others);

    // the cameras every two minutes; CAM-1..4 silent from t40 to t70, CAM-5 throughout
    List<CameraEvent> camerasBefore = new ArrayList<>();
    List<CameraEvent> camerasAfter = new ArrayList<>();
    for (int m = 0; m <= 78; m += 2) {
      for (String c : List.of("CAM-1", "CAM-2", "CAM-3", "CAM-4"))
        if (m <= 40 || m >= 70) (m <= 60 ? camerasBefore : camerasAfter).add(parked(c, m));
      (m <= 60 ? camerasBefore : camerasAfter).add(parked("CAM-5", m));
    }
    in.cameras("cameras")
        .emit(camerasBefore)
        .await("the feed's outage is raised", alerted(FeedWatch.FEED_GRID))
        .emit(camerasAfter);

    FusionJob.Settings settings =
        FusionJob.Settings.from(
            FusionJobRun.config(DISTRICT.write(dir))
                .with(GridFusionOptions.DEVICES_OFFLINE_ENABLED, "true")
                .with(GridFusionOptions.DEVICES_OFFLINE_AFTER, "CAMERA=10m,SENSOR=10m")
                .with(GridFusionOptions.DEVICES_FEED_GRACE, "2m"));
    CollectedOutputs out = FusionJobRun.run(CLUSTER, "device-offline", settings, in, END);

    AlertUpdate device =
        new AlertUpdate(
            "DEVICE_OFFLINE.G-A.TEMP-A." + t(20).toEpochMilli(),
            "DEVICE_OFFLINE",
            FeedWatch.RULE_VERSION,
            GENERAL,
            "OPEN",
            t(20),
            t(20),
            1,
            List.of(sensorId("TEMP-A", "TEMPERATURE", t(10))),
            null,
            null);
    assertThat(out.alertsIn("G-A")).containsExactly(device, device.closed(t(30)));

    AlertUpdate feed =
        new AlertUpdate(
            "DEVICE_OFFLINE.*.CAMERA." + t(50).toEpochMilli(),
            "DEVICE_OFFLINE",
            FeedWatch.RULE_VERSION,
            GENERAL,
            "OPEN",
            t(50),
            t(50),
            4,
            List.of("CAMERA:CAM-1-40", "CAMERA:CAM-2-40", "CAMERA:CAM-3-40", "CAMERA:CAM-4-40"),
            null,
            null);
    assertThat(out.alertsIn(FeedWatch.FEED_GRID)).containsExactly(feed, feed.closed(t(70)));

    // while TEMP-A is offline, a quarter of G-A's four registered devices is unobserved: its blind
    // spot (risk.weights.blindSpot 12 x 1/4), not alert points, in the grid's factors
    List<CollectedOutputs.RiskPoint> blind =
        out.riskOf("G-A").stream()
            .filter(p -> p.factors().contains("blind:devicesOffline=3.0"))
            .toList();
    assertThat(blind).isNotEmpty();
    assertThat(blind).allSatisfy(p -> assertThat(p.ts()).isAfterOrEqualTo(t(20)).isBefore(t(31)));
    assertThat(out.riskOf("G-A"))
        .flatExtracting(CollectedOutputs.RiskPoint::factors)
        .noneMatch(f -> f.startsWith("alert:DEVICE_OFFLINE"));

    // nothing else: no alert per camera, and GENERAL device alerts open no work order
    assertThat(out.alerts()).extracting(Alert::getGridId).containsOnly("G-A", "*");
    assertThat(out.workOrders()).isEmpty();
    assertThat(out.riskOf(FeedWatch.FEED_GRID)).isEmpty();
  }
}
