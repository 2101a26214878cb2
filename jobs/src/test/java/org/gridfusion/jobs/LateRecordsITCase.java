package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.IMPORTANT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records delivered more than the allowed hour late (a link that held them back): each is stored in
 * gf.records, counted in the rule operator's {@code lateRecords}, and opens no second alert for an
 * incident already raised — neither for one already closed (the late firing is absorbed, counted in
 * {@code lateFirings}) nor for one still open (it grows that alert).
 */
class LateRecordsITCase {
  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(METRICS.addToConfiguration(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(FusionJobRun.PARALLELISM)
              .build());

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(120);

  static final District DISTRICT =
      District.builder()
          .grid("G-CLOSED", "BASIC", 1000)
          .sensor("WL-C", "WATER_LEVEL")
          .grid("G-OPEN", "BASIC", 1000)
          .sensor("WL-O", "WATER_LEVEL")
          .grid("G-MARK", "BASIC", 1000)
          .sensor("WL-M", "WATER_LEVEL")
          .sensor("TEMP-M", "TEMPERATURE")
          .build();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static String reading(String device, int minute) {
    return sensorId(device, "WATER_LEVEL", t(minute));
  }

  /** The marker's alert closes 30 minutes after 09:00: event time is past 09:30 everywhere. */
  static boolean eventTimePastNineThirty(CollectedOutputs o) {
    return o.hasAlert(a -> a.getGridId().equals("G-MARK") && a.getStatus().equals("CLOSED"));
  }

  @Test
  void aRecordHoursLateIsStoredCountedAndOpensNoSecondAlert(@TempDir Path dir) throws Exception {
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    // an incident over by 08:40 (its alert closed when event time passes it)
    in.sensors("closed")
        .emit(
            sensor("WL-C", "WATER_LEVEL", 35, t(0)),
            sensor("WL-C", "WATER_LEVEL", 35, t(10)),
            sensor("WL-C", "WATER_LEVEL", 0, t(110)));
    // an incident open from 08:00 to the end of the run (a reading over the threshold every 20
    // minutes)
    in.sensors("open")
        .emit(
            sensor("WL-O", "WATER_LEVEL", 35, t(0)),
            sensor("WL-O", "WATER_LEVEL", 35, t(20)),
            sensor("WL-O", "WATER_LEVEL", 35, t(40)),
            sensor("WL-O", "WATER_LEVEL", 35, t(60)),
            sensor("WL-O", "WATER_LEVEL", 35, t(80)),
            sensor("WL-O", "WATER_LEVEL", 35, t(100)),
            sensor("WL-O", "WATER_LEVEL", 0, t(110)));
    in.sensors("mark").emit(sensor("WL-M", "WATER_LEVEL", 35, t(60)));
    // the late link: first its own event time moves on (or it would hold the job's back), then,
    // once event time is past 09:30, it delivers readings from 08:05 and 08:25 — more than the
    // allowed hour behind
    in.sensors("late")
        .emit(sensor("TEMP-M", "TEMPERATURE", 21, t(110)))
        .await("event time past 09:30", LateRecordsITCase::eventTimePastNineThirty)
        .emit(sensor("WL-C", "WATER_LEVEL", 40, t(5)), sensor("WL-O", "WATER_LEVEL", 40, t(25)));

    CollectedOutputs out =
        FusionJobRun.run(
            CLUSTER, "late-records", FusionJobRun.settings(DISTRICT.write(dir)), in, END);

    // stored
    assertThat(out.hasRecord(reading("WL-C", 5))).isTrue();
    assertThat(out.hasRecord(reading("WL-O", 25))).isTrue();

    // the closed incident: its two updates and its close, nothing after
    AlertUpdate closed =
        open("WATERLOGGING", "G-CLOSED", IMPORTANT, t(0), t(0), 1, reading("WL-C", 0));
    AlertUpdate grown = closed.grown(IMPORTANT, t(10), reading("WL-C", 10));
    assertThat(out.alertsIn("G-CLOSED")).containsExactly(closed, grown, grown.closed(t(40)));

    // the open incident: one alert, the late reading among its evidence and in its count
    List<AlertUpdate> open = out.alertsIn("G-OPEN");
    assertThat(open).extracting(AlertUpdate::alertId).containsOnly(open.get(0).alertId());
    AlertUpdate last = open.get(open.size() - 1);
    assertThat(last.status()).isEqualTo("OPEN");
    assertThat(last.count()).isEqualTo(7);
    assertThat(last.evidence()).contains(reading("WL-O", 25));

    // one work order per incident, none for the late readings
    assertThat(out.orderIds())
        .containsExactlyInAnyOrder(
            "WO.WATERLOGGING.G-CLOSED." + t(0).toEpochMilli(),
            "WO.WATERLOGGING.G-OPEN." + t(0).toEpochMilli(),
            "WO.WATERLOGGING.G-MARK." + t(60).toEpochMilli());

    // counted: both readings as late records, the closed incident's as a late firing absorbed
    assertThat(counted("lateRecords")).isEqualTo(2);
    assertThat(counted("lateFirings")).isEqualTo(1);
  }

  /** A counter summed over every subtask of the run. */
  private static long counted(String name) {
    long sum = 0;
    for (Map<String, Metric> metrics : METRICS.getMetricsByGroup().values()) {
      if (metrics.get(name) instanceof Counter c) sum += c.getCount();
    }
    return sum;
  }
}
