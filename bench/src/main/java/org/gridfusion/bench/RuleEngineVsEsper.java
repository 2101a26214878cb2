package org.gridfusion.bench;

import com.espertech.esper.runtime.client.util.RuntimeVersion;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.gridfusion.bench.esper.EsperRuleEngine;
import org.gridfusion.bench.esper.EsperRuleSet;
import org.gridfusion.bench.esper.EsperRules;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * GridFusion's rule operators against the Esper baseline, on the same in-memory stream in the same
 * JVM (issue 8): {@link FlinkRulePipeline} (RuleEngine then IncidentTracker on Flink's operator
 * harness) and {@link EsperRuleEngine} (the same ten rules and incident tracking in EPL) each get
 * the {@link RuleBenchStream} — background records with an incident of every rule mixed in, a
 * watermark every 1,000 records and a closing watermark that fires every pending timer. Both run on
 * this one thread; each run starts on a fresh engine (built outside the timed section), records/s
 * is the stream's length over the time from the first record to the closing watermark, alerts
 * collected.
 *
 * <p>A warm-up run of each engine comes first (as long as a measured one: with less, the first
 * measured round of either engine was still up to half as fast as the later ones), then the engines
 * alternate, so that load from other processes on a shared machine falls on both alike; the median
 * round counts. The alerts of the last rounds are compared: the figure means something only if both
 * raised the same alerts.
 *
 * <p>Usage: {@code java -Xmx3g -cp benchmarks.jar org.gridfusion.bench.RuleEngineVsEsper [records]
 * [warmupRecords] [rounds] [resultFile]} (defaults 1,000,000, as many as measured, 9 and {@code
 * bench/results/rules-vs-esper.json}); about a minute on two idle cores.
 */
public final class RuleEngineVsEsper {
  private static final long SEED = 42;

  /**
   * The city run's closing watermark: past its longest silence (47 h), so no silence falls due
   * within the minute GridFusion rounds silence checks to.
   */
  static final Duration CITY_FLUSH = Duration.ofHours(48);

  private RuleEngineVsEsper() {}

  record Run(double seconds, Map<String, RaisedAlert> alerts) {}

  /** One rule set through both engines: rates of every round, medians and the last alerts. */
  record Comparison(
      String label,
      int rules,
      int statements,
      int records,
      int warmup,
      double[] gf,
      double[] esper,
      Run lastGf,
      Run lastEsper) {
    double gfMedian() {
      return median(gf);
    }

    double esperMedian() {
      return median(esper);
    }

    double ratio() {
      return gfMedian() / esperMedian();
    }

    boolean same() {
      return lastGf.alerts().equals(lastEsper.alerts());
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : n;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    Path out = Path.of(args.length > 3 ? args[3] : "bench/results/rules-vs-esper.json");
    int cityRecords = args.length > 4 ? Integer.parseInt(args[4]) : 300_000;
    int entries = args.length > 5 ? Integer.parseInt(args[5]) : 1_000;
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

    long built = System.nanoTime();
    RuleBenchStream stream = RuleBenchStream.build(Math.max(n, cityRecords), SEED);
    System.out.printf(
        "stream: %,d records over %d grids, an incident every %,d records, built in %.1f s%n",
        stream.records.size(),
        MixedRecordStream.GRIDS,
        RuleBenchStream.INCIDENT_EVERY,
        (System.nanoTime() - built) / 1e9);

    Comparison defaults =
        compare(
            "defaults",
            RuleSet.defaults().rules().size(),
            statements(EsperRules.EPL),
            FlinkRulePipeline::new,
            EsperRuleEngine::new,
            stream,
            n,
            warmup,
            rounds,
            RuleBenchStream.FLUSH);
    Comparison city = null;
    if (entries > 0) {
      RuleSet set = CityRuleSet.of(entries);
      String epl = EsperRuleSet.epl(set);
      long compiling = System.nanoTime();
      EsperRuleEngine.compile(epl);
      System.out.printf(
          "city: %,d rules as %,d Esper statements, compiled in %.1f s%n",
          set.rules().size(), statements(epl), (System.nanoTime() - compiling) / 1e9);
      city =
          compare(
              "city",
              set.rules().size(),
              statements(epl),
              () -> new FlinkRulePipeline(set),
              () -> new EsperRuleEngine(epl),
              stream,
              cityRecords,
              Math.min(warmup, cityRecords),
              rounds,
              CITY_FLUSH);
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    write(out, defaults, city, loadBefore, loadAfter);
    System.out.println("written " + out.toAbsolutePath());
  }

  /** Warm-up of each engine, then {@code rounds} alternating rounds; prints and returns them. */
  static Comparison compare(
      String label,
      int rules,
      int statements,
      Callable<RulePipeline> gridFusion,
      Callable<RulePipeline> esper,
      RuleBenchStream stream,
      int n,
      int warmup,
      int rounds,
      Duration flush)
      throws Exception {
    int w = Math.min(warmup, n);
    System.out.printf(
        "%s: %,d rules (Esper: %,d statements), %,d records%n", label, rules, statements, n);
    Run run = run(gridFusion, stream, w, flush);
    System.out.printf("  warm-up GridFusion: %,.0f records/s%n", w / run.seconds());
    run = run(esper, stream, w, flush);
    System.out.printf("  warm-up Esper:      %,.0f records/s%n", w / run.seconds());
    double[] gf = new double[rounds];
    double[] ep = new double[rounds];
    Run lastGf = null;
    Run lastEsper = null;
    for (int i = 0; i < rounds; i++) {
      lastGf = run(gridFusion, stream, n, flush);
      gf[i] = n / lastGf.seconds();
      lastEsper = run(esper, stream, n, flush);
      ep[i] = n / lastEsper.seconds();
      System.out.printf(
          "  round %d: GridFusion %,.0f records/s, Esper %,.0f records/s%n", i + 1, gf[i], ep[i]);
    }
    Comparison c = new Comparison(label, rules, statements, n, w, gf, ep, lastGf, lastEsper);
    System.out.printf(
        "  median: GridFusion %,.0f records/s, Esper %,.0f records/s, ratio %.2f%n",
        c.gfMedian(), c.esperMedian(), c.ratio());
    System.out.printf(
        "  alerts: GridFusion %,d, Esper %,d, identical: %s%n",
        lastGf.alerts().size(), lastEsper.alerts().size(), c.same());
    System.out.println("  alerts by rule (GridFusion): " + byRule(lastGf.alerts(), 12));
    if (!c.same())
      System.out.println("  alerts by rule (Esper): " + byRule(lastEsper.alerts(), 12));
    return c;
  }

  /** The statements of an EPL module (each ends with a semicolon at the end of a line). */
  static int statements(String epl) {
    return (int) epl.lines().filter(l -> l.stripTrailing().endsWith(";")).count();
  }

  static Run run(Callable<RulePipeline> engine, RuleBenchStream stream, int n) throws Exception {
    return run(engine, stream, n, RuleBenchStream.FLUSH);
  }

  static Run run(Callable<RulePipeline> engine, RuleBenchStream stream, int n, Duration flush)
      throws Exception {
    System.gc(); // the previous run's garbage is not this run's cost
    try (RulePipeline p = engine.call()) {
      long start = System.nanoTime();
      stream.feed(p, n, flush);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Run(seconds, new TreeMap<>(p.alerts()));
    }
  }

  private static double median(double[] rates) {
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Alerts per rule; with many rules, per rule family (the id without its parameter set). */
  private static Map<String, Long> byRule(Map<String, RaisedAlert> alerts, int families) {
    Map<String, Long> byRule =
        alerts.values().stream()
            .collect(
                Collectors.groupingBy(RaisedAlert::ruleId, TreeMap::new, Collectors.counting()));
    if (byRule.size() <= families) return byRule;
    return alerts.values().stream()
        .collect(
            Collectors.groupingBy(
                a -> a.ruleId().replaceAll("_\\d+$", "_*"), TreeMap::new, Collectors.counting()));
  }

  private static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String rates(double[] r) {
    return Arrays.stream(r)
        .mapToObj(x -> String.valueOf(Math.round(x)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String json(Map<String, Long> m) {
    return m.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String section(Comparison c) {
    return "{\"rules\": "
        + c.rules()
        + ", \"esperStatements\": "
        + c.statements()
        + ", \"records\": "
        + c.records()
        + ", \"warmupRecords\": "
        + c.warmup()
        + ",\n    \"gridFusion\": {\"recordsPerSecond\": "
        + Math.round(c.gfMedian())
        + ", \"rounds\": "
        + rates(c.gf())
        + "},\n    \"esper\": {\"recordsPerSecond\": "
        + Math.round(c.esperMedian())
        + ", \"rounds\": "
        + rates(c.esper())
        + "},\n    \"ratio\": "
        + Math.round(c.ratio() * 100) / 100.0
        + ",\n    \"alerts\": {\"gridFusion\": "
        + c.lastGf().alerts().size()
        + ", \"esper\": "
        + c.lastEsper().alerts().size()
        + ", \"identical\": "
        + c.same()
        + ", \"byRule\": "
        + json(byRule(c.lastGf().alerts(), 12))
        + "}}";
  }

  private static void write(
      Path out, Comparison defaults, Comparison city, double loadBefore, double loadAfter)
      throws IOException {
    String text =
        "{\n"
            + "  \"benchmark\": \"RuleEngineVsEsper\",\n"
            + "  \"date\": \""
            + Instant.now()
            + "\",\n"
            + "  \"machine\": {\"cores\": "
            + Runtime.getRuntime().availableProcessors()
            + ", \"cpu\": \""
            + cpu().replace("\"", "'")
            + "\""
            + ", \"os\": \""
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + "\""
            + ", \"jvm\": \""
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + "\""
            + ", \"maxHeapMb\": "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + ", \"loadAverageBefore\": "
            + loadBefore
            + ", \"loadAverageAfter\": "
            + loadAfter
            + "},\n"
            + "  \"stream\": {\"grids\": "
            + MixedRecordStream.GRIDS
            + ", \"incidentEvery\": "
            + RuleBenchStream.INCIDENT_EVERY
            + ", \"watermarkEvery\": "
            + RuleBenchStream.WATERMARK_EVERY
            + ", \"seed\": "
            + SEED
            + "},\n"
            + "  \"gridFusion\": \"RuleEngine + IncidentTracker on Flink operator test harness (heap state)\",\n"
            + "  \"esper\": \"Esper "
            + RuntimeVersion.RUNTIME_VERSION
            + " EPL, external event-time clock; defaults hand-written (EsperRules), city generated"
            + " (EsperRuleSet)\",\n"
            + "  \"target\": \"rule evaluation >= 2x Esper with 1,000 rules, >= 2.5x with the"
            + " defaults\",\n"
            + "  \"defaults\": "
            + section(defaults)
            + (city == null ? "" : ",\n  \"city\": " + section(city))
            + "\n}\n";
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(out, text);
  }
}
