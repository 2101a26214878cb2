package org.gridfusion.launcher.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.gridfusion.embedded.CpuBreakdown;
import org.gridfusion.launcher.bench.AlertProbes.Probe;
import org.gridfusion.launcher.traffic.KafkaTrafficSink;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.traffic.HttpTrafficSink;
import org.gridfusion.simulator.traffic.InboxTrafficSink;
import org.gridfusion.simulator.traffic.MqttTrafficSink;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.simulator.traffic.Simulation;
import org.gridfusion.simulator.traffic.SinkCounts;
import org.gridfusion.simulator.traffic.TrafficConfig;
import org.gridfusion.simulator.traffic.TrafficSink;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * The end-to-end benchmark of a running GridFusion (issue 8): simulated background traffic of a
 * district at a fixed offered rate through the real ingress (or straight into the raw topics), with
 * alert probes interleaved at a low rate. Measures, every second, what the job committed to
 * gf.records and indexed into gf-records, and this JVM's CPU and heap; then reports the figures
 * over the window after warm-up. Step mode repeats runs at rising rates until the event→alert p99
 * passes a limit or the pipeline stops keeping up, and reports the knee.
 *
 * <p>It only needs the endpoints, so {@code gridfusion bench} runs it against its embedded stack
 * and a test against the shared test pipeline. Background traffic has no duplicates and no invalid
 * messages, so every accepted input should become one record.
 */
public final class EndToEndBench {
  /**
   * Share of the offered rate that must be accepted, and of the accepted that must be committed, to
   * keep up.
   */
  public static final double KEEP_UP = 0.9;

  private static final long MIB = 1024 * 1024;

  /**
   * One run.
   *
   * @param rate offered records per second, split by the ingress mix
   * @param duration the measured window, after the warm-up
   * @param probesPerSecond alert probes per second (0: no latency figures)
   * @param sampleEvery spacing of the time series kept in the result
   * @param progressEvery spacing of the progress lines
   */
  public record RunSettings(
      double rate,
      Duration duration,
      Duration warmup,
      IngressMix ingress,
      double probesPerSecond,
      Duration sampleEvery,
      Duration progressEvery,
      long seed) {
    public RunSettings {
      if (!(rate > 0) || rate > 1_000_000)
        throw new IllegalArgumentException("--rate must be in (0, 1000000], got " + rate);
      if (duration == null || duration.toMillis() < 1000)
        throw new IllegalArgumentException("--duration must be at least 1s");
      if (warmup == null || warmup.isNegative())
        throw new IllegalArgumentException("--warmup must be >= 0");
      if (ingress == null) throw new IllegalArgumentException("--ingress is required");
      if (probesPerSecond < 0 || probesPerSecond > 100) {
        throw new IllegalArgumentException(
            "--incidents-per-second must be in [0, 100], got " + probesPerSecond);
      }
      if (sampleEvery == null || sampleEvery.toMillis() < 1000)
        throw new IllegalArgumentException("--sample-every must be at least 1s");
      if (progressEvery == null || progressEvery.toMillis() < 1000)
        throw new IllegalArgumentException("progress interval must be at least 1s");
    }

    public RunSettings withRate(double rate) {
      return new RunSettings(
          rate, duration, warmup, ingress, probesPerSecond, sampleEvery, progressEvery, seed);
    }
  }

  /**
   * Step mode: rates {@code start, start*factor, ...} (or {@code start + k*increment} when an
   * increment is given) until p99 exceeds {@code p99Limit}, the pipeline stops keeping up, or
   * {@code maxSteps}.
   */
  public record StepPlan(double factor, double increment, Duration p99Limit, int maxSteps) {
    public StepPlan {
      if (increment < 0) throw new IllegalArgumentException("--step-increment must be >= 0");
      if (increment == 0 && !(factor > 1))
        throw new IllegalArgumentException("--step-factor must be > 1");
      if (p99Limit == null || p99Limit.isNegative() || p99Limit.isZero())
        throw new IllegalArgumentException("--p99-limit must be > 0");
      if (maxSteps < 1 || maxSteps > 50)
        throw new IllegalArgumentException("--max-steps must be in [1, 50]");
    }

    double rate(double start, int step) {
      return increment > 0 ? start + step * increment : start * Math.pow(factor, step);
    }
  }

  /** The knee of a step run: the highest rate that met both targets, and why the next did not. */
  public record Knee(Double rate, Double failedRate, String reason) {}

  public record StepOutcome(List<RunResult> runs, Knee knee) {}

  private final BenchEndpoints endpoints;
  private final District district;
  private final List<ProbeTarget> probeTargets;
  private final Duration probeEventTimeOffset;
  private final PrintStream out;

  /**
   * @param district the district the pipeline was given (its devices and addresses): the source of
   *     the background traffic
   * @param probeTargets where alert probes go; their grids should see no other alerts of their
   *     rules
   * @param probeEventTimeOffset moves probe event times away from the wall clock (0 for a live run)
   * @param out progress lines
   */
  public EndToEndBench(
      BenchEndpoints endpoints,
      District district,
      List<ProbeTarget> probeTargets,
      Duration probeEventTimeOffset,
      PrintStream out) {
    this.endpoints = endpoints;
    this.district = district;
    this.probeTargets = List.copyOf(probeTargets);
    this.probeEventTimeOffset = probeEventTimeOffset;
    this.out = out;
  }

  /**
   * Raises the rate step by step from {@code first.rate()}; each step is a full run with its own
   * warm-up.
   */
  public StepOutcome step(RunSettings first, StepPlan plan) throws Exception {
    List<RunResult> runs = new ArrayList<>();
    Double knee = null;
    for (int k = 0; k < plan.maxSteps(); k++) {
      double rate = Math.round(plan.rate(first.rate(), k));
      out.printf(Locale.ROOT, "step %d: %,.0f records/s%n", k + 1, rate);
      RunResult r = run(first.withRate(rate));
      runs.add(r);
      String why = null;
      if (!r.keptUp()) {
        why =
            String.format(
                Locale.ROOT,
                "did not keep up: accepted %,.0f/s, committed %,.0f/s of %,.0f/s offered",
                r.input().acceptedPerSecond(),
                r.output().recordsPerSecond(),
                rate);
      } else if (first.probesPerSecond() > 0 && r.latency().probesFound() == 0) {
        why = "no probe alert was found";
      } else if (r.latency().p99() > plan.p99Limit().toMillis()) {
        why =
            "event→alert p99 " + r.latency().p99() + " ms > " + plan.p99Limit().toMillis() + " ms";
      }
      if (why != null) {
        out.println(
            "knee passed at " + String.format(Locale.ROOT, "%,.0f", rate) + " records/s: " + why);
        return new StepOutcome(runs, new Knee(knee, rate, why));
      }
      knee = rate;
    }
    return new StepOutcome(
        runs, new Knee(knee, null, "every step met the targets (max steps reached)"));
  }

  /** One run at {@code s.rate()}: warm-up, measured window, then a wait for the last probes. */
  public RunResult run(RunSettings s) throws Exception {
    Instant start = Instant.now();
    IngressMix mix = s.ingress();
    TrafficConfig traffic =
        TrafficConfig.defaults(s.seed(), start)
            .withRates(
                s.rate() * mix.sensorShare(),
                s.rate() * mix.cameraShare(),
                s.rate() * mix.departmentShare())
            .withShares(0, 0);
    String tag = traffic.runId();
    KafkaTrafficSink raw =
        mix.kafka()
            ? new KafkaTrafficSink(
                endpoints.kafka(), "gridfusion-bench-" + tag, endpoints.privacy())
            : null;
    TrafficSink sink = raw != null ? raw : connectorSinks(mix, tag);
    JvmSampler jvm = new JvmSampler();
    List<Tick> ticks = new ArrayList<>();
    CpuBreakdown.Snapshot cpuFrom = null;
    Map<String, Double> coresByPart;
    List<Probe> probes;
    try (OutputCounter counter = new OutputCounter(endpoints.kafka(), endpoints.elasticsearch());
        AlertProbes alertProbes =
            new AlertProbes(
                probeTargets,
                raw != null
                    ? ProbeChannel.kafka(raw)
                    : ProbeChannel.connectors(endpoints, "gridfusion-bench-probe-" + tag),
                endpoints.elasticsearch(),
                endpoints.kafka(),
                probeEventTimeOffset,
                tag)) {
      // Warm-up starts at half the rate: the job's JVM and Elasticsearch compile their hot paths in
      // the
      // first minute, and a full rate then builds a backlog the measured window would still be
      // working off.
      Duration ramp = s.warmup().dividedBy(2);
      Simulation rampUp =
          new Simulation(
              district,
              traffic
                  .withRates(
                      traffic.sensorReadingsPerSecond() / 2,
                      traffic.cameraEventsPerSecond() / 2,
                      traffic.departmentRecordsPerSecond() / 2)
                  .withRunId(tag + "_ramp"),
              sink,
              null);
      Simulation simulation =
          new Simulation(district, traffic.withStart(start.plus(ramp)).withRunId(tag), sink, null);
      Duration total = s.warmup().plus(s.duration());
      // Runs until stopped after the last sample, so the window's edge never sees the traffic wind
      // down.
      Thread feeder =
          new Thread(
              () -> {
                if (!ramp.isZero()) rampUp.run(ramp);
                simulation.run(null);
              },
              "bench-traffic");
      feeder.setDaemon(true);
      long t0 = System.currentTimeMillis();
      ticks.add(tick(t0, sink, counter, jvm, alertProbes));
      feeder.start();
      alertProbes.start(s.probesPerSecond());
      long end = t0 + total.toMillis();
      long measureFrom = t0 + s.warmup().toMillis();
      long nextProgress = t0 + s.progressEvery().toMillis();
      for (long next = t0 + 1000; next <= end; next += 1000) {
        Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
        ticks.add(tick(next, sink, counter, jvm, alertProbes));
        if (cpuFrom == null && next >= measureFrom) cpuFrom = CpuBreakdown.take();
        if (next >= nextProgress) {
          out.println(progressLine(s, t0, ticks, alertProbes.snapshot()));
          nextProgress += s.progressEvery().toMillis();
        }
      }
      coresByPart = cpuFrom == null ? Map.of() : CpuBreakdown.cores(cpuFrom, CpuBreakdown.take());
      rampUp.stop();
      simulation.stop();
      alertProbes.stopSending();
      feeder.join(60_000);
      alertProbes.awaitSettled(AlertProbes.GIVE_UP.plusSeconds(2));
      probes = alertProbes.snapshot();
    } finally {
      jvm.close();
      sink.close();
    }
    RunResult result = figures(s, ticks, probes, coresByPart);
    out.println(summaryLine(result));
    return result;
  }

  private TrafficSink connectorSinks(IngressMix mix, String tag) {
    TrafficSink mqtt =
        mix.sensorShare() > 0
            ? MqttTrafficSink.connect(
                endpoints.mqttUrl(),
                "gridfusion-bench-" + tag,
                MqttTrafficSink.DEFAULT_MAX_INFLIGHT,
                endpoints.mqttUser(),
                endpoints.mqttPassword())
            : null;
    TrafficSink http =
        mix.cameraShare() > 0
            ? new HttpTrafficSink(
                endpoints.httpIngestUrl(), endpoints.httpToken(), 4, Duration.ofSeconds(30))
            : null;
    TrafficSink inbox =
        mix.departmentShare() > 0
            ? new InboxTrafficSink(endpoints.inboxDir(), "bench-" + tag)
            : null;
    return new RoutingTrafficSink(mqtt, http, inbox);
  }

  /** Totals at one second of a run. */
  private record Tick(
      long at,
      long sent,
      long accepted,
      long failed,
      long rejected,
      Map<TrafficSource, Long> acceptedBySource,
      Map<String, Long> raw,
      long committed,
      long indexed,
      JvmSampler.Sample jvm,
      int probesFound) {}

  private static Tick tick(
      long at, TrafficSink sink, OutputCounter counter, JvmSampler jvm, AlertProbes probes) {
    long sent = 0;
    long accepted = 0;
    long failed = 0;
    long rejected = 0;
    Map<TrafficSource, Long> bySource = new LinkedHashMap<>();
    for (TrafficSource source : TrafficSource.values()) {
      SinkCounts c = sink.counts(source);
      sent += c.sent();
      accepted += c.acknowledged();
      failed += c.failed();
      rejected += c.rejected();
      bySource.put(source, c.acknowledged());
    }
    int found = (int) probes.snapshot().stream().filter(Probe::found).count();
    return new Tick(
        at,
        sent,
        accepted,
        failed,
        rejected,
        bySource,
        counter.rawRecords(),
        counter.committedRecords(),
        counter.indexedRecords(),
        jvm.sample(),
        found);
  }

  private RunResult figures(
      RunSettings s, List<Tick> ticks, List<Probe> probes, Map<String, Double> coresByPart) {
    long t0 = ticks.get(0).at();
    long from = t0 + s.warmup().toMillis();
    List<Tick> window = ticks.stream().filter(t -> t.at() >= from).toList();
    Tick first = window.get(0);
    Tick last = window.get(window.size() - 1);
    double seconds = Math.max(1, (last.at() - first.at()) / 1000.0);

    Map<String, Double> bySource = new LinkedHashMap<>();
    for (TrafficSource source : TrafficSource.values()) {
      bySource.put(
          source.name(),
          Stats.round1(
              (last.acceptedBySource().get(source) - first.acceptedBySource().get(source))
                  / seconds));
    }
    Map<String, Double> forwarded = new LinkedHashMap<>();
    for (TrafficSource source : TrafficSource.values()) {
      String k = source.name();
      if (first.raw().containsKey(k) && last.raw().containsKey(k)) {
        forwarded.put(k, Stats.round1((last.raw().get(k) - first.raw().get(k)) / seconds));
      }
    }
    RunResult.Input input =
        new RunResult.Input(
            Stats.round1((last.sent() - first.sent()) / seconds),
            Stats.round1((last.accepted() - first.accepted()) / seconds),
            last.failed() - first.failed(),
            last.rejected() - first.rejected(),
            bySource,
            forwarded);

    RunResult.Output output =
        new RunResult.Output(
            Stats.round1(sustainedCommitted(window)),
            Stats.round1(delta(window, Tick::committed) / seconds),
            Stats.round1(delta(window, Tick::indexed) / seconds));

    List<Probe> measured =
        probes.stream().filter(p -> p.acceptedAt >= from && p.acceptedAt <= last.at()).toList();
    RunResult.Latency latency = latency(measured);

    double[] process =
        window.stream()
            .mapToDouble(t -> t.jvm().processCpu())
            .filter(v -> v >= 0)
            .map(v -> v * 100)
            .toArray();
    double[] system =
        window.stream()
            .mapToDouble(t -> t.jvm().systemCpu())
            .filter(v -> v >= 0)
            .map(v -> v * 100)
            .toArray();
    RunResult.Cpu cpu =
        new RunResult.Cpu(
            Stats.round1(Stats.mean(process)),
            Stats.round1(Stats.max(process)),
            Stats.round1(Stats.mean(system)),
            Stats.round1(Stats.max(system)),
            Stats.round1(ticks.get(0).jvm().loadAverage()),
            Stats.round1(last.jvm().loadAverage()),
            coresByPart);

    double[] minutes = window.stream().mapToDouble(t -> (t.at() - from) / 60_000.0).toArray();
    double[] afterGc =
        window.stream().mapToDouble(t -> t.jvm().heapAfterGc() / (double) MIB).toArray();
    RunResult.Heap heap =
        new RunResult.Heap(
            Math.round(Stats.mean(afterGc)),
            Math.round(Stats.max(afterGc)),
            window.stream().mapToLong(t -> t.jvm().heapUsed()).max().orElse(0) / MIB,
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / MIB,
            Stats.round1(Stats.slope(minutes, afterGc)));

    boolean keptUp =
        input.acceptedPerSecond() >= KEEP_UP * s.rate()
            && output.recordsPerSecond() >= KEEP_UP * input.acceptedPerSecond();

    List<RunResult.Point> series = new ArrayList<>();
    long every = s.sampleEvery().toMillis();
    for (Tick t : ticks) {
      if ((t.at() - t0) % every < 1000 || t == ticks.get(ticks.size() - 1)) {
        series.add(
            new RunResult.Point(
                (t.at() - t0) / 1000,
                t.sent(),
                t.accepted(),
                t.committed(),
                t.indexed(),
                t.jvm().heapAfterGc() / MIB,
                Stats.round1(t.jvm().processCpu() * 100),
                t.probesFound()));
      }
    }
    return new RunResult(
        s.ingress().label(),
        s.rate(),
        s.warmup().toMillis() / 1000.0,
        seconds,
        input,
        output,
        latency,
        cpu,
        heap,
        keptUp,
        series);
  }

  /**
   * Records committed between the first and the last commit seen in the window, over the time
   * between them: gf.records advances in steps at checkpoints, so counting from the window's edges
   * would be off by up to a checkpoint's worth. Falls back to the window when it saw fewer than two
   * commits.
   */
  private static double sustainedCommitted(List<Tick> window) {
    List<Tick> known = window.stream().filter(t -> t.committed() >= 0).toList();
    if (known.size() < 2) return 0;
    Tick firstCommit = null;
    Tick lastCommit = null;
    for (int i = 1; i < known.size(); i++) {
      if (known.get(i).committed() != known.get(i - 1).committed()) {
        if (firstCommit == null) firstCommit = known.get(i);
        lastCommit = known.get(i);
      }
    }
    if (firstCommit == null || lastCommit == firstCommit) {
      Tick a = known.get(0);
      Tick b = known.get(known.size() - 1);
      return (b.committed() - a.committed()) / Math.max(1, (b.at() - a.at()) / 1000.0);
    }
    return (lastCommit.committed() - firstCommit.committed())
        / ((lastCommit.at() - firstCommit.at()) / 1000.0);
  }

  private static long delta(List<Tick> window, ToLongFunction<Tick> value) {
    List<Tick> known = window.stream().filter(t -> value.applyAsLong(t) >= 0).toList();
    return known.size() < 2
        ? 0
        : value.applyAsLong(known.get(known.size() - 1)) - value.applyAsLong(known.get(0));
  }

  /**
   * A lost probe counts as {@link AlertProbes#GIVE_UP} — a lower bound — so probes that never
   * arrive push the percentiles up instead of vanishing from them.
   */
  private static RunResult.Latency latency(List<Probe> measured) {
    long[] all = latencies(measured);
    long[] toDetected =
        measured.stream()
            .filter(p -> p.found() && p.detectedAt > 0)
            .mapToLong(p -> p.detectedAt - p.acceptedAt)
            .toArray();
    long[] toSearchable =
        measured.stream()
            .filter(p -> p.found() && p.detectedAt > 0)
            .mapToLong(p -> p.foundAt - p.detectedAt)
            .toArray();
    Map<String, RunResult.ByRule> byRule = new TreeMap<>();
    measured.stream()
        .map(p -> p.target.ruleId())
        .distinct()
        .forEach(
            rule -> {
              List<Probe> mine =
                  measured.stream().filter(p -> p.target.ruleId().equals(rule)).toList();
              long[] l = latencies(mine);
              byRule.put(
                  rule,
                  new RunResult.ByRule(
                      mine.size(),
                      (int) mine.stream().filter(Probe::found).count(),
                      (int) mine.stream().filter(p -> p.lost).count(),
                      Stats.percentile(l, 50),
                      Stats.percentile(l, 99)));
            });
    long mean = all.length == 0 ? 0 : Math.round(Arrays.stream(all).average().orElse(0));
    return new RunResult.Latency(
        measured.size(),
        (int) measured.stream().filter(Probe::found).count(),
        (int) measured.stream().filter(p -> p.lost).count(),
        Stats.percentile(all, 50),
        Stats.percentile(all, 95),
        Stats.percentile(all, 99),
        Stats.percentile(all, 100),
        mean,
        Stats.percentile(toDetected, 50),
        Stats.percentile(toSearchable, 50),
        byRule,
        onKafka(measured));
  }

  private static RunResult.OnKafka onKafka(List<Probe> measured) {
    long giveUp = AlertProbes.GIVE_UP.toMillis();
    long[] l =
        measured.stream()
            .filter(p -> p.committed() || p.lostOnKafka)
            .mapToLong(p -> p.committed() ? p.committedLatencyMs() : giveUp)
            .toArray();
    return new RunResult.OnKafka(
        (int) measured.stream().filter(Probe::committed).count(),
        (int) measured.stream().filter(p -> p.lostOnKafka).count(),
        Stats.percentile(l, 50),
        Stats.percentile(l, 95),
        Stats.percentile(l, 99),
        Stats.percentile(l, 100));
  }

  private static long[] latencies(List<Probe> probes) {
    long giveUp = AlertProbes.GIVE_UP.toMillis();
    return probes.stream()
        .filter(p -> p.found() || p.lost)
        .mapToLong(p -> p.found() ? p.latencyMs() : giveUp)
        .toArray();
  }

  private String progressLine(RunSettings s, long t0, List<Tick> ticks, List<Probe> probes) {
    Tick now = ticks.get(ticks.size() - 1);
    Tick before =
        ticks.get(Math.max(0, ticks.size() - 1 - (int) (s.progressEvery().toMillis() / 1000)));
    double secs = Math.max(1, (now.at() - before.at()) / 1000.0);
    boolean warming = now.at() - t0 <= s.warmup().toMillis();
    long[] recent =
        probes.stream()
            .filter(p -> p.found() && p.foundAt > before.at())
            .mapToLong(Probe::latencyMs)
            .toArray();
    long[] recentOnKafka =
        probes.stream()
            .filter(p -> p.committed() && p.committedAt > before.at())
            .mapToLong(Probe::committedLatencyMs)
            .toArray();
    return String.format(
        Locale.ROOT,
        "%4ds %-7s offered %,.0f/s | sent %,.0f/s accepted %,.0f/s failed %d | raw topics %,.0f/s | gf.records %,.0f/s committed,"
            + " gf-records %,.0f/s indexed"
            + " | probes %d found %d, last %ds on gf.alerts p50 %d ms max %d ms, searchable p50 %d ms max %d ms | cpu %.0f%% (system %.0f%%) | heap %d MiB after GC",
        (now.at() - t0) / 1000,
        warming ? "warm-up" : "measure",
        s.rate(),
        (now.sent() - before.sent()) / secs,
        (now.accepted() - before.accepted()) / secs,
        now.failed(),
        (sum(now.raw()) - sum(before.raw())) / secs,
        (now.committed() - before.committed()) / secs,
        (now.indexed() - before.indexed()) / secs,
        probes.size(),
        probes.stream().filter(Probe::found).count(),
        (int) secs,
        Stats.percentile(recentOnKafka, 50),
        Stats.percentile(recentOnKafka, 100),
        Stats.percentile(recent, 50),
        Stats.percentile(recent, 100),
        now.jvm().processCpu() * 100,
        now.jvm().systemCpu() * 100,
        now.jvm().heapAfterGc() / MIB);
  }

  private static long sum(Map<String, Long> raw) {
    return raw.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String summaryLine(RunResult r) {
    return String.format(
            Locale.ROOT,
            "result %s at %,.0f/s offered: accepted %,.0f/s, gf.records %,.0f/s sustained (%,.0f/s indexed), event→alert on gf.alerts (read_committed)"
                + " p50 %d / p95 %d / p99 %d / max %d ms (%d seen), searchable in gf-alerts p50 %d / p95 %d"
                + " / p99 %d / max %d ms (%d of %d probes found, a lost one counts as 30 s), cpu %.0f%% process, %.0f%% system, heap after GC avg %d max %d MiB%s",
            r.ingress(),
            r.offeredPerSecond(),
            r.input().acceptedPerSecond(),
            r.output().recordsPerSecond(),
            r.output().indexedPerSecond(),
            r.latency().onKafka().p50(),
            r.latency().onKafka().p95(),
            r.latency().onKafka().p99(),
            r.latency().onKafka().max(),
            r.latency().onKafka().found(),
            r.latency().p50(),
            r.latency().p95(),
            r.latency().p99(),
            r.latency().max(),
            r.latency().probesFound(),
            r.latency().probesSent(),
            r.cpu().processAvgPercent(),
            r.cpu().systemAvgPercent(),
            r.heap().afterGcAvgMib(),
            r.heap().afterGcMaxMib(),
            r.keptUp() ? "" : " — DID NOT KEEP UP")
        + "\n  cores used: "
        + r.cpu().coresByPart().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
  }
}
