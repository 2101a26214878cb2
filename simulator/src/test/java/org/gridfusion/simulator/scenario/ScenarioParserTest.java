package org.gridfusion.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:34:56.789Z");

  @Test
  void readsTheShippedScenario() {
    ScenarioSpec spec = ScenarioParser.builtIn(ScenarioParser.DEFAULT_RULES);
    assertThat(spec.name()).isEqualTo("default-rules");
    // every default rule of §5 and its near misses; the conditions (a dead device, flapping, a
    // clock ahead, a cold start) are the scenario set's (ScenarioSetGeneratorTest)
    Set<IncidentKind> conditions =
        Set.of(IncidentKind.DEVICE_OFFLINE, IncidentKind.WATERLOGGING_FLAPPING);
    Set<NearMissKind> conditionMisses =
        Set.of(
            NearMissKind.WATERLOGGING_FLAPPING_BELOW,
            NearMissKind.DEVICE_SILENT_WITHIN_ALLOWANCE,
            NearMissKind.CLOCK_AHEAD_BEYOND_TOLERANCE,
            NearMissKind.ELDERLY_COLD_START);
    assertThat(spec.incidents())
        .extracting(ScenarioSpec.Entry::incident)
        .containsAll(
            Arrays.stream(IncidentKind.values()).filter(k -> !conditions.contains(k)).toList());
    assertThat(spec.nearMisses())
        .extracting(ScenarioSpec.Entry::nearMiss)
        .containsAll(
            Arrays.stream(NearMissKind.values())
                .filter(k -> !conditionMisses.contains(k))
                .toList());
    // 5 days before 20:34 Shanghai time is the 20th; 20:00 there is 12:00 UTC
    assertThat(spec.start().resolve(NOW)).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
  }

  @Test
  void acceptsJsonAbsoluteStartsAndCompoundOffsets() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            """
        {"name":"j","start":"2026-11-20T08:00:00+08:00",
         "incidents":[{"rule":"GAS_LEAK","severity":"URGENT","at":"+1d2h30m","grid":"G-1"}],
         "nearMisses":[{"kind":"CROWD_TOO_FEW","at":"45s","device":"CAM-1"}]}""",
            "j.json");
    assertThat(spec.start().resolve(NOW)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    ScenarioSpec.Entry gas = spec.incidents().get(0);
    assertThat(gas.incident()).isEqualTo(IncidentKind.GAS_LEAK_URGENT);
    assertThat(gas.at()).isEqualTo(Duration.ofHours(26).plusMinutes(30));
    assertThat(gas.gridId()).isEqualTo("G-1");
    assertThat(spec.nearMisses().get(0).deviceId()).isEqualTo("CAM-1");
    assertThat(spec.nearMisses().get(0).at()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void withoutSeverityTakesTheRulesBaseSeverityAndRelativeStartsAreWholeSeconds() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            "name: n\nstart: -3h\nincidents:\n  - {rule: WATERLOGGING, at: +0m}\n", "n.yaml");
    assertThat(spec.incidents().get(0).incident()).isEqualTo(IncidentKind.WATERLOGGING_IMPORTANT);
    assertThat(spec.start().resolve(NOW)).isEqualTo(Instant.parse("2026-11-25T09:34:56Z"));
  }

  @Test
  void readsConditionsAndVariants() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            """
            name: c
            start: -3h
            incidents:
              - {kind: WATERLOGGING_FLAPPING, at: +1m}
              - {rule: FALL_DETECTED, at: +2m, skew: -8m}
              - {rule: GAS_LEAK, at: +3m, late: 20m}
              - {rule: DEVICE_OFFLINE, at: +4h}
            nearMisses:
              - {kind: CROWD_TOO_FEW, at: +5m, skew: +3m, late: 1m}
            """,
            "c.yaml");
    assertThat(spec.incidents())
        .extracting(ScenarioSpec.Entry::incident)
        .containsExactly(
            IncidentKind.WATERLOGGING_FLAPPING,
            IncidentKind.FALL_DETECTED,
            IncidentKind.GAS_LEAK_IMPORTANT,
            IncidentKind.DEVICE_OFFLINE);
    assertThat(spec.incidents().get(1).skew()).isEqualTo(Duration.ofMinutes(-8));
    assertThat(spec.incidents().get(2).late()).isEqualTo(Duration.ofMinutes(20));
    assertThat(spec.nearMisses().get(0).label())
        .isEqualTo("nearMisses[0] CROWD_TOO_FEW (skew +3m, late 1m)");
    assertThatThrownBy(
            () ->
                ScenarioParser.parse(
                    "name: c\nstart: -3h\nincidents:\n"
                        + "  - {rule: FALL_DETECTED, at: +2m, skew: +12m}\n"
                        + "  - {kind: WATERLOGGING_FLAPPING, rule: WATERLOGGING, at: +2m}\n",
                    "c.yaml"))
        .hasMessageContaining(
            "incidents[0].skew: +12m is beyond the 10-minute tolerance of contract §3")
        .hasMessageContaining("incidents[1]: give rule (and severity) or kind, not both");
  }

  @Test
  void namesEveryProblemWithItsPlace() {
    assertThatThrownBy(
            () ->
                ScenarioParser.parse(
                    """
        name: bad
        start: yesterday
        colour: blue
        incidents:
          - {rule: WATERLOG, at: +10m}
          - {rule: STREET_VENDING, severity: URGENT, at: +10m}
          - {rule: FALL_DETECTED, at: 10}
          - {rule: FALL_DETECTED, at: +1m, grid: G-1, device: CAM-1}
        nearMisses:
          - {kind: ALMOST_A_FIRE, at: +1m}
          - {kind: CROWD_TOO_FEW}
        """,
                    "bad.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("bad.yaml: 8 problems:")
        .hasMessageContaining(
            "colour: unknown key; expected description, feedOutages, incidents, name, nearMisses, start, zone")
        .hasMessageContaining("start: 'yesterday' is neither an ISO-8601 instant")
        .hasMessageContaining(
            "incidents[0].rule: unknown rule 'WATERLOG'; default rules: CROWD_GATHERING, DEVICE_OFFLINE, ELDERLY_INACTIVE")
        .hasMessageContaining("incidents[1].severity: STREET_VENDING can be GENERAL, not 'URGENT'")
        .hasMessageContaining("incidents[2].at: '10' is no offset from start; use e.g. +10m")
        .hasMessageContaining("incidents[3]: give grid or device, not both")
        .hasMessageContaining(
            "nearMisses[0].kind: unknown near miss 'ALMOST_A_FIRE'; known: WATERLOGGING_BELOW_THRESHOLD")
        .hasMessageContaining("nearMisses[1].at: missing");
  }

  @Test
  void aFeedOutageIsTheSensorFeedSilentPastItsAllowance() {
    ScenarioSpec spec =
        ScenarioParser.parse(
            """
        name: feed
        start: "-1d"
        incidents:
          - {rule: FALL_DETECTED, at: +1m}
        feedOutages:
          - {feed: SENSOR, at: +2h, for: 4h}
        """,
            "feed.yaml");
    assertThat(spec.feedOutages())
        .containsExactly(
            new ScenarioSpec.FeedOutage(
                "feedOutages[0]", "SENSOR", Duration.ofHours(2), Duration.ofHours(4)));
    assertThatThrownBy(
            () ->
                ScenarioParser.parse(
                    """
        name: feed
        start: "-1d"
        incidents:
          - {rule: FALL_DETECTED, at: +1m}
        feedOutages:
          - {feed: CAMERA, at: +2h, for: 30h}
          - {feed: SENSOR, at: +2h, for: 3h}
        """,
                    "feed.yaml"))
        .hasMessageContaining("feedOutages[0].feed: 'CAMERA' is not SENSOR")
        .hasMessageContaining("feedOutages[1].for: 180m is no outage");
  }

  @Test
  void saysWhenTheTextIsNoYamlAtAll() {
    assertThatThrownBy(() -> ScenarioParser.parse("name: [unclosed", "x.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("x.yaml: not YAML or JSON:");
    assertThatThrownBy(() -> ScenarioParser.parse("- just\n- a list\n", "l.yaml"))
        .hasMessage(
            "l.yaml: expected a mapping with description, feedOutages, incidents, name, nearMisses, start,"
                + " zone");
  }
}
