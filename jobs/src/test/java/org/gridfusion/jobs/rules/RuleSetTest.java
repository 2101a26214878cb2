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

  static final String WITH_OVERRIDES =
      """
      version: city-1
      rules:
        - id: CROWD_GATHERING
          kind: count
          match: {source: CAMERA, type: CROWD, field: objectCount, atLeast: 50}
          count: 3
          within: 10m
          severity: IMPORTANT
          overrides:
            - for: {gridKind: MARKET}
              set: {match: {atLeast: 120}, count: 4}
            - for: {gridId: [G-SQUARE]}
              set: {count: 2, severity: URGENT}
      """;

  @Test
  void overridesSetARulesParametersPerGridKindAndPerGridTheGridWinning() {
    RuleSet set = RuleSet.parse(WITH_OVERRIDES, "city.yaml");
    Rule.Count base = (Rule.Count) set.rulesFor("G-1", "BASIC").get(0);
    assertThat(base.count()).isEqualTo(3);
    assertThat(base.match().atLeast()).isEqualTo(50.0);
    Rule.Count market = (Rule.Count) set.rulesFor("G-MKT", "MARKET").get(0);
    assertThat(market.count()).isEqualTo(4);
    assertThat(market.match().atLeast()).isEqualTo(120.0);
    assertThat(market.match().field()).as("the rest of match is kept").isEqualTo("objectCount");
    assertThat(market.within()).isEqualTo(base.within());
    Rule.Count square = (Rule.Count) set.rulesFor("G-SQUARE", "MARKET").get(0);
    assertThat(square.count()).isEqualTo(2);
    assertThat(square.match().atLeast())
        .as("the grid's own override, not its kind's")
        .isEqualTo(50.0);
    assertThat(square.severity().name()).isEqualTo("URGENT");
    assertThat(set.rules()).hasSize(1);
  }

  @Test
  void aBadOverrideIsRefusedNamingItsField() {
    assertThatThrownBy(
            () -> RuleSet.parse(WITH_OVERRIDES.replace("count: 4", "count: 0"), "city.yaml"))
        .hasMessageContaining("rule #1 (CROWD_GATHERING) overrides[0], field 'count'");
    assertThatThrownBy(
            () -> RuleSet.parse(WITH_OVERRIDES.replace("gridKind: MARKET", "gridKind: MALL"), "c"))
        .hasMessageContaining("overrides[0].for.gridKind");
    assertThatThrownBy(
            () -> RuleSet.parse(WITH_OVERRIDES.replace("{count: 2,", "{id: X, count: 2,"), "c"))
        .hasMessageContaining("overrides[1].set.id': cannot be overridden");
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
