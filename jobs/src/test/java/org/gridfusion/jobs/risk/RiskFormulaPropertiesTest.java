package org.gridfusion.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.jobs.reference.Grid;
import org.gridfusion.schema.RiskLevel;

/**
 * The properties issue 6 asks of the risk score, over arbitrary grids, context, activity and
 * alerts.
 */
class RiskFormulaPropertiesTest {
  private static final long AT = 1_764_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final List<String> RECORD_TYPES =
      List.of("FIRE_SMOKE", "CROWD", "INCIDENT_REPORT", "GAS", "UNWEIGHTED");
  private static final List<String> CONTEXT_TYPES =
      List.of("HAZARDOUS_ENTERPRISE", "DANGEROUS_BUILDING", "ELDERLY_LIVING_ALONE", "OTHER");
  private static final List<String> SEVERITIES = List.of("GENERAL", "IMPORTANT", "URGENT");

  private final RiskFormula formula = new RiskFormula(RiskWeights.defaults());

  /** Everything a grid can hold at {@link #AT}. */
  record Situation(
      Grid grid, List<ContextFact> context, List<Activity> activity, List<AlertFact> alerts) {
    Situation plus(ContextFact c) {
      List<ContextFact> more = new ArrayList<>(context);
      more.add(c);
      return new Situation(grid, more, activity, alerts);
    }

    Situation plus(AlertFact a) {
      List<AlertFact> more = new ArrayList<>(alerts);
      more.add(a);
      return new Situation(grid, context, activity, more);
    }

    Situation plusRecord(String type, double weight, long ts, RiskWeights w) {
      List<Activity> more = new ArrayList<>();
      boolean merged = false;
      for (Activity a : activity) {
        Activity copy = new Activity(a.type, a.points, a.asOf);
        copy.lastTs = a.lastTs;
        if (a.type.equals(type)) {
          copy.add(weight, ts, w);
          merged = true;
        }
        more.add(copy);
      }
      if (!merged) more.add(new Activity(type, weight, ts));
      return new Situation(grid, context, more, alerts);
    }
  }

  private RiskFormula.Assessment assess(Situation s, long at) {
    return formula.assess(s.grid(), s.context(), s.activity(), s.alerts(), at);
  }

  @Provide
  Arbitrary<Situation> situations() {
    Arbitrary<Grid> grid =
        Combinators.combine(
                Arbitraries.of(GridKind.class), Arbitraries.integers().between(0, 20_000))
            .as(
                (kind, population) ->
                    new Grid(
                        "G-1",
                        "Grid",
                        kind,
                        "D",
                        "S01",
                        "S01-C01",
                        population / 3,
                        population,
                        43.6,
                        122.2))
            .injectNull(0.1);
    Arbitrary<ContextFact> context =
        Combinators.combine(Arbitraries.of(CONTEXT_TYPES), Arbitraries.longs().between(0, 40 * 24))
            .as((type, hoursAgo) -> new ContextFact(type, AT - hoursAgo * HOUR));
    Arbitrary<Activity> activity =
        Combinators.combine(
                Arbitraries.of(RECORD_TYPES),
                Arbitraries.doubles().between(0.1, 60),
                Arbitraries.longs().between(0, 30 * 60),
                Arbitraries.longs().between(0, 30 * 60))
            .as(
                (type, points, asOfMinutesAgo, lastMinutesAgo) -> {
                  Activity a = new Activity(type, points, AT - asOfMinutesAgo * 60_000L);
                  a.lastTs = AT - lastMinutesAgo * 60_000L;
                  return a;
                });
    Arbitrary<AlertFact> alert =
        Combinators.combine(
                Arbitraries.of(SEVERITIES),
                Arbitraries.of(true, false),
                Arbitraries.longs().between(0, 29),
                Arbitraries.longs().between(0, 30 * 60))
            .as(
                (severity, open, firedMinutesAgo, closedMinutesAgo) -> {
                  if (open)
                    return new AlertFact(
                        "RULE_" + severity, severity, AT - firedMinutesAgo * 60_000L);
                  AlertFact f =
                      new AlertFact(
                          "RULE_" + severity, severity, AT - (closedMinutesAgo + 30) * 60_000L);
                  f.open = false;
                  f.closedAt = AT - closedMinutesAgo * 60_000L;
                  return f;
                });
    return Combinators.combine(
            grid,
            context.list().ofMaxSize(6),
            activity.list().ofMaxSize(6).uniqueElements(a -> a.type),
            alert.list().ofMaxSize(4))
        .as(Situation::new);
  }

  @Property
  void scoreStaysWithinZeroAndHundredWithTopFactorsLargestFirst(@ForAll("situations") Situation s) {
    RiskFormula.Assessment a = assess(s, AT);
    assertThat(a.score()).isBetween(0.0, 100.0);
    assertThat(a.factors()).hasSizeLessThanOrEqualTo(RiskFormula.TOP_FACTORS);
    assertThat(a.factors()).isSortedAccordingTo((x, y) -> Double.compare(y.points(), x.points()));
    double sum = a.factors().stream().mapToDouble(RiskFormula.Factor::points).sum();
    assertThat(sum).isLessThanOrEqualTo(a.score() + 0.05 * RiskFormula.TOP_FACTORS + 1e-9);
  }

  @Example
  void aGridWithHalfItsDevicesOfflineShowsItsBlindSpotAndStaysLowWithNothingElse() {
    Grid school =
        new Grid("G-1", "School", GridKind.SCHOOL, "D", "S01", "S01-C01", 300, 1000, 43.6, 122.2);
    AlertFact dead = new AlertFact("DEVICE_OFFLINE", "GENERAL", AT - 48 * HOUR);
    AlertFact alsoDead = new AlertFact("DEVICE_OFFLINE", "GENERAL", AT - 30 * HOUR);
    RiskFormula.Assessment a =
        formula.assess(school, 4, List.of(), List.of(), List.of(dead, alsoDead), AT);
    // still open two days on (an outage lasts until the device reports), half the grid unobserved
    assertThat(a.factors())
        .contains(new RiskFormula.Factor("blind:devicesOffline", 6.0))
        .extracting(RiskFormula.Factor::name)
        .doesNotContain("alert:DEVICE_OFFLINE");
    assertThat(a.openAlerts()).isEqualTo(2);
    assertThat(a.level()).isEqualTo(RiskLevel.LOW);
    assertThat(a.decaying()).isFalse();
    // back: no blind spot
    alsoDead.open = false;
    alsoDead.closedAt = AT - HOUR;
    dead.open = false;
    dead.closedAt = AT - HOUR;
    assertThat(
            formula.assess(school, 4, List.of(), List.of(), List.of(dead, alsoDead), AT).factors())
        .extracting(RiskFormula.Factor::name)
        .doesNotContain("blind:devicesOffline");
  }

  @Property
  void anOpenUrgentAlertMakesTheGridAtLeastHigh(@ForAll("situations") Situation s) {
    AlertFact urgent = new AlertFact("FIRE_CONFIRMED", "URGENT", AT);
    assertThat(assess(s.plus(urgent), AT).level()).isGreaterThanOrEqualTo(RiskLevel.HIGH);
  }

  @Property(tries = 200)
  void anOpenUrgentAlertMakesTheGridAtLeastHighEvenWithATinyWeight(
      @ForAll("situations") Situation s) {
    RiskFormula light =
        new RiskFormula(
            RiskWeights.from(
                Config.empty().with(GridFusionOptions.RISK_WEIGHTS_ALERT, "URGENT=1")));
    Situation withUrgent = s.plus(new AlertFact("FIRE_CONFIRMED", "URGENT", AT));
    assertThat(
            light
                .assess(
                    withUrgent.grid(),
                    withUrgent.context(),
                    withUrgent.activity(),
                    withUrgent.alerts(),
                    AT)
                .level())
        .isGreaterThanOrEqualTo(RiskLevel.HIGH);
  }

  @Property
  void aGridWithNothingInTwentyFourHoursAndNoContextIsLow(
      @ForAll("situations") Situation s, @ForAll @IntRange(min = 0, max = 72) int extraHours) {
    // only what is older than 24 h: activity and alerts closed before the horizon, no context at
    // all
    long later = AT + 24 * HOUR + 1 + extraHours * HOUR;
    List<AlertFact> closed = s.alerts().stream().filter(f -> !f.open).toList();
    RiskFormula.Assessment a = formula.assess(s.grid(), List.of(), s.activity(), closed, later);
    assertThat(a.level()).isEqualTo(RiskLevel.LOW);
    assertThat(a.openAlerts()).isZero();
  }

  @Property
  void moreEvidenceNeverLowersTheScore(
      @ForAll("situations") Situation s, @ForAll("evidence") Evidence e) {
    RiskWeights w = formula.weights();
    double before = assess(s, AT).score();
    Situation more =
        switch (e.kind()) {
          case 0 ->
              s.plusRecord(
                  e.type(),
                  w.record().getOrDefault(e.type(), 1.0),
                  AT - e.minutesAgo() * 60_000L,
                  w);
          case 1 -> s.plus(new ContextFact(e.type(), AT - e.minutesAgo() * 60_000L));
          default -> s.plus(new AlertFact("RULE", e.severity(), AT));
        };
    assertThat(assess(more, AT).score()).isGreaterThanOrEqualTo(before);
  }

  record Evidence(int kind, String type, String severity, long minutesAgo) {}

  @Provide
  Arbitrary<Evidence> evidence() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(
                List.of(
                    "FIRE_SMOKE",
                    "CROWD",
                    "HAZARDOUS_ENTERPRISE",
                    "ELDERLY_LIVING_ALONE",
                    "INCIDENT_REPORT")),
            Arbitraries.of(SEVERITIES),
            Arbitraries.longs().between(0, 600))
        .as(Evidence::new);
  }

  @Property
  void theScoreDecaysBackOnceAlertsCloseAndActivityStops(@ForAll("situations") Situation s) {
    // every alert closes now; nothing new arrives: the score never rises and ends at the standing
    // part
    List<AlertFact> closed = new ArrayList<>();
    for (AlertFact f : s.alerts()) {
      AlertFact c = new AlertFact(f.ruleId, f.severity, f.lastSeen);
      c.open = false;
      c.closedAt = f.open ? AT : f.closedAt;
      closed.add(c);
    }
    double previous = Double.MAX_VALUE;
    for (int hour = 0; hour <= 26; hour++) {
      double score =
          formula.assess(s.grid(), List.of(), s.activity(), closed, AT + hour * HOUR).score();
      assertThat(score).as("hour %d", hour).isLessThanOrEqualTo(previous);
      previous = score;
    }
    double standing =
        formula.assess(s.grid(), List.of(), List.of(), List.of(), AT + 26 * HOUR).score();
    assertThat(previous).isEqualTo(standing);
    assertThat(RiskFormula.level(previous)).isEqualTo(RiskLevel.LOW);
  }
}
