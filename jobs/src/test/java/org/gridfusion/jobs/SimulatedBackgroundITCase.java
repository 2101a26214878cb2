package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.simulator.district.ContextRecord;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.TrafficConfig;
import org.gridfusion.simulator.traffic.TrafficGenerator;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code demo} starts with, on the real job: a generated district whose elderly residents were
 * registered one to twenty days before the pipeline starts listening, then thirty hours of the
 * simulator's background traffic. No resident raises {@code ELDERLY_INACTIVE} — not at the start
 * (their registrations are old, but silence counts only from what was observed, contract §10) and
 * not later (their doors report on their households' day) — except the one whose door the test
 * silences after its last report in the first six hours: that one is raised exactly a day after
 * that report. The door is also DEVICE_OFFLINE after its 12 h allowance; background traffic raises
 * no other alert: none of its devices is silent past its allowance.
 */
class SimulatedBackgroundITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  /** When the pipeline starts listening: 08:00 in the district. */
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  static final Instant SILENCED_AFTER = START.plus(Duration.ofHours(6));
  static final Instant END = START.plus(Duration.ofHours(30));

  @Test
  void backgroundTrafficRaisesNoInactivityOnlyTheSilencedDoorDoes(@TempDir Path dir)
      throws Exception {
    District district = DistrictGenerator.generate(DistrictSpec.small(7).withAsOf(START));
    district.writeTo(dir);
    InputParsers parsers = new InputParsers(new TimeWindow(Duration.ZERO, Duration.ofDays(3650)));

    List<DepartmentRecord> context = new ArrayList<>();
    for (ContextRecord c : district.contextRecords())
      context.add(ok(parsers.departmentRecord(json(c.toJson()), START.toEpochMilli(), "context")));
    List<ContextRecord> elderly = district.contextRecords(ContextRecord.ELDERLY_LIVING_ALONE);
    assertThat(elderly).hasSizeGreaterThan(3);
    ContextRecord silenced = elderly.get(0);
    String silencedDoor = silenced.attributes().get("doorSensorId");

    TrafficConfig config =
        TrafficConfig.defaults(3, START).withRates(0.05, 0.01, 0.002).withShares(0, 0);
    List<SensorReading> readings = new ArrayList<>();
    List<CameraEvent> events = new ArrayList<>();
    List<DepartmentRecord> records = new ArrayList<>();
    Instant lastHeard = null;
    for (TrafficItem i : new TrafficGenerator(district, config).until(END)) {
      long at = i.eventTime().toEpochMilli();
      if (i.source() == TrafficSource.SENSOR) {
        if (i.topic().endsWith("/" + silencedDoor)) {
          if (i.eventTime().isAfter(SILENCED_AFTER)) continue;
          lastHeard = i.eventTime();
        }
        readings.add(ok(parsers.sensorReading(i.topic(), i.payload(), at)));
      } else if (i.source() == TrafficSource.CAMERA) {
        events.add(ok(parsers.cameraEvent(json(i.payload()), at)));
      } else {
        records.add(ok(parsers.departmentRecord(json(i.payload()), at, "traffic")));
      }
    }
    assertThat(lastHeard).as("the silenced door reported in the first six hours").isNotNull();

    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.departments("context").emit(context);
    List<String> contextIds = context.stream().map(d -> "DEPARTMENT:" + d.getRecordId()).toList();
    Script.Condition contextIn = o -> contextIds.stream().allMatch(o::hasRecord);
    in.sensors("sensors").await("the context is in", contextIn).emit(readings);
    in.cameras("cameras").await("the context is in", contextIn).emit(events);
    in.departments("records").await("the context is in", contextIn).emit(records);

    ReferenceFiles reference = FusionJobRun.referenceFilesIn(dir, Duration.ofHours(1));
    // device health on, with its defaults: no background device is silent long enough
    FusionJob.Settings settings =
        FusionJob.Settings.from(
            FusionJobRun.config(reference).with(GridFusionOptions.DEVICES_OFFLINE_ENABLED, "true"));
    CollectedOutputs out = FusionJobRun.run(CLUSTER, "simulated-background", settings, in, END);

    List<String> raised =
        out.alerts().stream()
            .map(Alert::getAlertId)
            .distinct()
            .map(id -> out.alerts().stream().filter(a -> a.getAlertId().equals(id)).findFirst())
            .map(a -> a.orElseThrow())
            .map(a -> a.getRuleId() + " " + a.getGridId() + " " + a.getFirstSeen())
            .toList();
    assertThat(raised)
        // the silenced door: dead to the device watch after its 12 h allowance, the resident
        // inactive after 24 h
        .containsExactlyInAnyOrder(
            "DEVICE_OFFLINE " + silenced.gridId() + " " + lastHeard.plus(Duration.ofHours(12)),
            "ELDERLY_INACTIVE " + silenced.gridId() + " " + lastHeard.plus(Duration.ofHours(24)));
    assertThat(out.records()).hasSizeGreaterThan(readings.size());
  }

  private static <T> T ok(Parsed<T> parsed) {
    if (parsed instanceof Parsed.Ok<T> ok) return ok.value();
    throw new AssertionError("the simulator made an input the connectors refuse: " + parsed);
  }

  private static JsonNode json(String text) {
    return ok(InputParsers.json(text));
  }
}
