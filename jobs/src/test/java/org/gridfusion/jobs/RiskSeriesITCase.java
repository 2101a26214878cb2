package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.sensor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.risk.RiskFormula;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.RiskPoint;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.SharedRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The risk series of one grid on the real job, with the default weights (README "Risk score"): a
 * basic grid of 2,000 people (2 points) gets a smoke reading of 14.5 at 08:00 (6 points) and a fire
 * camera at 08:01 (8 points) that together are an URGENT {@code FIRE_CONFIRMED} (50 points, open
 * until 08:30). The grid turns HIGH at once, then the score decays minute by minute, and is back
 * under 50 twenty minutes after the incident ended.
 *
 * <p>The expected scores come from the README's formula, evaluated here on its own: standing 2,
 * activity {@code 6·½^(age/1h) + 8·½^(age/1h)}, the alert 50 while open and {@code 50·½^(since
 * end/1h)} after; one point per minute while the score moves by 0.1 or more.
 *
 * <p>One thing is not fixed by the inputs: the camera's own record and the alert it completes reach
 * the scorer on different paths. The level change at 08:01 is emitted at once with whichever came
 * first: 65.9 with both; or 57.9 with the alert alone, and then 65.9 a millisecond later, when
 * 08:01's minute counts the record. From 08:02 on the series is the same either way.
 */
class RiskSeriesITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

  /** Before the URGENT order's two-hour deadline, whose overdue alert would lift the grid again. */
  static final Instant END = t(100);

  static final String GRID = "G-RISK";

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /**
   * Plays the class's one job run before its first test (the extension makes its cluster the
   * context of tests only, not of {@code @BeforeAll}).
   */
  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    District district =
        District.builder()
            .grid(GRID, "BASIC", 2000)
            .sensor("SMOKE-R", "SMOKE")
            .camera("CAM-R")
            .build();
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.sensors("smoke").emit(sensor("SMOKE-R", "SMOKE", 14.5, t(0)));
    in.cameras("camera")
        // the smoke's own evidence first, so the grid's first point is the smoke alone
        .await("the smoke scored", o -> !o.riskOf(GRID).isEmpty())
        .emit(camera("risk-fire", "CAM-R", "FIRE_SMOKE", t(1), 0.91));
    out =
        FusionJobRun.run(
            CLUSTER, "risk-series", FusionJobRun.settings(district.write(dir)), in, END);
  }

  /** The README's formula for this grid at {@code m} minutes after 08:00, rounded as reported. */
  static double expectedScore(int m) {
    double smoke = 6 * Math.pow(0.5, m / 60.0);
    double camera = m >= 1 ? 8 * Math.pow(0.5, (m - 1) / 60.0) : 0;
    double alert = m < 1 ? 0 : m <= 30 ? 50 : 50 * Math.pow(0.5, (m - 30) / 60.0);
    return Math.round((2 + smoke + camera + alert) * 10) / 10.0;
  }

  @Test
  void theGridTurnsHighAtOnceThenDecaysMinuteByMinute() {
    List<RiskPoint> series = out.riskOf(GRID);
    RiskPoint smoke =
        new RiskPoint(t(0), 8.0, "LOW", 0, List.of("record:SMOKE=6.0", "grid:population=2.0"));
    List<String> fire =
        List.of(
            "alert:FIRE_CONFIRMED=50.0",
            "record:FIRE_SMOKE=8.0",
            "record:SMOKE=5.9",
            "grid:population=2.0");
    List<RiskPoint> untilTwo = series.stream().filter(p -> p.ts().isBefore(t(2))).toList();
    // HIGH at 08:01 at once: with the camera's record counted, or with the alert alone and the
    // record counted at 08:01's own minute (a millisecond later: one point per instant)
    assertThat(untilTwo)
        .isIn(
            List.of(smoke, new RiskPoint(t(1), 65.9, "HIGH", 1, fire)),
            List.of(
                smoke,
                new RiskPoint(
                    t(1),
                    57.9,
                    "HIGH",
                    1,
                    List.of(
                        "alert:FIRE_CONFIRMED=50.0", "record:SMOKE=5.9", "grid:population=2.0")),
                new RiskPoint(t(1).plusMillis(1), 65.9, "HIGH", 1, fire)));

    // from 08:02 on, one point on each minute the score moved by 0.1 or more
    List<String> expected = new ArrayList<>();
    double last = Double.NaN;
    for (int m = 2; m <= 100; m++) {
      double s = expectedScore(m);
      boolean moved = m == 2 || Math.abs(s - last) >= 0.1 - 1e-9;
      boolean levelChanged = m > 2 && RiskFormula.level(s) != RiskFormula.level(last);
      if (moved || levelChanged) {
        expected.add(t(m) + " " + s + " " + RiskFormula.level(s) + " open=" + (m < 30 ? 1 : 0));
        last = s;
      }
    }
    assertThat(series.subList(untilTwo.size(), series.size()))
        .extracting(p -> p.ts() + " " + p.score() + " " + p.level() + " open=" + p.openAlerts())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void theFactorsSayWhyAndTheGridIsBackUnderFiftyTwentyMinutesAfterTheFireEnded() {
    List<RiskPoint> series = out.riskOf(GRID);
    RiskPoint at2 = series.stream().filter(p -> p.ts().equals(t(2))).findFirst().orElseThrow();
    assertThat(at2.factors())
        .containsExactly(
            "alert:FIRE_CONFIRMED=50.0",
            "record:FIRE_SMOKE=7.9",
            "record:SMOKE=5.9",
            "grid:population=2.0");
    RiskPoint firstUnder50 =
        series.stream().filter(p -> p.score() < 50).skip(1).findFirst().orElseThrow();
    assertThat(firstUnder50.ts()).isEqualTo(t(50));
    assertThat(firstUnder50.level()).isEqualTo("MEDIUM");
    assertThat(series.get(series.size() - 1).ts()).isEqualTo(t(100));
    assertThat(out.unmirrored()).isEmpty();
  }
}
