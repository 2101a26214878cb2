package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules changed while the job runs: a new threshold takes effect, a broken set is refused. */
@ExtendWith(EmbeddedStackExtension.class)
class RuleChangeITCase {
  private TestPipeline gf;

  @AfterEach
  void restoreDefaults() throws Exception {
    if (gf != null)
      RulePublisher.publish(gf.stack.kafka(), RuleSet.defaults().source(), "defaults");
  }

  @Test
  void aLowerWaterloggingThresholdAppliesWithoutRestart() throws Exception {
    gf = TestPipeline.get();
    // a grid without an open WATERLOGGING incident: one there would take this firing in, under its
    // own rule version
    Set<String> open = gf.gridsWithOpenAlerts("WATERLOGGING");
    List<Device> gauges = gf.district.sensors(SensorType.WATER_LEVEL);
    Device sensor =
        IntStream.range(0, gauges.size())
            .mapToObj(i -> gauges.get((i + 2) % gauges.size()))
            .filter(d -> !open.contains(d.gridId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError("every water gauge's grid has an open WATERLOGGING alert"));
    String lowered =
        RuleSet.defaults()
            .source()
            .replace("version: default-1", "version: it-lowered")
            .replace(
                "{source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 30}",
                "{source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 20}");
    RulePublisher.publish(gf.stack.kafka(), lowered, "lowered.yaml");

    String query =
        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\"WATERLOGGING\"}},{\"term\":{\"gridId\":\""
            + sensor.gridId()
            + "\"}},{\"term\":{\"ruleVersion\":\"it-lowered\"}}]}}}";
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long hits = 0;
    while (hits == 0 && System.nanoTime() < deadline) {
      gf.reading("WATER_LEVEL", sensor.deviceId(), 25, Instant.now()); // below the default 30
      Thread.sleep(2000);
      ElasticsearchProbe.refresh(gf.stack.elasticsearchUrl(), "gf-alerts");
      hits = ElasticsearchProbe.search(gf.stack.elasticsearchUrl(), "gf-alerts", query).total();
    }
    assertThat(hits)
        .as("an alert raised under the lowered threshold, naming its rule version")
        .isEqualTo(1);
  }

  @Test
  void aBrokenRuleSetIsRefusedByTheJobAndReported() throws Exception {
    gf = TestPipeline.get();
    RulePublisher.publishUnchecked(
        gf.stack.kafka(),
        "version: it-broken\nrules:\n  - id: WATERLOGGING\n    kind: threshold\n");
    var letters =
        KafkaProbe.readUntil(
            gf.stack.kafkaBootstrap(),
            Topics.DEADLETTER,
            rs ->
                rs.stream()
                    .map(KafkaProbe::text)
                    .anyMatch(t -> t.contains("INVALID_RULE_SET") && t.contains("it-broken")),
            Duration.ofSeconds(45));
    String letter =
        letters.stream()
            .map(KafkaProbe::text)
            .filter(t -> t.contains("it-broken"))
            .findFirst()
            .orElseThrow();
    assertThat(letter).contains("rule #1 (WATERLOGGING)").contains("\"source\":\"command\"");
    // the defaults stay in force: a reading of 30 is still an alert, one of 25 is not
    Device sensor =
        gf.district
            .sensors(SensorType.WATER_LEVEL)
            .get(3 % gf.district.sensors(SensorType.WATER_LEVEL).size());
    gf.reading("WATER_LEVEL", sensor.deviceId(), 31, Instant.now());
    assertThat(
            gf.awaitAlerts("WATERLOGGING", sensor.gridId())
                .sources()
                .get(0)
                .get("ruleVersion")
                .asText())
        .isNotEqualTo("it-broken");
  }
}
