package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.IMPORTANT;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.SharedRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules changed while the job runs (README "Rules"): a rule set on the rule stream lowers the
 * WATERLOGGING threshold and takes effect without a restart, alerts name the version that raised
 * them, and a rule set that does not parse is dead-lettered once ({@code INVALID_RULE_SET}) while
 * the set in force stays.
 *
 * <p>The rule stream and the records reach the rule operator on different paths. The readings after
 * the change wait until the broken set that followed the new one has been dead-lettered: the rule
 * operator's first subtask reports a refused set, and it applies the sets in the order they came,
 * so by then it has the new one. The test's grid is one that subtask evaluates.
 */
class RuleChangeITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(90);

  /** A grid the rule operator's subtask 0 evaluates (keyed by gridId, parallelism 2). */
  static final String GRID =
      Stream.of("G-RULES", "G-RULES-1", "G-RULES-2", "G-RULES-3")
          .filter(
              g ->
                  KeyGroupRangeAssignment.assignKeyToParallelOperator(
                          g,
                          KeyGroupRangeAssignment.computeDefaultMaxParallelism(
                              FusionJobRun.PARALLELISM),
                          FusionJobRun.PARALLELISM)
                      == 0)
          .findFirst()
          .orElseThrow();

  static final String LOWERED =
      RuleSet.defaults()
          .source()
          .replace("version: default-1", "version: lowered-1")
          .replace(
              "{source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 30}",
              "{source: SENSOR, type: WATER_LEVEL, field: value, atLeast: 20}");

  static final String BROKEN =
      "version: broken-1\nrules:\n  - id: WATERLOGGING\n    kind: threshold\n";

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /**
   * Plays the class's one job run before its first test (the extension makes its cluster the
   * context of tests only, not of {@code @BeforeAll}).
   */
  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    District district =
        District.builder().grid(GRID, "BASIC", 1000).sensor("WL-R", "WATER_LEVEL").build();
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.sensors("water")
        // under the defaults: 25 cm is nothing, 31 cm is waterlogging
        .emit(sensor("WL-R", "WATER_LEVEL", 25, t(0)), sensor("WL-R", "WATER_LEVEL", 31, t(1)))
        .await("the broken rule set refused", RuleChangeITCase::brokenSetRefused)
        // under the lowered threshold: 25 cm grows the open incident, and later opens another
        .emit(sensor("WL-R", "WATER_LEVEL", 25, t(2)), sensor("WL-R", "WATER_LEVEL", 25, t(40)));
    in.ruleSets()
        .await("the defaults judged the first readings", o -> !o.alerts().isEmpty())
        .emit(LOWERED, BROKEN);
    out =
        FusionJobRun.run(
            CLUSTER, "rule-change", FusionJobRun.settings(district.write(dir)), in, END);
  }

  static boolean brokenSetRefused(CollectedOutputs o) {
    return o.deadLetters().stream()
        .anyMatch(d -> d.path("reason").asText().equals("INVALID_RULE_SET"));
  }

  @Test
  void aLoweredThresholdAppliesWithoutRestartAndAlertsNameTheVersionThatRaisedThem() {
    AlertUpdate under1 =
        open("WATERLOGGING", GRID, IMPORTANT, t(1), t(1), 1, sensorId("WL-R", "WATER_LEVEL", t(1)));
    AlertUpdate grown =
        under1.grown(IMPORTANT, t(2), sensorId("WL-R", "WATER_LEVEL", t(2))).version("lowered-1");
    AlertUpdate next =
        open(
                "WATERLOGGING",
                GRID,
                IMPORTANT,
                t(40),
                t(40),
                1,
                sensorId("WL-R", "WATER_LEVEL", t(40)))
            .version("lowered-1");
    assertThat(out.alertsIn(GRID))
        .containsExactly(under1, grown, grown.closed(t(32)), next, next.closed(t(70)));
  }

  @Test
  void aBrokenRuleSetIsDeadLetteredOnceAndTheSetInForceStays() {
    assertThat(out.deadLetters()).hasSize(1);
    JsonNode letter = out.deadLetters().get(0);
    assertThat(letter.path("source").asText()).isEqualTo("command");
    assertThat(letter.path("reason").asText()).isEqualTo("INVALID_RULE_SET");
    assertThat(letter.path("detail").asText()).startsWith("gf.rules: rule #1 (WATERLOGGING)");
    assertThat(letter.path("payload").asText()).isEqualTo(BROKEN);
    assertThat(letter.path("origin").asText()).isEqualTo("gf.rules");
    // nothing raised after it names the broken version: the lowered set stayed in force
    assertThat(out.alerts()).extracting(a -> a.getRuleVersion()).doesNotContain("broken-1");
  }
}
