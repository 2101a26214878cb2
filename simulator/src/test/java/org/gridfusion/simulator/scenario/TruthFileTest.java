package org.gridfusion.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TruthFileTest {
  static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
  static final Instant SENT = Instant.parse("2026-11-25T12:00:01Z");

  @Test
  void roundTripsThroughJson() throws Exception {
    TruthFile file =
        new TruthFile.Builder("s")
            .expect(
                new GroundTruth(
                    "FIRE_SUSPECTED", "G-1", Severity.IMPORTANT, T0, T0.plusSeconds(300)),
                SENT,
                "a")
            .nearMiss(
                "m", "G-2", T0.plusSeconds(60), List.of("FIRE_CONFIRMED", "FIRE_SUSPECTED"), SENT)
            .build();
    TruthFile back = TruthFile.parse(file.toJson());
    assertThat(back.expected()).isEqualTo(file.expected());
    assertThat(back.nearMisses()).isEqualTo(file.nearMisses());
    assertThat(back.from()).isEqualTo(T0);
    assertThat(back.to()).isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void foldsFiringsOfOneRuleAndGridWithinHalfAnHourIntoOneAlert() {
    TruthFile file =
        new TruthFile.Builder("demo")
            .expect(new GroundTruth("WATERLOGGING", "G-1", Severity.IMPORTANT, T0), SENT, "a")
            .expect(
                new GroundTruth("WATERLOGGING", "G-1", Severity.URGENT, T0.plusSeconds(25 * 60)),
                SENT,
                "b")
            .expect(
                new GroundTruth("WATERLOGGING", "G-1", Severity.IMPORTANT, T0.plusSeconds(50 * 60)),
                SENT,
                "c")
            .expect(
                new GroundTruth("WATERLOGGING", "G-1", Severity.IMPORTANT, T0.plusSeconds(90 * 60)),
                SENT,
                "d")
            .expect(new GroundTruth("WATERLOGGING", "G-2", Severity.IMPORTANT, T0), SENT, "e")
            .build();
    assertThat(file.expected())
        .extracting(TruthFile.Expected::source)
        .containsExactly("a + b + c", "d", "e");
    assertThat(file.expected().get(0).severity()).isEqualTo(Severity.URGENT);
  }

  @Test
  void aFoldedAlertIsDecidedByItsLatestInput() {
    // the alert document keeps the detectedAt of its latest update (the demo's repeated incident
    // in a grid grows the open alert): measured from the first incident's decision, the delay
    // was the six minutes between the two
    Instant later = SENT.plusSeconds(360);
    TruthFile file =
        new TruthFile.Builder("demo")
            .expect(new GroundTruth("WATERLOGGING", "G-1", Severity.URGENT, T0), SENT, "a")
            .expect(
                new GroundTruth("WATERLOGGING", "G-1", Severity.URGENT, T0.plusSeconds(360)),
                later,
                "b")
            .build();
    TruthFile.Expected e = file.expected().get(0);
    assertThat(e.decidedAt()).isEqualTo(later);
    assertThat(e.firstSeen()).isEqualTo(T0);
  }

  @Test
  void keepsEventTimesToTheMillisecondAsInputsAndAlertsCarryThem() {
    Instant withNanos = T0.plusNanos(480_068_905);
    TruthFile file =
        new TruthFile.Builder("demo")
            .expect(
                new GroundTruth("FALL_DETECTED", "G-1", Severity.IMPORTANT, withNanos), SENT, "a")
            .build();
    assertThat(file.expected().get(0).firstSeen()).isEqualTo(T0.plusMillis(480));
    assertThat(file.from()).isEqualTo(T0.plusMillis(480));
  }

  @Test
  void decidedAtIsWhenTheInputWasInOrEventTimeHadComeWhicheverIsLater() {
    var replayed =
        new TruthFile.Expected("R", "G", Severity.GENERAL, T0, T0.plusSeconds(300), SENT, "", T0);
    assertThat(replayed.decidedAt()).isEqualTo(SENT);
    var live =
        new TruthFile.Expected(
            "R", "G", Severity.GENERAL, SENT, SENT.plusSeconds(300), SENT, "", SENT);
    assertThat(live.decidedAt()).isEqualTo(SENT.plusSeconds(300));
  }
}
