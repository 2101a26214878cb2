package org.gridfusion.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleSetTest {
  @Test
  void theDefaultsAreTheTenContractRules() {
    RuleSet d = RuleSet.defaults();
    assertThat(d.rules())
        .extracting(Rule::id)
        .containsExactlyInAnyOrder(
            "FIRE_CONFIRMED",
            "GAS_LEAK",
            "WATERLOGGING",
            "MANHOLE_DISPLACED",
            "CROWD_GATHERING",
            "ELDERLY_INACTIVE",
            "NIGHT_NOISE",
            "STREET_VENDING",
            "FALL_DETECTED");
    assertThat(d.rules())
        .filteredOn(r -> r instanceof Rule.CoOccurrence)
        .singleElement()
        .extracting(r -> ((Rule.CoOccurrence) r).unmatched().id())
        .isEqualTo("FIRE_SUSPECTED");
  }

  @Test
  void errorsNameTheRuleTheFieldAndTheReason() {
    assertThatThrownBy(
            () ->
                RuleSet.parse(
                    """
        version: v2
        rules:
          - id: WATERLOGGING
            kind: threshold
            match: {source: SENSOR, type: WATER_LEVEL, field: value, atLeast: high}
            severity: URGENT
        """,
                    "r.yaml"))
        .isInstanceOf(RuleSet.InvalidRuleSet.class)
        .hasMessage(
            "r.yaml: rule #1 (WATERLOGGING), field 'match.atLeast': must be a number, got \"high\"");
    assertThatThrownBy(
            () ->
                RuleSet.parse(
                    """
        version: v2
        rules:
          - {id: A, kind: count, match: {source: CAMERA, type: CROWD}, count: 3, within: soon, severity: GENERAL}
        """,
                    "r.yaml"))
        .hasMessageContaining("rule #1 (A), field 'within'");
    assertThatThrownBy(
            () ->
                RuleSet.parse(
                    """
        version: v2
        rules:
          - {id: A, kind: threshold, match: {source: SENSOR, type: GAS, field: value, atLeast: 1}, severity: LOUD}
        """,
                    "r.yaml"))
        .hasMessageContaining("field 'severity'")
        .hasMessageContaining("LOUD");
    assertThatThrownBy(() -> RuleSet.parse("rules: []", "r.yaml"))
        .hasMessageContaining("'version' is required");
    assertThatThrownBy(
            () ->
                RuleSet.parse(
                    "version: x\nrules:\n - {id: A, kind: magic, severity: GENERAL}", "r.yaml"))
        .hasMessageContaining("field 'kind'");
  }
}
