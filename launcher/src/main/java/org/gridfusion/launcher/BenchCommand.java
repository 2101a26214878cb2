package org.gridfusion.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.launcher.bench.BenchEndpoints;
import org.gridfusion.launcher.bench.BenchReport;
import org.gridfusion.launcher.bench.EndToEndBench;
import org.gridfusion.launcher.bench.IngressMix;
import org.gridfusion.launcher.bench.ProbeDevices;
import org.gridfusion.launcher.bench.ProbeTarget;
import org.gridfusion.launcher.bench.RunResult;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "End-to-end benchmark on the embedded stack.",
      "Starts what `up` starts (Kafka, MQTT, Elasticsearch, the fusion job, the connectors) in a fresh data directory on free ports, generates a district and offers simulated traffic at a fixed rate through MQTT, HTTP and the inbox (--ingress mqtt=70,http=20,inbox=10) or straight into the raw Kafka topics (--ingress kafka).",
      "",
      "Alert probes (a manhole sensor over MQTT, a camera seeing a fall over HTTP) are interleaved at a low rate. Their latency runs from the input being accepted (PUBACK, HTTP 202, Kafka ack) to the alert on gf.alerts (read_committed) and, separately, to the alert being searchable in gf-alerts-*.",
      "",
      "Reports the accepted rate, the sustained rate into gf.records (read_committed end offsets, sampled every second), both event->alert latencies p50/p95/p99/max, the rate of record indexing into gf-records, CPU and heap after GC; writes bench/results/e2e-<ingress>-<time>.json and prints a row for the README's performance table. --step raises the rate until p99 > --p99-limit or the pipeline stops keeping up and reports the knee; --soak 30m runs one long run and reports the heap slope.",
      "",
      "Examples:",
      "  bin/gridfusion bench --rate 2000 --duration 60s",
      "  bin/gridfusion bench --ingress kafka --rate 10000",
      "  bin/gridfusion bench --ingress kafka --rate 5000 --warmup 240s --duration 180s",
      "  bin/gridfusion bench --step --rate 1000 --step-factor 2 --duration 30s",
      ""
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--rate",
      defaultValue = "2000",
      paramLabel = "N",
      description =
          "offered records per second, split by the ingress mix (default ${DEFAULT-VALUE}); the first rate with --step")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description = "measured window of a run, after the warm-up (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "traffic before measuring starts, its first half at half the rate (default ${DEFAULT-VALUE}): on 2 cores the job's JVM and Elasticsearch compile their hot paths in about the first minute")
  Duration warmup;

  @Option(
      names = "--ingress",
      defaultValue = "mqtt=70,http=20,inbox=10",
      paramLabel = "MIX",
      description =
          "mqtt=N,http=N,inbox=N (weights adding up to 100: sensors over MQTT, cameras over HTTP, department"
              + " files in the inbox) or kafka (the same 70/20/10 mix written straight into the raw topics) (default ${DEFAULT-VALUE})")
  String ingress;

  @Option(
      names = "--incidents-per-second",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "alert probes per second, alternating MQTT sensor and HTTP camera (0: none) (default ${DEFAULT-VALUE})")
  double probesPerSecond;

  @Option(
      names = "--step",
      description =
          "raise the rate step by step until p99 > --p99-limit or throughput falls behind")
  boolean step;

  @Option(
      names = "--step-factor",
      defaultValue = "1.5",
      paramLabel = "X",
      description = "rate multiplier per step (default ${DEFAULT-VALUE})")
  double stepFactor;

  @Option(
      names = "--step-increment",
      defaultValue = "0",
      paramLabel = "N",
      description = "add N records/s per step instead of multiplying")
  double stepIncrement;

  @Option(
      names = "--p99-limit",
      defaultValue = "1s",
      paramLabel = "DURATION",
      description = "step mode stops when event→alert p99 exceeds this (default ${DEFAULT-VALUE})")
  Duration p99Limit;

  @Option(
      names = "--max-steps",
      defaultValue = "8",
      paramLabel = "N",
      description = "step mode stops after this many steps (default ${DEFAULT-VALUE})")
  int maxSteps;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      description =
          "one long run instead of --duration, e.g. 30m, to see whether the heap stays flat")
  Duration soak;

  @Option(
      names = "--sample-every",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description = "spacing of the time series in the result file (default ${DEFAULT-VALUE})")
  Duration sampleEvery;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      paramLabel = "DIR",
      description = "where the result file goes (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--readme",
      defaultValue = "README.md",
      paramLabel = "FILE",
      description =
          "README whose end-to-end table gets a row for this run (above its marker line; default ${DEFAULT-VALUE}; none: don't)")
  Path readme;

  @Option(
      names = "--streets",
      defaultValue = "4",
      paramLabel = "N",
      description = "streets of the generated district (default ${DEFAULT-VALUE})")
  int streets;

  @Option(
      names = "--communities-per-street",
      defaultValue = "4",
      paramLabel = "N",
      description = "communities per street (default ${DEFAULT-VALUE})")
  int communities;

  @Option(
      names = "--probe-grids",
      defaultValue = "8",
      paramLabel = "N",
      description = "grids that get a probe sensor and camera (default ${DEFAULT-VALUE})")
  int probeGrids;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "seed of district and traffic (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--keep-data",
      description = "keep the run's data directory (Kafka, Elasticsearch, logs) afterwards")
  boolean keepData;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    PrintStream console = System.out;
    if (soak != null && step)
      throw new IllegalArgumentException("--soak and --step do not go together");
    IngressMix mix = IngressMix.parse(ingress);
    EndToEndBench.RunSettings settings =
        new EndToEndBench.RunSettings(
            rate,
            soak != null ? soak : duration,
            warmup,
            mix,
            probesPerSecond,
            sampleEvery,
            Duration.ofSeconds(5),
            seed);
    EndToEndBench.StepPlan plan =
        step ? new EndToEndBench.StepPlan(stepFactor, stepIncrement, p99Limit, maxSteps) : null;

    Config config = configOptions.load();
    if (config.isSet(GridFusionOptions.REFERENCE_GRID_MAP)) {
      throw new IllegalArgumentException(
          "bench generates its own district: leave reference.gridMap unset");
    }
    Instant started = Instant.now();
    Path runDir =
        Path.of(config.get(GridFusionOptions.DATA_DIR))
            .toAbsolutePath()
            .resolve("bench")
            .resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(ZoneOffset.UTC)
                    .format(started));
    config = onFreePorts(config).with(GridFusionOptions.DATA_DIR, runDir.toString());
    District district =
        DistrictGenerator.generate(
            DistrictSpec.of(streets, communities, seed)
                .withAsOf(started.truncatedTo(ChronoUnit.DAYS)));
    Path districtDir = runDir.resolve("district");
    district.writeTo(districtDir);
    List<ProbeTarget> probes =
        ProbeDevices.register(district, districtDir.resolve(District.DEVICES_FILE), probeGrids);
    config =
        config
            .with(
                GridFusionOptions.REFERENCE_GRID_MAP,
                districtDir.resolve(District.GRIDS_FILE).toString())
            .with(
                GridFusionOptions.REFERENCE_DEVICES,
                districtDir.resolve(District.DEVICES_FILE).toString())
            .with(
                GridFusionOptions.REFERENCE_ADDRESSES,
                districtDir.resolve(District.ADDRESSES_FILE).toString());

    Logging.quietConsole();
    console.printf(
        "GridFusion bench: starting the embedded stack and the pipeline in %s (log: %s)%n",
        runDir, Logging.logFile());
    RunningStack running = RunningStack.start(config);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (closed.compareAndSet(false, true)) running.close();
        };
    Thread hook = new Thread(stop, "bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Config c = running.config();
      console.printf(
          "ready: %s (%d grids, %d devices + %d probe targets), offering %s at %,.0f records/s%n",
          district.name(),
          district.grids().size(),
          district.devices().size(),
          probes.size(),
          mix.label(),
          rate);
      BenchEndpoints endpoints =
          new BenchEndpoints(
              KafkaConnection.from(c, "for the bench"),
              running.pipeline().mqttUrl(),
              running.pipeline().mqttLogin().username(),
              running.pipeline().mqttLogin().password(),
              running.pipeline().http().url(),
              running.ingestToken(),
              running.pipeline().inboxDir(),
              ElasticsearchConnection.from(c, "for the bench"),
              PayloadPseudonymiser.from(c));
      EndToEndBench bench = new EndToEndBench(endpoints, district, probes, Duration.ZERO, console);
      List<RunResult> runs;
      EndToEndBench.Knee knee = null;
      if (plan != null) {
        EndToEndBench.StepOutcome outcome = bench.step(settings, plan);
        runs = outcome.runs();
        knee = outcome.knee();
        console.println(
            "knee: "
                + (knee.rate() == null
                    ? "none (the first step already missed)"
                    : String.format("%,.0f records/s", knee.rate()))
                + " — "
                + knee.reason());
      } else {
        runs = List.of(bench.run(settings));
      }
      BenchReport report =
          BenchReport.of(started, describe(c, settings, plan), runs, knee, notes(runs));
      Path file = report.write(out);
      console.println("wrote " + file.toAbsolutePath());
      String row = report.markdownRow();
      console.println(BenchReport.markdownHeader());
      console.println(row);
      if (!readme.toString().equals("none")) {
        if (Files.exists(readme) && BenchReport.addRowTo(readme, row)) {
          console.println("added the row to the end-to-end table in " + readme);
        } else {
          console.println(
              "no end-to-end table marker in "
                  + readme
                  + "; the row above is for the README's performance table");
        }
      }
    } finally {
      stop.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
      if (!keepData) deleteQuietly(runDir);
    }
    return 0;
  }

  /**
   * Ports the user did not choose are taken free, so a bench runs beside a running `up` or a test.
   */
  private static Config onFreePorts(Config c) {
    for (var port :
        List.of(
            GridFusionOptions.EMBEDDED_KAFKA_PORT,
            GridFusionOptions.EMBEDDED_MQTT_PORT,
            GridFusionOptions.EMBEDDED_ES_PORT,
            GridFusionOptions.EMBEDDED_FLINK_UI_PORT,
            GridFusionOptions.INGEST_HTTP_PORT,
            GridFusionOptions.CONSOLE_PORT)) {
      if (!c.isSet(port)) c = c.with(port, 0);
    }
    return c;
  }

  private Map<String, Object> describe(
      Config c, EndToEndBench.RunSettings s, EndToEndBench.StepPlan plan) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", s.rate());
    m.put("durationSeconds", s.duration().toSeconds());
    m.put("warmupSeconds", s.warmup().toSeconds());
    m.put("ingress", ingress);
    m.put("incidentsPerSecond", s.probesPerSecond());
    if (plan != null) {
      m.put(
          "step",
          Map.of(
              "factor",
              plan.factor(),
              "increment",
              plan.increment(),
              "p99LimitMs",
              plan.p99Limit().toMillis(),
              "maxSteps",
              plan.maxSteps()));
    }
    if (soak != null) m.put("soakSeconds", soak.toSeconds());
    m.put("district", streets + "x" + communities + " seed " + seed);
    m.put("probeGrids", probeGrids);
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("job.parallelism", c.get(GridFusionOptions.JOB_PARALLELISM));
    pipeline.put(
        "job.checkpointInterval", c.get(GridFusionOptions.JOB_CHECKPOINT_INTERVAL).toString());
    pipeline.put("job.alerts.delivery", c.get(GridFusionOptions.JOB_ALERTS_DELIVERY));
    pipeline.put("job.bufferTimeout", c.get(GridFusionOptions.JOB_BUFFER_TIMEOUT).toString());
    pipeline.put(
        "job.backgroundBufferTimeout",
        c.get(GridFusionOptions.JOB_BACKGROUND_BUFFER_TIMEOUT).toString());
    pipeline.put("kafka.partitions", c.get(GridFusionOptions.KAFKA_PARTITIONS));
    pipeline.put("indexing.pace", c.get(GridFusionOptions.INDEXING_PACE));
    pipeline.put("embedded.elasticsearch.heap", c.get(GridFusionOptions.EMBEDDED_ES_HEAP));
    // Fixed in FusionJob.productionSinks and the index templates; they bound the latency from
    // below.
    pipeline.put("esSinkMaxBufferMs.alerts", 20);
    pipeline.put("esSinkMaxBufferMs.records", 1000);
    pipeline.put("refresh_interval.gf-alerts", "100ms");
    pipeline.put("refresh_interval.gf-records", "5s");
    m.put("pipeline", pipeline);
    return m;
  }

  private static List<String> notes(List<RunResult> runs) {
    return List.of(
        "Everything runs on this machine: Kafka, MQTT, Flink and the bench in one JVM, Elasticsearch as a child process;"
            + " the load generator competes with the pipeline for the same cores.",
        "Load average at start "
            + runs.get(0).cpu().loadAverageStart()
            + ", at end "
            + runs.get(runs.size() - 1).cpu().loadAverageEnd()
            + " (other work on a shared machine shows here and in the system CPU).",
        "Two latencies, each from input accepted: to the alert seen by a read_committed consumer of gf.alerts (latency.onKafka;"
            + " with exactly-once delivery that waits for the checkpoint that commits the job's transaction), and to the alert"
            + " searchable in gf-alerts-* (latency.p50...; it includes the alert sink's buffer (<= 20 ms), gf-alerts' refresh"
            + " interval (100 ms) and the 50 ms poll).",
        "Cores by part of the stack over the measured window (coresByPart): the Flink job with its Elasticsearch client,"
            + " the Elasticsearch node (a child process), the Kafka broker, the load generator (simulated traffic, probes),"
            + " the JVM's GC and JIT.",
        "Records rate = gf.records read_committed end offsets between the first and last transaction commit in the window"
            + " (commits at checkpoints).");
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort: a file still held open is left behind
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
