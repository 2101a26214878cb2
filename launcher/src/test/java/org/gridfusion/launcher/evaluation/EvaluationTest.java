package org.gridfusion.launcher.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gridfusion.simulator.scenario.GroundTruth;
import org.gridfusion.simulator.scenario.Severity;
import org.gridfusion.simulator.scenario.TruthFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
  static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
  static final Instant SENT = Instant.parse("2026-11-25T12:00:00Z");
  static final Duration TOLERANCE = Duration.ofMinutes(2);

  static TruthFile truth() {
    return new TruthFile.Builder("t")
        .expect(new GroundTruth("WATERLOGGING", "G-1", Severity.URGENT, T0), SENT, "water")
        .expect(
            new GroundTruth("CROWD_GATHERING", "G-2", Severity.IMPORTANT, T0.plusSeconds(600)),
            T0.plusSeconds(120),
            SENT,
            "crowd")
        .expect(
            new GroundTruth("GAS_LEAK", "G-3", Severity.URGENT, T0.plusSeconds(900)), SENT, "gas")
        .nearMiss("near", "G-4", T0.plusSeconds(60), List.of("MANHOLE_DISPLACED"), SENT)
        .cover(T0, T0.plusSeconds(3600))
        .build();
  }

  static AlertRecord alert(
      String id, String rule, String grid, String severity, Instant firstSeen, Instant detectedAt) {
    return new AlertRecord(id, rule, grid, severity, firstSeen, detectedAt);
  }

  @Test
  void aFeedOutageIsOneAlertForTheFeedAndAnAlertPerDeviceIsAFalseAlarm() {
    // the scenario set's feed outage: the sensors silent from T0, past their 3 h allowance at
    // T0 + 3 h
    Instant offline = T0.plus(Duration.ofHours(3));
    TruthFile truth =
        new TruthFile.Builder("t")
            .expect(
                new GroundTruth(
                    "DEVICE_OFFLINE",
                    "*",
                    Severity.GENERAL,
                    offline,
                    offline.plus(Duration.ofMinutes(2))),
                T0,
                SENT,
                "feedOutages[0]")
            .cover(T0, T0.plus(Duration.ofHours(5)))
            .build();
    List<AlertRecord> alerts =
        List.of(
            alert("DEVICE_OFFLINE.*.SENSOR", "DEVICE_OFFLINE", "*", "GENERAL", offline, SENT),
            alert("per-device", "DEVICE_OFFLINE", "G-1", "GENERAL", offline, SENT));
    EvaluationReport r = Evaluation.of(truth, alerts, T0, T0.plus(Duration.ofHours(5)), TOLERANCE);
    EvaluationReport.Row row = r.rows().get(0);
    assertThat(row.ruleId()).isEqualTo("DEVICE_OFFLINE");
    assertThat(List.of(row.truePositives(), row.falsePositives(), row.falseNegatives()))
        .containsExactly(1, 1, 0);
  }

  @Test
  void countsMatchesMissesFalseAlarmsAndSeverityMismatchesPerRule() {
    List<AlertRecord> alerts =
        List.of(
            alert("a1", "WATERLOGGING", "G-1", "URGENT", T0, SENT.plusMillis(1500)),
            // dated by the crowd's second sighting: inputs overtook each other, still the same
            // incident
            alert(
                "a2",
                "CROWD_GATHERING",
                "G-2",
                "IMPORTANT",
                T0.plusSeconds(360),
                SENT.plusMillis(2500)),
            alert("a3", "GAS_LEAK", "G-3", "IMPORTANT", T0.plusSeconds(900), SENT.plusSeconds(1)),
            alert(
                "a4",
                "MANHOLE_DISPLACED",
                "G-4",
                "IMPORTANT",
                T0.plusSeconds(60),
                SENT.plusSeconds(1)),
            alert("other-traffic", "WATERLOGGING", "G-9", "URGENT", T0.plusSeconds(7200), SENT),
            alert("consequence", "WORKORDER_OVERDUE", "G-1", "URGENT", T0.plusSeconds(60), SENT));
    EvaluationReport r = Evaluation.of(truth(), alerts, T0, T0.plusSeconds(3600), TOLERANCE);

    assertThat(r.rows())
        .extracting(EvaluationReport.Row::ruleId)
        .containsExactly("CROWD_GATHERING", "GAS_LEAK", "MANHOLE_DISPLACED", "WATERLOGGING");
    EvaluationReport.Row water = r.rows().get(3);
    assertThat(water.truePositives()).isEqualTo(1);
    assertThat(water.precision()).isEqualTo(1.0);
    assertThat(water.delayP50()).isEqualTo(Duration.ofMillis(1500));
    EvaluationReport.Row gas = r.rows().get(1);
    assertThat(List.of(gas.truePositives(), gas.falsePositives(), gas.falseNegatives()))
        .containsExactly(0, 1, 1);
    EvaluationReport.Row manhole = r.rows().get(2);
    assertThat(manhole.falsePositives()).isEqualTo(1);
    assertThat(manhole.recall()).isNull();
    assertThat(r.total().truePositives()).isEqualTo(2);
    assertThat(r.total().precision()).isEqualTo(0.5);
    assertThat(r.total().recall()).isEqualTo(2 / 3.0);
    assertThat(r.findings())
        .extracting(EvaluationReport.Finding::kind)
        .containsExactly("SEVERITY_MISMATCH", "FALSE_ALARM");
    assertThat(r.findings().get(1).note()).isEqualTo("near miss near");
    assertThat(r.notJudged()).containsExactly(Map.entry("WORKORDER_OVERDUE", 1));
    assertThat(r.meets(1.0, 1.0)).isFalse();
    assertThat(r.meets(0.0, 0.0)).isTrue();
    assertThat(r.table())
        .contains("TOTAL")
        .contains("SEVERITY_MISMATCH GAS_LEAK in G-3 (expected URGENT, got IMPORTANT)");
    assertThat(r.toJson()).contains("\"ruleId\":\"TOTAL\"").contains("\"precision\":0.5");
  }

  @Test
  void anAlertOutsideTheEvidenceSpanOrInAnotherGridIsNoMatch() {
    List<AlertRecord> alerts =
        List.of(
            alert("early", "WATERLOGGING", "G-1", "URGENT", T0.minusSeconds(300), SENT),
            alert("elsewhere", "CROWD_GATHERING", "G-5", "IMPORTANT", T0.plusSeconds(600), SENT));
    EvaluationReport r =
        Evaluation.of(truth(), alerts, T0.minusSeconds(600), T0.plusSeconds(3600), TOLERANCE);
    assertThat(r.total().truePositives()).isZero();
    assertThat(r.total().falsePositives()).isEqualTo(2);
    assertThat(r.total().falseNegatives()).isEqualTo(3);
    assertThat(r.findings()).filteredOn(f -> f.kind().equals("MISSED")).hasSize(3);
  }

  @Test
  void canJudgeTheTruthsGridsOnly() {
    List<AlertRecord> alerts =
        List.of(
            alert("a1", "WATERLOGGING", "G-1", "URGENT", T0, SENT),
            alert("elsewhere", "WATERLOGGING", "G-7", "URGENT", T0.plusSeconds(60), SENT));
    assertThat(
            Evaluation.of(truth(), alerts, T0, T0.plusSeconds(3600), TOLERANCE, false)
                .total()
                .falsePositives())
        .isEqualTo(1);
    assertThat(
            Evaluation.of(truth(), alerts, T0, T0.plusSeconds(3600), TOLERANCE, true)
                .total()
                .falsePositives())
        .isZero();
  }

  @Test
  void delayP95IsCheckedAgainstTheRulesWindowPlusAMargin() {
    // a threshold rule has no window: 1.5 s is within 0 + 2 s, 2.5 s is not; a crowd may take its
    // 10 minutes; a dead device's outage waits 2 minutes for the feed's verdict
    TruthFile truth =
        new TruthFile.Builder("d")
            .expect(new GroundTruth("WATERLOGGING", "G-1", Severity.URGENT, T0), SENT, "water")
            .expect(
                new GroundTruth("CROWD_GATHERING", "G-2", Severity.IMPORTANT, T0), SENT, "crowd")
            .expect(
                new GroundTruth("DEVICE_OFFLINE", "G-3", Severity.GENERAL, T0), SENT, "dead device")
            .nearMiss("feed", "*", T0, List.of("DEVICE_OFFLINE"), SENT)
            .cover(T0, T0.plusSeconds(3600))
            .build();
    List<AlertRecord> quick =
        List.of(
            alert("w", "WATERLOGGING", "G-1", "URGENT", T0, SENT.plusMillis(1500)),
            alert("c", "CROWD_GATHERING", "G-2", "IMPORTANT", T0, SENT.plusSeconds(500)),
            alert("o", "DEVICE_OFFLINE", "G-3", "GENERAL", T0, SENT.plusSeconds(100)));
    EvaluationReport r = Evaluation.of(truth, quick, T0, T0.plusSeconds(3600), TOLERANCE);
    assertThat(r.rows())
        .extracting(EvaluationReport.Row::ruleId, EvaluationReport.Row::window)
        .containsExactly(
            tuple("CROWD_GATHERING", Duration.ofMinutes(10)),
            tuple("DEVICE_OFFLINE", Duration.ofMinutes(2)),
            tuple("WATERLOGGING", Duration.ZERO));
    assertThat(r.delaysWithin(Duration.ofSeconds(2))).isTrue();
    assertThat(r.meets(1, 1)).isTrue();
    assertThat(r.table()).contains("10m").contains("2m");

    List<AlertRecord> slow =
        List.of(
            alert("w", "WATERLOGGING", "G-1", "URGENT", T0, SENT.plusMillis(2500)),
            alert("c", "CROWD_GATHERING", "G-2", "IMPORTANT", T0, SENT.plusSeconds(500)),
            alert("o", "DEVICE_OFFLINE", "G-3", "GENERAL", T0, SENT.plusSeconds(100)),
            // a feed outage where there was none: a false alarm of DEVICE_OFFLINE
            alert("f", "DEVICE_OFFLINE", "*", "GENERAL", T0, SENT.plusSeconds(100)));
    EvaluationReport s = Evaluation.of(truth, slow, T0, T0.plusSeconds(3600), TOLERANCE);
    assertThat(s.delaysWithin(Duration.ofSeconds(2))).isFalse();
    assertThat(s.rows().get(2).delayWithin(Duration.ofSeconds(2))).isFalse();
    assertThat(s.rows().get(0).delayWithin(Duration.ofSeconds(2))).isTrue();
    assertThat(s.rows().get(1).precision()).isEqualTo(0.5);
    assertThat(s.findings())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo("FALSE_ALARM");
              assertThat(f.gridId()).isEqualTo("*");
              assertThat(f.note()).isEqualTo("near miss feed");
            });
  }

  @Test
  void readsAlertsFromAFileTheLastDocumentOfAnAlertWinning(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    Files.writeString(
        file,
        """
        {"alertId":"a","ruleId":"WATERLOGGING","gridId":"G-1","severity":"IMPORTANT","firstSeen":"2026-11-20T12:00:00Z","detectedAt":"2026-11-25T12:00:01Z"}

        {"alertId":"a","ruleId":"WATERLOGGING","gridId":"G-1","severity":"URGENT","firstSeen":"2026-11-20T12:00:00Z","detectedAt":"2026-11-25T12:00:02Z"}
        """);
    assertThat(AlertReader.readFile(file))
        .containsExactly(alert("a", "WATERLOGGING", "G-1", "URGENT", T0, SENT.plusSeconds(2)));
    Files.writeString(file, "{\"alertId\":\"b\"}\n");
    assertThatThrownBy(() -> AlertReader.readFile(file))
        .hasMessageContaining("line 1: missing ruleId");
  }

  @Test
  void anAlertReadBeforeItsLatestUpdateIsAMatchWithoutADelay() {
    // two falls in one grid a minute apart are one alert; read before the second fall's update
    // landed, its document is dated by the first
    TruthFile truth =
        new TruthFile.Builder("f")
            .expect(new GroundTruth("FALL_DETECTED", "G-1", Severity.IMPORTANT, T0), SENT, "first")
            .expect(
                new GroundTruth("FALL_DETECTED", "G-1", Severity.IMPORTANT, T0.plusSeconds(61)),
                SENT.plusSeconds(61),
                "second")
            .cover(T0, T0.plusSeconds(3600))
            .build();

    EvaluationReport stale =
        Evaluation.of(
            truth,
            List.of(alert("a", "FALL_DETECTED", "G-1", "IMPORTANT", T0, SENT.plusMillis(40))),
            T0,
            T0.plusSeconds(3600),
            TOLERANCE);
    EvaluationReport updated =
        Evaluation.of(
            truth,
            List.of(
                alert(
                    "a",
                    "FALL_DETECTED",
                    "G-1",
                    "IMPORTANT",
                    T0,
                    SENT.plusSeconds(61).plusMillis(40))),
            T0,
            T0.plusSeconds(3600),
            TOLERANCE);

    assertThat(stale.total().truePositives()).isEqualTo(1);
    assertThat(stale.total().delayP50()).isNull();
    assertThat(updated.total().truePositives()).isEqualTo(1);
    assertThat(updated.total().delayP50()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Duration> d =
        List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10));
    assertThat(Evaluation.percentile(d, 50)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Evaluation.percentile(d, 95)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Evaluation.percentile(List.of(), 50)).isNull();
  }
}
