package org.gridfusion.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.Quality;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.junit.jupiter.api.Test;

/**
 * The generated scenario set: 200 incidents and 200 near misses of every kind and condition placed
 * in a district of about 1,000 grids, one grid per rule and entry, each expected alert its own.
 */
class ScenarioSetGeneratorTest {
  static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

  @Test
  void twoHundredOfEachPlacedInAThousandGridsWithEveryKindAndCondition() {
    District district = DistrictGenerator.generate(DistrictSpec.of(8, 25, 42));
    assertThat(district.grids().size()).isBetween(900, 1300);
    ScenarioSpec spec = ScenarioSetGenerator.generate(200, 200, 42);
    assertThat(ScenarioSetGenerator.yaml(200, 200, 42))
        .as("seeded")
        .isEqualTo(ScenarioSetGenerator.yaml(200, 200, 42));
    assertThat(spec.incidents()).hasSize(200);
    assertThat(spec.nearMisses()).hasSize(200);
    assertThat(spec.incidents())
        .extracting(ScenarioSpec.Entry::incident)
        .containsAll(List.of(IncidentKind.values()));
    assertThat(spec.nearMisses())
        .extracting(ScenarioSpec.Entry::nearMiss)
        .containsAll(List.of(NearMissKind.values()));
    assertThat(spec.incidents()).anyMatch(e -> e.skew() != null && e.skew().isNegative());
    assertThat(spec.incidents()).anyMatch(e -> e.skew() != null && !e.skew().isNegative());
    assertThat(spec.incidents()).anyMatch(e -> e.late() != null);
    assertThat(spec.nearMisses()).anyMatch(e -> e.late() != null);
    assertThat(spec.nearMisses()).anyMatch(e -> e.skew() != null);

    ScenarioPlan plan = ScenarioPlanner.plan(spec, district, NOW);
    // no two incidents fold into one alert; a fire partner too late is one suspected fire each
    long partners =
        spec.nearMisses().stream()
            .filter(e -> e.nearMiss() == NearMissKind.FIRE_PARTNER_TOO_LATE)
            .count();
    // and the sensor feed's outage: one alert for the feed, dated when the allowance passed
    assertThat(spec.feedOutages()).hasSize(1);
    assertThat(plan.expected()).hasSize(200 + (int) partners + 1);
    ScenarioStep outage = plan.steps().stream().filter(ScenarioStep::feedOutage).findFirst().get();
    assertThat(outage.expected().get().eventTime())
        .isEqualTo(outage.firstEventTime().plus(Incidents.SENSOR_SILENCE));
    assertThat(outage.deviceIds().size())
        .as("most sensors; those kept quiet by entries and doors left out")
        .isGreaterThan(district.sensors().size() / 2);
    Set<String> ruleGrids = new HashSet<>();
    for (ScenarioStep s : plan.steps()) {
      String rule = s.expected().map(GroundTruth::ruleId).orElseGet(() -> s.mustNotRaise().get(0));
      assertThat(ruleGrids.add(ScenarioPlanner.family(rule) + "@" + s.gridId()))
          .as(s.label())
          .isTrue();
    }
    // a skewed clock: the input is delivered `skew` before (or after) the ts it carries
    ScenarioStep skewed =
        plan.steps().stream()
            .filter(s -> s.label().contains("skew +") && s.expected().isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(skewed.expected().get().eventTime()).isAfter(skewed.lastEventTime().minusSeconds(1));
    // late: the alert is dated by the inputs' ts, known once the last arrived
    ScenarioStep late =
        plan.steps().stream()
            .filter(s -> s.label().contains("late ") && s.expected().isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(late.expected().get().detectableAt())
        .isAfter(late.expected().get().eventTime().plus(Duration.ofMinutes(4)));
    // the clock too far ahead is a bad input the pipeline refuses as TS_IN_FUTURE
    List<TrafficItem> bad =
        plan.steps().stream()
            .flatMap(s -> s.items().stream())
            .filter(i -> i.quality() == Quality.BAD)
            .toList();
    assertThat(bad)
        .isNotEmpty()
        .allSatisfy(i -> assertThat(i.expectedReason()).isEqualTo(Reason.TS_IN_FUTURE));
    // every step keeps background traffic off its devices until it is decided
    assertThat(plan.steps()).allSatisfy(s -> assertThat(s.deviceIds()).isNotEmpty());
  }
}
