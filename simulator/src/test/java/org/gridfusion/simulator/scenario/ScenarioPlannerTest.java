package org.gridfusion.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.ContractCheck;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScenarioPlannerTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:34:56Z");
  static District district;

  @BeforeAll
  static void generate() {
    district = DistrictGenerator.generate(DistrictSpec.small(7));
  }

  @Test
  void aFeedOutageSilencesEverySensorButDoorsAndThoseEntriesKeepQuietAndRefusesEntriesInItsSlot() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            """
        name: feed
        start: "2026-11-20T00:00:00Z"
        incidents:
          - {rule: DEVICE_OFFLINE, at: +4h}
          - {rule: FALL_DETECTED, at: +8h}
        feedOutages:
          - {feed: SENSOR, at: +10h, for: 4h}
        """,
            "feed.yaml");
    ScenarioPlan plan = ScenarioPlanner.plan(spec, district, NOW);
    ScenarioStep outage = plan.steps().stream().filter(ScenarioStep::feedOutage).findFirst().get();
    Instant from = Instant.parse("2026-11-20T10:00:00Z");
    assertThat(outage.gridId()).isEqualTo("*");
    assertThat(outage.expected().get())
        .isEqualTo(
            new GroundTruth(
                "DEVICE_OFFLINE",
                "*",
                Severity.GENERAL,
                from.plusSeconds(3 * 3600),
                from.plusSeconds(3 * 3600 + 120)));
    String dead = plan.steps().get(0).deviceIds().iterator().next();
    assertThat(outage.deviceIds())
        .as("every sensor but doors and the dead one, which is silent anyway")
        .hasSize(
            (int) district.sensors().stream().filter(d -> d.sensorType() != SensorType.DOOR).count()
                - 1)
        .doesNotContain(dead);
    assertThat(outage.items())
        .extracting(TrafficItem::eventTime)
        .containsOnly(from, from.plusSeconds(4 * 3600));
    assertThat(outage.quietTo(outage.deviceIds().iterator().next()))
        .as("the feed comes back")
        .isEqualTo(from.plusSeconds(4 * 3600 + 60));

    assertThatThrownBy(
            () ->
                ScenarioPlanner.plan(
                    ScenarioParser.parse(
                        """
        name: feed
        start: "2026-11-20T00:00:00Z"
        incidents:
          - {rule: DEVICE_OFFLINE, at: +13h30m}
          - {rule: GAS_LEAK, at: +12h}
        feedOutages:
          - {feed: SENSOR, at: +10h, for: 4h}
        """,
                        "feed.yaml"),
                    district,
                    NOW))
        .hasMessageContaining("feedOutages[0]: incidents[0]")
        .hasMessageContaining("goes offline at 2026-11-20T13:30:00Z, while the feed is down")
        .hasMessageContaining("feedOutages[0]: incidents[1]")
        .hasMessageContaining("sends a sensor input at");
  }

  @Test
  void aDeviceKeptQuietOnlyAfterTheFeedReturnsReportsWithTheFeed() {
    // the gauge's readings start 25 min after the feed returns (14:00), its quiet 5 min after:
    // left out of the outage it would be silent from before 10:00 to 14:25 and raised alone
    // (seed 42's full set: NOISE-00935 before a NIGHT_NOISE_BY_DAY near miss)
    ScenarioPlan plan =
        ScenarioPlanner.plan(
            ScenarioParser.parse(
                """
        name: feed
        start: "2026-11-20T00:00:00Z"
        incidents:
          - {rule: WATERLOGGING, at: +14h40m}
        feedOutages:
          - {feed: SENSOR, at: +10h, for: 4h}
        """,
                "feed.yaml"),
            district,
            NOW);
    ScenarioStep gauge = plan.steps().stream().filter(s -> !s.feedOutage()).findFirst().get();
    ScenarioStep outage = plan.steps().stream().filter(ScenarioStep::feedOutage).findFirst().get();
    String device = gauge.deviceIds().iterator().next();
    Instant returned = Instant.parse("2026-11-20T14:00:00Z");
    assertThat(gauge.quietFrom())
        .isAfter(returned)
        .isBefore(returned.plus(ScenarioStep.QUIET_BEFORE));
    assertThat(outage.items())
        .filteredOn(i -> i.deviceId().equals(device))
        .extracting(TrafficItem::eventTime)
        .containsExactly(returned.minusSeconds(4 * 3600), returned);
  }

  @Test
  void placesTheDefaultScenarioOneGridPerRuleAndEntry() {
    ScenarioPlan plan =
        ScenarioPlanner.plan(ScenarioParser.builtIn("default-rules"), district, NOW);
    assertThat(plan.steps()).hasSize(25);
    // 14 incidents, and the fire partner that came too late is still a suspected fire
    assertThat(plan.expected()).hasSize(15);
    // every default rule of §5 (the scenario kills no device)
    assertThat(plan.expected())
        .extracting(GroundTruth::ruleId)
        .containsAll(
            IncidentKind.rules().stream().filter(r -> !r.equals("DEVICE_OFFLINE")).toList());
    Set<String> ruleGrids = new HashSet<>();
    for (ScenarioStep s : plan.steps()) {
      String rule = s.expected().map(GroundTruth::ruleId).orElseGet(() -> s.mustNotRaise().get(0));
      assertThat(ruleGrids.add(ScenarioPlanner.family(rule) + "@" + s.gridId()))
          .as(s.label())
          .isTrue();
      assertThat(s.items()).allSatisfy(i -> assertThat(i.gridId()).isEqualTo(s.gridId()));
    }
    GroundTruth urgentGas =
        plan.expected().stream()
            .filter(t -> t.ruleId().equals("GAS_LEAK") && t.severity() == Severity.URGENT)
            .findFirst()
            .orElseThrow();
    assertThat(district.grid(urgentGas.gridId()).orElseThrow().kind())
        .isIn(GridKind.SCHOOL, GridKind.HOSPITAL);
    // every input and every expected alert lies in the window, and it is all in the past
    List<TrafficItem> items = plan.steps().stream().flatMap(s -> s.items().stream()).toList();
    assertThat(items).allSatisfy(i -> assertThat(i.eventTime()).isBetween(plan.from(), plan.to()));
    assertThat(plan.expected())
        .allSatisfy(t -> assertThat(t.eventTime()).isBetween(plan.from(), plan.to()));
    assertThat(plan.to()).isBefore(NOW.minusSeconds(3 * 86400));
    // and every input is one the pipeline accepts, in the grid the truth names
    ContractCheck contract = new ContractCheck(district);
    assertThat(items)
        .allSatisfy(
            i ->
                assertThat(contract.check(i))
                    .as(i.payload())
                    .isEqualTo(new ContractCheck.Outcome(null, i.gridId())));
  }

  @Test
  void keepsAutomaticPlacesAwayFromBusyRuleGrids() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            "name: w\nstart: -1d\nincidents:\n  - {rule: WATERLOGGING, at: +1m}\n", "w.yaml");
    String first = ScenarioPlanner.plan(spec, district, NOW).steps().get(0).gridId();
    String second =
        ScenarioPlanner.plan(spec, district, NOW, Set.of(new RuleGrid("WATERLOGGING", first)))
            .steps()
            .get(0)
            .gridId();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void refusesTwoEntriesOfOneRuleInOneGridAndDevicesThatCannotCarryTheEntry() {
    String camera = district.cameras().get(0).deviceId();
    String grid = district.cameras().get(0).gridId();
    String gas = district.sensors(SensorType.GAS).get(0).deviceId();
    ScenarioSpec spec =
        ScenarioParser.parse(
            "name: c\nstart: -1d\nincidents:\n"
                + "  - {rule: FALL_DETECTED, at: +1m, device: "
                + camera
                + "}\n"
                + "  - {rule: WATERLOGGING, at: +1m, device: "
                + gas
                + "}\n"
                + "nearMisses:\n  - {kind: FALL_LOW_CONFIDENCE, at: +2m, grid: "
                + grid
                + "}\n",
            "c.yaml");
    assertThatThrownBy(() -> ScenarioPlanner.plan(spec, district, NOW))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("incidents[1].device: " + gas + " (GAS in ")
        .hasMessageContaining(
            "nearMisses[0]: grid " + grid + " already has an entry about FALL_DETECTED");
  }

  @Test
  void refusesNightNoiseByDay() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            "name: n\nstart: 2026-11-20T12:00:00+08:00\nincidents:\n"
                + "  - {rule: NIGHT_NOISE, at: +1h}\n",
            "n.yaml");
    assertThatThrownBy(() -> ScenarioPlanner.plan(spec, district, NOW))
        .hasMessageContaining(
            "incidents[0]: NIGHT_NOISE needs readings between 22:00 and 06:00 Asia/Shanghai");
  }
}
