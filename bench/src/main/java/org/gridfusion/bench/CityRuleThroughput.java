package org.gridfusion.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * Rule evaluation at city scale (issue 16): {@link RuleThroughput}'s measurement — the {@code
 * RuleEngine} on Flink's operator harness, one thread, heap state, the {@link MixedRecordStream}
 * with its watermarks and timers — once with the ten default rules and once with a {@link
 * CityRuleSet} of 1,000 rules (each co-occurrence rule with its complement; per-kind and per-grid
 * overrides in 40 % of the parameter sets), rounds alternating so that both see the same machine
 * load.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.gridfusion.bench.CityRuleThroughput [records]
 * [warmupRecords] [rounds] [entries]} (defaults 200,000, 100,000, 3 and 1,000).
 */
public final class CityRuleThroughput {
  private CityRuleThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int entries = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    RuleSet defaults = RuleSet.defaults();
    long parseStart = System.nanoTime();
    RuleSet city = CityRuleSet.of(entries);
    double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
    System.out.printf(
        "city rule set: %,d entries, %,d rules, %,d overrides, parsed in %.2f s%n",
        entries, city.rules().size(), city.overrides().size(), parseSeconds);
    RuleThroughput.run(warmup, 1, defaults);
    RuleThroughput.run(warmup, 1, city);
    double[] base = new double[rounds];
    double[] many = new double[rounds];
    double[] baseCpu = new double[rounds];
    double[] manyCpu = new double[rounds];
    Map<String, Integer> cityFirings = new TreeMap<>();
    for (int i = 0; i < rounds; i++) {
      RuleThroughput.Result d = RuleThroughput.run(n, 42, defaults);
      RuleThroughput.Result c = RuleThroughput.run(n, 42, city);
      base[i] = n / d.seconds();
      many[i] = n / c.seconds();
      baseCpu[i] = n / d.cpuSeconds();
      manyCpu[i] = n / c.cpuSeconds();
      cityFirings = c.firings();
      System.out.printf(
          "round %d: defaults %,.0f records/s, %,d rules %,.0f records/s"
              + " (per CPU-second: %,.0f and %,.0f)%n",
          i + 1, base[i], city.rules().size(), many[i], baseCpu[i], manyCpu[i]);
    }
    Arrays.sort(base);
    Arrays.sort(many);
    Arrays.sort(baseCpu);
    Arrays.sort(manyCpu);
    System.out.printf(
        "median: defaults %,.0f records/s, %,d rules %,.0f records/s (%.1f %% of the defaults')%n",
        base[rounds / 2],
        city.rules().size(),
        many[rounds / 2],
        100 * many[rounds / 2] / base[rounds / 2]);
    System.out.printf(
        "median per CPU-second of the thread: defaults %,.0f records, %,d rules %,.0f records%n",
        baseCpu[rounds / 2], city.rules().size(), manyCpu[rounds / 2]);
    int total = cityFirings.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "firings with %,d rules (one round): %,d by %,d rules%n",
        city.rules().size(), total, cityFirings.size());
  }
}
