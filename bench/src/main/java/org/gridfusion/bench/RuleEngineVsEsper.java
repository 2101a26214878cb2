package org.gridfusion.bench;

import com.espertech.esper.runtime.client.util.RuntimeVersion;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.gridfusion.bench.esper.EsperRuleEngine;

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

  private RuleEngineVsEsper() {}

  record Run(double seconds, Map<String, RaisedAlert> alerts) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : n;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    Path out = Path.of(args.length > 3 ? args[3] : "bench/results/rules-vs-esper.json");
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

    long built = System.nanoTime();
    RuleBenchStream stream = RuleBenchStream.build(n, SEED);
    System.out.printf(
        "stream: %,d records over %d grids, an incident every %,d records, built in %.1f s%n",
        n,
        MixedRecordStream.GRIDS,
        RuleBenchStream.INCIDENT_EVERY,
        (System.nanoTime() - built) / 1e9);

    Callable<RulePipeline> gridFusion = FlinkRulePipeline::new;
    Callable<RulePipeline> esper = EsperRuleEngine::new;
    Run w = run(gridFusion, stream, Math.min(warmup, n));
    System.out.printf("warm-up GridFusion: %,.0f records/s%n", Math.min(warmup, n) / w.seconds());
    w = run(esper, stream, Math.min(warmup, n));
    System.out.printf("warm-up Esper:      %,.0f records/s%n", Math.min(warmup, n) / w.seconds());

    double[] gf = new double[rounds];
    double[] ep = new double[rounds];
    Run lastGf = null;
    Run lastEsper = null;
    for (int i = 0; i < rounds; i++) {
      lastGf = run(gridFusion, stream, n);
      gf[i] = n / lastGf.seconds();
      lastEsper = run(esper, stream, n);
      ep[i] = n / lastEsper.seconds();
      System.out.printf(
          "round %d: GridFusion %,.0f records/s, Esper %,.0f records/s%n", i + 1, gf[i], ep[i]);
    }
    double gfMedian = median(gf);
    double esperMedian = median(ep);
    boolean same = lastGf.alerts().equals(lastEsper.alerts());
    Map<String, Long> byRule = byRule(lastGf.alerts());
    System.out.printf(
        "median: GridFusion %,.0f records/s, Esper %,.0f records/s, ratio %.2f (target >= 2)%n",
        gfMedian, esperMedian, gfMedian / esperMedian);
    System.out.printf(
        "alerts: GridFusion %,d, Esper %,d, identical: %s%n",
        lastGf.alerts().size(), lastEsper.alerts().size(), same);
    System.out.println("alerts by rule (GridFusion): " + byRule);
    if (!same) System.out.println("alerts by rule (Esper):      " + byRule(lastEsper.alerts()));

    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    write(
        out,
        n,
        warmup,
        gf,
        ep,
        gfMedian,
        esperMedian,
        lastGf,
        lastEsper,
        same,
        byRule,
        loadBefore,
        loadAfter);
    System.out.println("written " + out.toAbsolutePath());
  }

  static Run run(Callable<RulePipeline> engine, RuleBenchStream stream, int n) throws Exception {
    System.gc(); // the previous run's garbage is not this run's cost
    try (RulePipeline p = engine.call()) {
      long start = System.nanoTime();
      stream.feed(p, n);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Run(seconds, new TreeMap<>(p.alerts()));
    }
  }

  private static double median(double[] rates) {
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static Map<String, Long> byRule(Map<String, RaisedAlert> alerts) {
    return alerts.values().stream()
        .collect(Collectors.groupingBy(RaisedAlert::ruleId, TreeMap::new, Collectors.counting()));
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

  private static void write(
      Path out,
      int n,
      int warmup,
      double[] gf,
      double[] ep,
      double gfMedian,
      double esperMedian,
      Run lastGf,
      Run lastEsper,
      boolean same,
      Map<String, Long> byRule,
      double loadBefore,
      double loadAfter)
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
            + "  \"stream\": {\"records\": "
            + n
            + ", \"grids\": "
            + MixedRecordStream.GRIDS
            + ", \"incidentEvery\": "
            + RuleBenchStream.INCIDENT_EVERY
            + ", \"watermarkEvery\": "
            + RuleBenchStream.WATERMARK_EVERY
            + ", \"seed\": "
            + SEED
            + "},\n"
            + "  \"warmupRecords\": "
            + warmup
            + ",\n"
            + "  \"gridFusion\": {\"engine\": \"RuleEngine + IncidentTracker on Flink operator test harness (heap state)\""
            + ", \"recordsPerSecond\": "
            + Math.round(gfMedian)
            + ", \"rounds\": "
            + rates(gf)
            + "},\n"
            + "  \"esper\": {\"engine\": \"Esper "
            + RuntimeVersion.RUNTIME_VERSION
            + " EPL, external event-time clock\", \"recordsPerSecond\": "
            + Math.round(esperMedian)
            + ", \"rounds\": "
            + rates(ep)
            + "},\n"
            + "  \"ratio\": "
            + Math.round(gfMedian / esperMedian * 100) / 100.0
            + ",\n"
            + "  \"target\": \"rule evaluation >= 2x the Esper baseline\",\n"
            + "  \"alerts\": {\"gridFusion\": "
            + lastGf.alerts().size()
            + ", \"esper\": "
            + lastEsper.alerts().size()
            + ", \"identical\": "
            + same
            + ", \"byRule\": "
            + json(byRule)
            + "}\n"
            + "}\n";
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(out, text);
  }
}
