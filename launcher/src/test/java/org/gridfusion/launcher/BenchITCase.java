package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.launcher.bench.BenchEndpoints;
import org.gridfusion.launcher.bench.BenchReport;
import org.gridfusion.launcher.bench.EndToEndBench;
import org.gridfusion.launcher.bench.IngressMix;
import org.gridfusion.launcher.bench.ProbeTarget;
import org.gridfusion.launcher.bench.RunResult;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short end-to-end benchmark on the shared test pipeline: a few seconds of traffic through MQTT,
 * HTTP and the inbox with alert probes, then the result file. Checks that the figures are there and
 * that the probes' alerts were found; no figure is held to a target (that is what `bench` reports).
 *
 * <p>Keeping out of the other tests' way: the probes are WATERLOGGING readings of a water gauge in
 * a grid none of the fixed-device tests use (they take the first four gauges), dated two days back
 * — an event-time range no other test uses, so a test that counts a rule's alerts in its own time
 * window never sees them. The background traffic raises no alert (the simulator keeps it below
 * every rule).
 */
@ExtendWith(EmbeddedStackExtension.class)
class BenchITCase {

  @Test
  void aShortRunReportsThroughputLatencyCpuAndHeap(@TempDir Path results) throws Exception {
    TestPipeline gf = TestPipeline.get();
    List<Device> gauges = gf.district.sensors(SensorType.WATER_LEVEL);
    Set<String> taken =
        IntStream.range(0, Math.min(4, gauges.size()))
            .mapToObj(i -> gauges.get(i).gridId())
            .collect(Collectors.toSet());
    // the last such gauge: the furthest from the devices other tests pick by index
    Device gauge =
        IntStream.iterate(gauges.size() - 1, i -> i >= 0, i -> i - 1)
            .mapToObj(gauges::get)
            .filter(d -> !taken.contains(d.gridId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the test district has no water gauge outside the grids other tests use"));

    BenchEndpoints endpoints =
        new BenchEndpoints(
            gf.stack.kafka(),
            gf.pipeline.mqttUrl(),
            TestPipeline.MQTT_USER,
            TestPipeline.MQTT_PASSWORD,
            gf.pipeline.http().url(),
            TestPipeline.TOKEN,
            gf.pipeline.inboxDir(),
            gf.stack.elasticsearch(),
            new PayloadPseudonymiser(TestPipeline.SECRET));
    EndToEndBench bench =
        new EndToEndBench(
            endpoints,
            gf.district,
            List.of(ProbeTarget.waterlogging(gauge.deviceId(), gauge.gridId())),
            // Live event time, as the bench runs: probes dated days back would be late records,
            // whose firings a closed incident absorbs (never a second alert), so only the first
            // would show. The gauge's grid is one no other test uses.
            Duration.ZERO,
            System.out);
    RunResult run =
        bench.run(
            new EndToEndBench.RunSettings(
                40,
                Duration.ofSeconds(8),
                Duration.ofSeconds(2),
                IngressMix.DEFAULT,
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                8));

    BenchReport report =
        BenchReport.of(Instant.now(), Map.of("rate", 40), List.of(run), null, List.of("test"));
    Path file = report.write(results);
    assertThat(file.getFileName().toString())
        .matches("e2e-mqtt70-http20-inbox10-\\d{8}-\\d{6}\\.json");
    JsonNode json = TestPipeline.json(Files.readString(file));
    assertThat(json.path("machine").path("cores").asInt()).isPositive();
    assertThat(json.path("date").asText()).isNotBlank();
    JsonNode r = json.path("runs").get(0);
    assertThat(r.path("offeredPerSecond").asDouble()).isEqualTo(40);
    assertThat(r.path("input").path("acceptedPerSecond").asDouble())
        .as("inputs accepted")
        .isPositive();
    assertThat(r.path("input").path("acceptedPerSecondBySource").path("SENSOR").asDouble())
        .isPositive();
    // reported, but not held to be positive: gf.records commits at checkpoints, and on a machine
    // busy with other builds a short run can end before its first one (the probes' alerts below
    // show that records flowed)
    assertThat(r.path("output").has("recordsPerSecond"))
        .as("records committed to gf.records")
        .isTrue();
    assertThat(r.path("output").path("recordsPerSecond").asDouble()).isNotNegative();
    JsonNode latency = r.path("latency");
    assertThat(latency.path("probesSent").asInt()).isPositive();
    assertThat(latency.path("probesFound").asInt())
        .as("probe alerts found in gf-alerts")
        .isPositive();
    assertThat(latency.path("p50").asLong()).as("event→alert p50").isPositive();
    assertThat(latency.path("p99").asLong()).isGreaterThanOrEqualTo(latency.path("p50").asLong());
    assertThat(latency.path("byRule").has("WATERLOGGING")).isTrue();
    assertThat(r.path("cpu").has("processAvgPercent")).isTrue();
    assertThat(r.path("heap").path("afterGcMaxMib").asLong()).isPositive();
    assertThat(r.path("series").size()).isGreaterThan(5);
    assertThat(r.path("cpu").path("coresByPart").path("flinkJob").asDouble())
        .as("the job's share of the CPU")
        .isPositive();
    assertThat(r.path("cpu").path("coresByPart").has("elasticsearchNode")).isTrue();
    String row = report.markdownRow();
    assertThat(row).startsWith("| ").contains("mqtt70-http20-inbox10").endsWith(" MiB/min |");
    assertThat(row.split("\\|"))
        .as("one cell per header column")
        .hasSize(BenchReport.markdownHeader().split("\n")[0].split("\\|").length);

    Path readme = results.resolve("README.md");
    Files.writeString(
        readme, "| table |\n| old row |\n" + BenchReport.README_MARKER + "\n\nafter\n");
    assertThat(BenchReport.addRowTo(readme, row)).isTrue();
    assertThat(Files.readString(readme))
        .isEqualTo(
            "| table |\n| old row |\n" + row + "\n" + BenchReport.README_MARKER + "\n\nafter\n");
    Path other = results.resolve("OTHER.md");
    Files.writeString(other, "no marker\n");
    assertThat(BenchReport.addRowTo(other, row)).isFalse();
    assertThat(Files.readString(other)).isEqualTo("no marker\n");
  }
}
