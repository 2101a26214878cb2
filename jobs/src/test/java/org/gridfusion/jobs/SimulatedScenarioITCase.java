package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.scenario.ScenarioParser;
import org.gridfusion.simulator.scenario.ScenarioPlan;
import org.gridfusion.simulator.scenario.ScenarioPlanner;
import org.gridfusion.simulator.scenario.ScenarioStep;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's shipped {@code default-rules} scenario — what {@code gridfusion simulate run
 * --scenario default-rules} plays and {@code gridfusion evaluate} judges — on the real job: every
 * alert the scenario expects is raised exactly once, with its rule, grid, severity and first
 * firing, and no other alert of the rules it speaks about is raised anywhere (its near misses
 * included). So the simulator's idea of the rules and the rules themselves cannot drift apart
 * unnoticed.
 *
 * <p>The scenario's inputs are read as the connectors read them ({@link InputParsers}), in its
 * generated district. Each step plays on partitions of its own, as the player sends it: department
 * records first, the step's other inputs once those are on gf.records (the player waits for the
 * inbox).
 */
class SimulatedScenarioITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  /** The wall-clock "now" the scenario is planned at (it starts five days earlier, at 20:00). */
  static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

  @Test
  void everyExpectedAlertExactlyOnceAndNoOther(@TempDir Path dir) throws Exception {
    District district =
        DistrictGenerator.generate(
            DistrictSpec.small(7).withAsOf(Instant.parse("2026-11-24T00:00:00Z")));
    district.writeTo(dir);
    ScenarioPlan plan =
        ScenarioPlanner.plan(ScenarioParser.builtIn(ScenarioParser.DEFAULT_RULES), district, NOW);

    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    InputParsers parsers = new InputParsers(new TimeWindow(Duration.ZERO, Duration.ofDays(3650)));
    int step = 0;
    for (ScenarioStep s : plan.steps()) {
      // each step on partitions of its own: a step's inputs are in event-time order, but steps
      // overlap in time (a vendor seen over 48 minutes, a fire a few minutes into them), and one
      // partition for all would deliver some inputs long behind the watermark
      String name = "step " + step++ + " (" + s.label() + ")";
      List<String> context = new ArrayList<>();
      for (TrafficItem i : s.items()) {
        if (i.source() != TrafficSource.DEPARTMENT) continue;
        DepartmentRecord d = ok(parsers.departmentRecord(json(i.payload()), at(i), "scenario"));
        in.departments(name).emit(d);
        context.add("DEPARTMENT:" + d.getRecordId());
      }
      List<SensorReading> readings = new ArrayList<>();
      List<CameraEvent> events = new ArrayList<>();
      for (TrafficItem i : s.items()) {
        if (i.source() == TrafficSource.SENSOR) {
          readings.add(ok(parsers.sensorReading(i.topic(), i.payload(), at(i))));
        } else if (i.source() == TrafficSource.CAMERA) {
          events.add(ok(parsers.cameraEvent(json(i.payload()), at(i))));
        }
      }
      // as the player waits for the inbox: the step's department records first, then the rest
      Script.Condition contextIn = o -> context.stream().allMatch(o::hasRecord);
      if (!readings.isEmpty())
        in.sensors(name).await(name + ": its records are in", contextIn).emit(readings);
      if (!events.isEmpty())
        in.cameras(name).await(name + ": its records are in", contextIn).emit(events);
    }

    ReferenceFiles reference = FusionJobRun.referenceFilesIn(dir, Duration.ofHours(1));
    CollectedOutputs out =
        FusionJobRun.run(
            CLUSTER,
            "simulated-scenario",
            FusionJobRun.settings(reference),
            in,
            plan.to().plus(Duration.ofMinutes(10)));

    Set<String> judged = new TreeSet<>();
    plan.steps()
        .forEach(
            s -> {
              s.expected().ifPresent(t -> judged.add(t.ruleId()));
              judged.addAll(s.mustNotRaise());
            });
    List<String> expected = AlertLines.expected(plan);
    // each alert as it ended: the highest severity it reached
    Map<String, Alert> alerts = new LinkedHashMap<>();
    for (Alert a : out.alerts()) if (judged.contains(a.getRuleId())) alerts.put(a.getAlertId(), a);
    List<String> raised = AlertLines.raised(alerts.values());
    assertThat(raised).containsExactlyElementsOf(expected);
    assertThat(expected).hasSize(15);
    // every input accepted; the run's clock is no device of this district (harmless: its reading
    // drives the watermark at the source, before it is refused)
    assertThat(out.deadLetters())
        .extracting(d -> d.path("reason").asText() + " " + d.path("detail").asText())
        .containsExactly("UNKNOWN_DEVICE sensor CLOCK-1 is not in the device registry");
  }

  private static long at(TrafficItem i) {
    return i.eventTime().toEpochMilli(); // received when it happened
  }

  private static <T> T ok(Parsed<T> parsed) {
    if (parsed instanceof Parsed.Ok<T> ok) return ok.value();
    throw new AssertionError("the scenario holds an input the connectors refuse: " + parsed);
  }

  private static JsonNode json(String text) {
    return ok(InputParsers.json(text));
  }
}
