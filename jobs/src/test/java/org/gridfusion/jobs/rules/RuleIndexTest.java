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
  void aWindowKeyNamesItsCountConsecutiveOrLastingRule() {
    assertThat(DEFAULTS.windowed("GAS_LEAK|GAS-7").id()).isEqualTo("GAS_LEAK");
    assertThat(DEFAULTS.windowed("NIGHT_NOISE|N-1").id()).isEqualTo("NIGHT_NOISE");
    assertThat(DEFAULTS.windowed("STREET_VENDING").id()).isEqualTo("STREET_VENDING");
    // a co-occurrence side's window and a rule without windows
    assertThat(DEFAULTS.windowed("FIRE_CONFIRMED#0")).isNull();
    assertThat(DEFAULTS.windowed("WATERLOGGING")).isNull();
    assertThat(DEFAULTS.windowed("GAS_LEAK_2|GAS-7")).isNull();
  }
}
