package org.gridfusion.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridfusion.jobs.Records.BEGINNING;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.gridfusion.jobs.Records;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.Test;

class RuleSetTest {
  private final RuleSet defaults = RuleSet.defaults();

  private ThresholdRule rule(String id) {
    return defaults.thresholds().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void waterloggingAtAndBelowItsThresholdsAndEscalation() {
    ThresholdRule w = rule("WATERLOGGING");
    assertThat(w.evaluate(Records.sensor("WATER_LEVEL", 29.9, BEGINNING, "G"))).isNull();
    assertThat(w.evaluate(Records.sensor("WATER_LEVEL", 30, BEGINNING, "G"))).isEqualTo(Severity.IMPORTANT);
    assertThat(w.evaluate(Records.sensor("WATER_LEVEL", 49.9, BEGINNING, "G"))).isEqualTo(Severity.IMPORTANT);
    assertThat(w.evaluate(Records.sensor("WATER_LEVEL", 50, BEGINNING, "G"))).isEqualTo(Severity.URGENT);
    assertThat(w.evaluate(Records.sensor("GAS", 80, BEGINNING, "G"))).isNull();
  }

  @Test
  void manholeAndFallThresholds() {
    assertThat(rule("MANHOLE_DISPLACED").evaluate(Records.sensor("MANHOLE_TILT", 14.99, BEGINNING, "G"))).isNull();
    assertThat(rule("MANHOLE_DISPLACED").evaluate(Records.sensor("MANHOLE_TILT", 15, BEGINNING, "G"))).isEqualTo(Severity.IMPORTANT);
    assertThat(rule("FALL_DETECTED").evaluate(Records.camera("FALL_DETECTED", 0.69, BEGINNING, "G"))).isNull();
    assertThat(rule("FALL_DETECTED").evaluate(Records.camera("FALL_DETECTED", 0.7, BEGINNING, "G"))).isEqualTo(Severity.IMPORTANT);
  }

  @Test
  void anInvalidRuleSetNamesTheRuleAndField() {
    String yaml = """
        version: v2
        rules:
          - id: WATERLOGGING
            kind: threshold
            match: {source: SENSOR, type: WATER_LEVEL}
            field: value
            atLeast: high
            severity: URGENT
        """;
    assertThatThrownBy(() -> RuleSet.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "r.yaml"))
        .isInstanceOf(RuleSet.InvalidRuleSet.class)
        .hasMessageContaining("rule #1 (WATERLOGGING)")
        .hasMessageContaining("atLeast");
  }
}
