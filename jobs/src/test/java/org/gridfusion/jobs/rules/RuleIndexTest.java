package org.gridfusion.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;
import org.junit.jupiter.api.Test;

/** A record is shown the rules of its source and type, in the set's order, and no others. */
class RuleIndexTest {
  private static final RuleIndex DEFAULTS = new RuleIndex(RuleSet.defaults().rules());

  private static Record record(Source source, String type) {
    return Record.newBuilder()
        .setRecordId("r")
        .setSource(source)
        .setType(type)
        .setTs(Instant.parse("2026-11-24T08:00:00Z"))
        .setLat(43.6)
        .setLon(122.2)
        .setGridId("G-1")
        .setGridKind("BASIC")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setAttributes(Map.of())
        .setReceivedAt(Instant.parse("2026-11-24T08:00:00Z"))
        .build();
  }

  @Test
  void eachRecordKindSeesOnlyItsRules() {
    assertThat(DEFAULTS.of(record(Source.SENSOR, "SMOKE")))
        .extracting(Rule::id)
        .containsExactly("FIRE_CONFIRMED");
    assertThat(DEFAULTS.of(record(Source.CAMERA, "FIRE_SMOKE")))
        .extracting(Rule::id)
        .containsExactly("FIRE_CONFIRMED");
    assertThat(DEFAULTS.of(record(Source.SENSOR, "WATER_LEVEL")))
        .extracting(Rule::id)
        .containsExactly("WATERLOGGING");
    assertThat(DEFAULTS.of(record(Source.CAMERA, "CROWD")))
        .extracting(Rule::id)
        .containsExactly("CROWD_GATHERING");
    // an absence rule sees its devices' readings and its subjects' registrations
    assertThat(DEFAULTS.of(record(Source.SENSOR, "DOOR")))
        .extracting(Rule::id)
        .containsExactly("ELDERLY_INACTIVE");
    assertThat(DEFAULTS.of(record(Source.DEPARTMENT, "ELDERLY_LIVING_ALONE")))
        .extracting(Rule::id)
        .containsExactly("ELDERLY_INACTIVE");
    // a kind no rule looks at, and the same type from another source
    assertThat(DEFAULTS.of(record(Source.SENSOR, "TEMPERATURE"))).isEmpty();
    assertThat(DEFAULTS.of(record(Source.CAMERA, "WATER_LEVEL"))).isEmpty();
    assertThat(DEFAULTS.all()).isEqualTo(RuleSet.defaults().rules());
  }

  @Test
  void aWindowKeyNamesItsSharedWindowsMemory() {
    assertThat(DEFAULTS.windowMemory("consecutive/SENSOR/GAS/value/3600000|GAS-7"))
        .isEqualTo(3_600_000L);
    assertThat(DEFAULTS.windowMemory("lasting/SENSOR/NOISE/value/1800000|N-1"))
        .isEqualTo(1_800_000L);
    assertThat(DEFAULTS.windowMemory("count/CAMERA/STREET_VENDING/null/3600000"))
        .isEqualTo(3_600_000L);
    // a co-occurrence side's window, a rule without windows, a rule's window of the old layout
    assertThat(DEFAULTS.windowMemory("FIRE_CONFIRMED#0")).isNull();
    assertThat(DEFAULTS.windowMemory("WATERLOGGING")).isNull();
    assertThat(DEFAULTS.windowMemory("GAS_LEAK|GAS-7")).isNull();
  }

  @Test
  void rulesOfAKindWithTheSameFieldAndMemoryShareOneWindow() {
    RuleIndex city = new RuleIndex(cityGas().rules());
    RuleIndex.Kind gas = city.kind(gas(0));
    assertThat(gas.windows()).hasSize(1);
    assertThat(gas.windows()[0].rules()).hasSize(3);
    assertThat(gas.windows()[0].capacity()).as("the longest run any rule judges").isEqualTo(8);
  }

  @Test
  void aReadingIsJudgedOnlyByTheRulesWhoseThresholdItReachesInTheSetsOrder() {
    RuleIndex.Kind gas = new RuleIndex(cityGas().rules()).kind(gas(0));
    assertThat(gas.candidates(gas(19.9))).isEmpty();
    assertThat(gas.candidates(gas(20))).containsExactly(1);
    assertThat(gas.candidates(gas(30))).containsExactly(0, 1, 2);
    assertThat(gas.candidates(gas(25))).containsExactly(1, 2);
  }

  /** Three consecutive rules on GAS readings, the loosest in the middle. */
  private static RuleSet cityGas() {
    return RuleSet.parse(
        """
        version: t
        rules:
          - {id: G_30, title: g, kind: consecutive, count: 4, severity: GENERAL,
             match: {source: SENSOR, type: GAS, field: value, atLeast: 30}}
          - {id: G_20, title: g, kind: consecutive, count: 2, severity: GENERAL,
             match: {source: SENSOR, type: GAS, field: value, atLeast: 20}}
          - {id: G_25, title: g, kind: consecutive, count: 3, severity: GENERAL,
             match: {source: SENSOR, type: GAS, field: value, atLeast: 25}}
        """,
        "test");
  }

  private static Record gas(double value) {
    Record r = record(Source.SENSOR, "GAS");
    r.setValue(value);
    r.setDeviceId("GAS-1");
    return r;
  }
}
