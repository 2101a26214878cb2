package org.gridfusion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.gridfusion.jobs.alerts.Firing;
import org.gridfusion.jobs.rules.Rule;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rule file of 1,000 entries loads as a pushed file does, and the engine evaluates every rule in
 * force: a reading that only the default parameter set's threshold admits fires that one rule of
 * 1,000; stricter sets fire only above their own thresholds, with their per-kind and per-grid
 * overrides.
 */
class CityRuleSetTest {
  static final RuleSet CITY = CityRuleSet.of(1_000);
  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  private KeyedBroadcastOperatorTestHarness<String, Record, String, Firing> engine;

  @BeforeEach
  void setUp() throws Exception {
    engine = FlinkRulePipeline.ruleEngineHarness(CITY);
  }

  @AfterEach
  void tearDown() throws Exception {
    engine.close();
  }

  @Test
  void aThousandEntriesLoadAsOneRuleSetOfDistinctRules() {
    // 1,000 rules; the 112 sets of FIRE_CONFIRMED each bring their FIRE_SUSPECTED (1,112 ids
    // alerts can carry)
    Set<String> ids = new HashSet<>();
    CITY.rules().forEach(r -> ids.add(r.id()));
    assertThat(CITY.rules()).hasSize(1_000);
    assertThat(ids).hasSize(1_000).contains("WATERLOGGING", "WATERLOGGING_110", "GAS_LEAK_55");
    assertThat(CITY.rules().stream().filter(r -> r instanceof Rule.CoOccurrence)).hasSize(112);
    // a per-kind override in sets 1, 6, ... 111 (set 111 has one entry), a per-grid one in sets 2,
    // 7, ... 107
    assertThat(CITY.overrides()).hasSize(9 * 22 + 1 + 9 * 22);
  }

  @Test
  void aReadingOnlyTheDefaultThresholdAdmitsFiresOneRuleOfAThousand() throws Exception {
    Incidents.Place basic = new Incidents.Place("G-005", "BASIC", "a");
    List<Firing> fired = judge(Incidents.sensor(basic, "WATER_LEVEL", "WL-a", 30.3, T0));
    assertThat(fired).extracting(Firing::ruleId).containsExactly("WATERLOGGING");
    assertThat(fired.get(0).severity()).isEqualTo(Severity.IMPORTANT);
  }

  @Test
  void stricterSetsFireAboveTheirThresholdsWithTheirOverrides() throws Exception {
    // set 1 (30.6 cm) is URGENT in schools
    Incidents.Place school = new Incidents.Place("G-000", "SCHOOL", "b");
    List<Firing> fired = judge(Incidents.sensor(school, "WATER_LEVEL", "WL-b", 30.7, T0));
    assertThat(fired)
        .extracting(Firing::ruleId, Firing::severity)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("WATERLOGGING", Severity.IMPORTANT),
            org.assertj.core.groups.Tuple.tuple("WATERLOGGING_1", Severity.URGENT));
    // set 2 (31.2 cm) is GENERAL in grid G-002 only
    Incidents.Place g2 = new Incidents.Place("G-002", "BASIC", "c");
    fired = judge(Incidents.sensor(g2, "WATER_LEVEL", "WL-c", 31.5, T0.plusSeconds(1)));
    assertThat(fired)
        .extracting(Firing::ruleId, Firing::severity)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("WATERLOGGING", Severity.IMPORTANT),
            org.assertj.core.groups.Tuple.tuple("WATERLOGGING_1", Severity.IMPORTANT),
            org.assertj.core.groups.Tuple.tuple("WATERLOGGING_2", Severity.GENERAL));
  }

  private List<Firing> judge(Record r) throws Exception {
    engine.getOutput().clear();
    engine.processElement(new StreamRecord<>(r, r.getTs().toEpochMilli()));
    return engine.getOutput().stream()
        .filter(o -> o instanceof StreamRecord<?> sr && sr.getValue() instanceof Firing)
        .map(o -> (Firing) ((StreamRecord<?>) o).getValue())
        .toList();
  }
}
