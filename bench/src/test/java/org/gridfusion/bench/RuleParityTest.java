package org.gridfusion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.bench.Incidents.camera;
import static org.gridfusion.bench.Incidents.crowd;
import static org.gridfusion.bench.Incidents.department;
import static org.gridfusion.bench.Incidents.sensor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.gridfusion.bench.Incidents.Place;
import org.gridfusion.bench.esper.EsperRuleEngine;
import org.gridfusion.bench.esper.EsperRuleSet;
import org.gridfusion.jobs.rules.RuleSet;
import org.gridfusion.schema.Record;
import org.junit.jupiter.api.Test;

/**
 * The Esper baseline is only a baseline if it raises what GridFusion raises: on a scenario set of
 * one incident per default rule, escalations, and near-misses (a value just below its threshold, a
 * partner just outside its window, a run one reading short), both engines must raise the same
 * alerts — same rule, grid, severity, subject and first firing.
 */
class RuleParityTest {
  /** 16:00 in Shanghai. */
  private static final Instant DAY = Instant.parse("2026-11-24T08:00:00Z");

  /** 23:00 in Shanghai. */
  private static final Instant NIGHT = Instant.parse("2026-11-24T15:00:00Z");

  private static final Instant END = DAY.plus(Duration.ofHours(49));

  private static Place grid(String id) {
    return new Place(id, "BASIC", id);
  }

  private static Instant plus(Instant t, long minutes) {
    return t.plus(Duration.ofMinutes(minutes));
  }

  /** The scenario set, in event-time order. */
  static List<Record> scenarios() {
    List<Record> s = new ArrayList<>();
    // Fire: partners at exactly the thresholds and exactly 5 min apart confirm it.
    Place fc = grid("FC-1");
    s.add(sensor(fc, "SMOKE", "SM-FC1", 10, DAY));
    s.add(camera(fc, "FIRE_SMOKE", 0.8, plus(DAY, 5)));
    // Lone smoke: a camera event too unsure, and a sure one 1 ms too late (itself lone).
    Place fs = grid("FS-1");
    s.add(sensor(fs, "SMOKE", "SM-FS1", 12, DAY));
    s.add(camera(fs, "FIRE_SMOKE", 0.79, DAY.plusSeconds(30)));
    s.add(camera(fs, "FIRE_SMOKE", 0.9, plus(DAY, 5).plusMillis(1)));
    s.add(sensor(grid("FS-2"), "SMOKE", "SM-FS2", 9.99, DAY)); // near-miss
    // Gas: a plain leak, one in a school, one next to a hazardous enterprise; and no pair at all.
    s.addAll(Incidents.of("GAS_LEAK", grid("GAS-1"), DAY));
    s.addAll(Incidents.of("GAS_LEAK", new Place("GAS-S", "SCHOOL", "GAS-S"), DAY));
    Place hazard = grid("GAS-H");
    s.add(department(hazard, "HAZARDOUS_ENTERPRISE", DAY.minus(Duration.ofDays(20)), Map.of()));
    s.addAll(Incidents.of("GAS_LEAK", hazard, DAY));
    Place gasMiss = grid("GAS-N");
    s.add(sensor(gasMiss, "GAS", "GAS-A", 25, DAY));
    s.add(sensor(gasMiss, "GAS", "GAS-B", 25, DAY.plusSeconds(10))); // another device
    s.add(sensor(gasMiss, "GAS", "GAS-A", 19.9, DAY.plusSeconds(20))); // breaks the run
    s.add(sensor(gasMiss, "GAS", "GAS-A", 20, DAY.plusSeconds(30)));
    // Water: at 30 IMPORTANT, at 50 URGENT; one grid's incident ends after 30 quiet minutes and a
    // new one starts.
    Place wl = grid("WL-1");
    s.add(sensor(wl, "WATER_LEVEL", "WL-1", 29.9, DAY));
    s.add(sensor(wl, "WATER_LEVEL", "WL-1", 30, DAY.plusSeconds(1)));
    s.add(sensor(grid("WL-2"), "WATER_LEVEL", "WL-2", 50, DAY));
    Place wl3 = grid("WL-3");
    s.add(sensor(wl3, "WATER_LEVEL", "WL-3", 35, DAY));
    s.add(sensor(wl3, "WATER_LEVEL", "WL-3", 35, plus(DAY, 20)));
    s.add(sensor(wl3, "WATER_LEVEL", "WL-3", 35, plus(DAY, 60)));
    // Manhole and fall: just below and at the threshold.
    s.add(sensor(grid("MH-1"), "MANHOLE_TILT", "MH-1", 14.99, DAY));
    s.add(sensor(grid("MH-1"), "MANHOLE_TILT", "MH-1", 15, DAY.plusSeconds(1)));
    s.add(sensor(grid("MH-2"), "MANHOLE_TILT", "MH-2", 14.99, DAY));
    s.add(camera(grid("FA-1"), "FALL_DETECTED", 0.69, DAY));
    s.add(camera(grid("FA-1"), "FALL_DETECTED", 0.7, DAY.plusSeconds(1)));
    s.add(camera(grid("FA-2"), "FALL_DETECTED", 0.69, DAY));
    // Crowds: three of 50+ within exactly 10 min (one of 49 does not count); after a police call 23
    // h
    // earlier URGENT, 25 h earlier not; and three spread over 10 min + 1 ms.
    Place cr = grid("CR-1");
    s.add(crowd(cr, 50, DAY));
    s.add(crowd(cr, 49, plus(DAY, 1)));
    s.add(crowd(cr, 80, plus(DAY, 2)));
    s.add(crowd(cr, 70, plus(DAY, 10)));
    Place cr2 = grid("CR-2");
    s.add(department(cr2, "INCIDENT_REPORT", DAY.minus(Duration.ofHours(23)), Map.of()));
    s.addAll(Incidents.of("CROWD_GATHERING", cr2, DAY));
    Place cr3 = grid("CR-3");
    s.add(department(cr3, "PETITION_FILED", DAY.minus(Duration.ofHours(25)), Map.of()));
    s.addAll(Incidents.of("CROWD_GATHERING", cr3, DAY));
    Place cr4 = grid("CR-4");
    s.add(crowd(cr4, 60, DAY));
    s.add(crowd(cr4, 60, plus(DAY, 5)));
    s.add(crowd(cr4, 60, plus(DAY, 10).plusMillis(1)));
    // Street vending: five within an hour; and five over 61 minutes.
    Place sv = grid("SV-1");
    for (long m : new long[] {0, 15, 30, 45, 59})
      s.add(camera(sv, "STREET_VENDING", 0.8, plus(DAY, m)));
    Place sv2 = grid("SV-2");
    for (long m : new long[] {0, 15, 30, 45, 61})
      s.add(camera(sv2, "STREET_VENDING", 0.8, plus(DAY, m)));
    // Night noise: 30 loud minutes; with a dispute 6 days earlier IMPORTANT; the same by day, a run
    // broken by a 69 dB reading, and 29 loud minutes: nothing.
    s.addAll(Incidents.of("NIGHT_NOISE", grid("NN-1"), NIGHT));
    Place nn2 = grid("NN-2");
    s.add(
        department(
            nn2,
            "DISPUTE_REPORTED",
            NIGHT.minus(Duration.ofDays(6)),
            Map.of("category", "FAMILY")));
    s.addAll(Incidents.of("NIGHT_NOISE", nn2, NIGHT));
    s.addAll(Incidents.of("NIGHT_NOISE", grid("NN-3"), DAY));
    Place nn4 = grid("NN-4");
    s.add(sensor(nn4, "NOISE", "N-4", 75, NIGHT));
    s.add(sensor(nn4, "NOISE", "N-4", 69, plus(NIGHT, 10)));
    for (long m = 20; m <= 45; m += 5) s.add(sensor(nn4, "NOISE", "N-4", 75, plus(NIGHT, m)));
    Place nn5 = grid("NN-5");
    for (long m = 0; m <= 25; m += 5) s.add(sensor(nn5, "NOISE", "N-5", 75, plus(NIGHT, m)));
    s.add(sensor(nn5, "NOISE", "N-5", 72, plus(NIGHT, 29)));
    // Elderly: a door that reports 2 h after registration, then 24 h of silence; one that reports
    // every 12 h, its last report 1 h before the end.
    Place el = grid("EL-1");
    s.add(department(el, "ELDERLY_LIVING_ALONE", DAY, Map.of("doorSensorId", "DOOR-EL1")));
    s.add(sensor(el, "DOOR", "DOOR-EL1", 1, DAY.plus(Duration.ofHours(2))));
    Place el2 = grid("EL-2");
    s.add(department(el2, "ELDERLY_LIVING_ALONE", DAY, Map.of("doorSensorId", "DOOR-EL2")));
    for (int h = 12; h <= 48; h += 12)
      s.add(sensor(el2, "DOOR", "DOOR-EL2", h % 24 == 0 ? 0 : 1, DAY.plus(Duration.ofHours(h))));
    s.sort(Comparator.comparing(Record::getTs)); // stable: same-instant records keep their order
    return s;
  }

  /** What contract §5 says the scenario set raises: rule, grid, severity. */
  private static final List<String> EXPECTED =
      List.of(
          "CROWD_GATHERING CR-1 IMPORTANT",
          "CROWD_GATHERING CR-2 URGENT",
          "CROWD_GATHERING CR-3 IMPORTANT",
          "ELDERLY_INACTIVE EL-1 IMPORTANT",
          "FALL_DETECTED FA-1 IMPORTANT",
          "FIRE_CONFIRMED FC-1 URGENT",
          "FIRE_SUSPECTED FS-1 IMPORTANT",
          "GAS_LEAK GAS-1 IMPORTANT",
          "GAS_LEAK GAS-H URGENT",
          "GAS_LEAK GAS-S URGENT",
          "MANHOLE_DISPLACED MH-1 IMPORTANT",
          "NIGHT_NOISE NN-1 GENERAL",
          "NIGHT_NOISE NN-2 IMPORTANT",
          "STREET_VENDING SV-1 GENERAL",
          "WATERLOGGING WL-1 IMPORTANT",
          "WATERLOGGING WL-2 URGENT",
          "WATERLOGGING WL-3 IMPORTANT",
          "WATERLOGGING WL-3 IMPORTANT");

  private static Map<String, RaisedAlert> run(
      Supplier<RulePipeline> engine, List<Record> records, long end) throws Exception {
    try (RulePipeline p = engine.get()) {
      for (Record r : records) {
        p.accept(r);
        p.watermark(r.getTs().toEpochMilli() - RuleBenchStream.WATERMARK_DELAY_MS);
      }
      p.watermark(end);
      return new TreeMap<>(p.alerts());
    }
  }

  private static Supplier<RulePipeline> gridFusion() {
    return () -> {
      try {
        return new FlinkRulePipeline();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static List<String> ruleGridSeverity(Map<String, RaisedAlert> alerts) {
    return alerts.values().stream()
        .map(a -> a.ruleId() + " " + a.gridId() + " " + a.severity())
        .sorted()
        .toList();
  }

  /** The alerts only one side raised, one per line, so a failure says what differs. */
  private static String diff(Map<String, RaisedAlert> gridFusion, Map<String, RaisedAlert> esper) {
    TreeSet<String> onlyGf = new TreeSet<>(gridFusion.keySet());
    onlyGf.removeAll(esper.keySet());
    TreeSet<String> onlyEsper = new TreeSet<>(esper.keySet());
    onlyEsper.removeAll(gridFusion.keySet());
    TreeSet<String> severity = new TreeSet<>();
    for (String id : gridFusion.keySet()) {
      if (esper.containsKey(id) && !esper.get(id).equals(gridFusion.get(id))) {
        severity.add(
            id
                + ": GridFusion "
                + gridFusion.get(id).severity()
                + ", Esper "
                + esper.get(id).severity());
      }
    }
    return "only GridFusion:\n  "
        + String.join("\n  ", onlyGf.stream().map(id -> gridFusion.get(id).toString()).toList())
        + "\nonly Esper:\n  "
        + String.join("\n  ", onlyEsper.stream().map(id -> esper.get(id).toString()).toList())
        + "\ndifferent severity:\n  "
        + String.join("\n  ", severity);
  }

  @Test
  void gridFusionRaisesWhatTheContractSays() throws Exception {
    assertThat(ruleGridSeverity(run(gridFusion(), scenarios(), END.toEpochMilli())))
        .isEqualTo(EXPECTED);
  }

  @Test
  void everyDefaultRuleIsCovered() {
    assertThat(EXPECTED.stream().map(e -> e.split(" ")[0]).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(Incidents.RULES);
  }

  @Test
  void esperRaisesTheSameAlertsAsGridFusion() throws Exception {
    List<Record> records = scenarios();
    Map<String, RaisedAlert> gf = run(gridFusion(), records, END.toEpochMilli());
    Map<String, RaisedAlert> esper = run(EsperRuleEngine::new, records, END.toEpochMilli());
    assertThat(esper).as(() -> diff(gf, esper)).isEqualTo(gf);
  }

  @Test
  void esperRaisesTheSameAlertsOnTheBenchmarkStream() throws Exception {
    // 200,000 records in arrival order with 2 s of disorder, ~3 h of event time from 21:30 local,
    // so
    // night noise counts too; 100 injected incidents, then a day more of event time for the timers.
    RuleBenchStream stream =
        RuleBenchStream.build(200_000, 7, Instant.parse("2026-11-24T13:30:00Z"));
    Map<String, RaisedAlert> gf;
    Map<String, RaisedAlert> esper;
    try (RulePipeline p = new FlinkRulePipeline()) {
      stream.feed(p, stream.records.size());
      gf = new TreeMap<>(p.alerts());
    }
    try (RulePipeline p = new EsperRuleEngine()) {
      stream.feed(p, stream.records.size());
      esper = new TreeMap<>(p.alerts());
    }
    assertThat(gf.values()).extracting(RaisedAlert::ruleId).containsAll(Incidents.RULES);
    assertThat(esper).as(() -> diff(gf, esper)).isEqualTo(gf);
  }

  @Test
  void esperRaisesTheSameAlertsWithACitysTunedRules() throws Exception {
    // A city's rules (issue 16) as generated EPL, on the scenario set and a short stream around the
    // night. Ten parameter sets (90 rules, every kind of variation CityRuleSet makes, overrides
    // included): compiling the 1,000-rule set's ~1,500 statements takes Esper minutes, too long
    // for the suite; RuleEngineVsEsper checks the 1,000 rules' alerts are the same on every run.
    RuleSet city = CityRuleSet.of(90);
    String epl = EsperRuleSet.epl(city);
    List<Record> records = scenarios();
    Map<String, RaisedAlert> gf = run(gridFusion(city), records, END.toEpochMilli());
    Map<String, RaisedAlert> esper =
        run(() -> new EsperRuleEngine(epl), records, END.toEpochMilli());
    assertThat(gf.size())
        .as("stricter parameter sets still fire on the scenarios")
        .isGreaterThan(EXPECTED.size());
    assertThat(esper).as(() -> diff(gf, esper)).isEqualTo(gf);

    RuleBenchStream stream =
        RuleBenchStream.build(30_000, 7, Instant.parse("2026-11-24T13:30:00Z"));
    Map<String, RaisedAlert> gfStream;
    Map<String, RaisedAlert> esperStream;
    try (RulePipeline p = new FlinkRulePipeline(city)) {
      stream.feed(p, stream.records.size(), CITY_FLUSH);
      gfStream = new TreeMap<>(p.alerts());
    }
    try (RulePipeline p = new EsperRuleEngine(epl)) {
      stream.feed(p, stream.records.size(), CITY_FLUSH);
      esperStream = new TreeMap<>(p.alerts());
    }
    assertThat(gfStream).isNotEmpty();
    assertThat(esperStream).as(() -> diff(gfStream, esperStream)).isEqualTo(gfStream);
  }

  /** Past the longest silence of the ten parameter sets (33 h). */
  private static final Duration CITY_FLUSH = Duration.ofHours(34);

  private static Supplier<RulePipeline> gridFusion(RuleSet set) {
    return () -> {
      try {
        return new FlinkRulePipeline(set);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
