package org.gridfusion.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.Durations;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.launcher.traffic.TrafficRoutes;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.scenario.ScenarioParser;
import org.gridfusion.simulator.scenario.ScenarioPlan;
import org.gridfusion.simulator.scenario.ScenarioPlanner;
import org.gridfusion.simulator.scenario.ScenarioPlayer;
import org.gridfusion.simulator.scenario.ScenarioSetGenerator;
import org.gridfusion.simulator.scenario.ScenarioSpec;
import org.gridfusion.simulator.scenario.TruthFile;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.simulator.traffic.Simulation;
import org.gridfusion.simulator.traffic.TrafficConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Generates a synthetic district, or sends simulated traffic to a running GridFusion.",
    subcommands = {
      SimulateCommand.Generate.class,
      SimulateCommand.Run.class,
      SimulateCommand.ScenarioSet.class
    })
final class SimulateCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Writes grids.geojson, devices.csv, addresses.csv and context-records.jsonl; same seed, same bytes.")
  static final class Generate implements Callable<Integer> {
    @Option(
        names = "--streets",
        defaultValue = "8",
        description = "streets (default ${DEFAULT-VALUE})")
    int streets;

    @Option(
        names = "--communities-per-street",
        defaultValue = "6",
        description = "communities per street (default ${DEFAULT-VALUE})")
    int communities;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--as-of",
        description =
            "date the context records are relative to (ISO instant; default 2026-11-24T00:00:00Z)")
    Instant asOf;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
      DistrictSpec spec = DistrictSpec.of(streets, communities, seed);
      if (asOf != null) spec = spec.withAsOf(asOf);
      District d = DistrictGenerator.generate(spec);
      d.writeTo(out);
      System.out.println(d.summary() + " -> " + out.toAbsolutePath());
      return 0;
    }
  }

  @Command(
      name = "scenario-set",
      mixinStandardHelpOptions = true,
      description = {
        "Writes a scenario file of many incidents and near misses of every kind.",
        "With dead devices, skewed clocks, late deliveries, flapping, a cold start and a sensor feed outage (simulator/README.md); checks that it places in the district of --streets x --communities-per-street (default ~1,000 grids). Same sizes and seed, same file."
      })
  static final class ScenarioSet implements Callable<Integer> {
    @Option(
        names = "--incidents",
        defaultValue = "200",
        description = "incidents (default ${DEFAULT-VALUE})")
    int incidents;

    @Option(
        names = "--near-misses",
        defaultValue = "200",
        description = "near misses (default ${DEFAULT-VALUE})")
    int nearMisses;

    @Option(
        names = "--streets",
        defaultValue = "8",
        description = "streets of the district to place it in (default ${DEFAULT-VALUE})")
    int streets;

    @Option(
        names = "--communities-per-street",
        defaultValue = "25",
        description = "communities per street (default ${DEFAULT-VALUE}: about 1,000 grids)")
    int communities;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "scenario file")
    Path out;

    @Override
    public Integer call() throws Exception {
      String yaml = ScenarioSetGenerator.yaml(incidents, nearMisses, seed);
      ScenarioSpec spec = ScenarioParser.parse(yaml, out.getFileName().toString());
      District d = DistrictGenerator.generate(DistrictSpec.of(streets, communities, seed));
      ScenarioPlan plan = ScenarioPlanner.plan(spec, d, Instant.now());
      Path dir = out.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      Files.writeString(out, yaml);
      System.out.printf(
          "%s: %d incidents, %d near misses; placed in %d of the %d grids of district %s (seed %d),"
              + " %d expected alerts%n",
          out,
          incidents,
          nearMisses,
          plan.steps().stream()
              .filter(s -> !s.feedOutage())
              .map(s -> s.gridId())
              .distinct()
              .count(),
          d.grids().size(),
          d.name(),
          seed,
          plan.expected().size());
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Sends simulated traffic, or plays a scenario, to a running GridFusion.",
        "Background traffic for a district goes through its real interfaces (MQTT, the HTTP ingest, the inbox or the department database) or straight into Kafka (--via), with a progress line.",
        "With --scenario, plays a scenario file (incidents and near misses, see simulator/README.md) instead, keeps event time moving for --ticks so that timer rules fire, and writes the ground truth for `gridfusion evaluate`."
      })
  static final class Run implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;

    @Option(
        names = "--streets",
        defaultValue = "2",
        description = "the district, as given to `simulate generate` (default ${DEFAULT-VALUE})")
    int streets;

    @Option(
        names = "--communities-per-street",
        defaultValue = "2",
        description = "(default ${DEFAULT-VALUE})")
    int communities;

    @Option(
        names = "--district-seed",
        defaultValue = "42",
        description = "seed the district was generated with (default ${DEFAULT-VALUE})")
    long districtSeed;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "seed of the traffic: same seed, same messages (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--rate",
        defaultValue = "200",
        description = "sensor readings per second (default ${DEFAULT-VALUE})")
    double rate;

    @Option(
        names = "--camera-rate",
        paramLabel = "N",
        description = "camera events per second (default: a tenth of --rate)")
    Double cameraRate;

    @Option(
        names = "--department-rate",
        paramLabel = "N",
        defaultValue = "0.5",
        description = "department records per second (default ${DEFAULT-VALUE})")
    double departmentRate;

    @Option(
        names = "--duplicates",
        paramLabel = "SHARE",
        defaultValue = "0.01",
        description =
            "share of messages that repeat the one before, as at-least-once delivery does (default ${DEFAULT-VALUE})")
    double duplicates;

    @Option(
        names = "--bad",
        paramLabel = "SHARE",
        defaultValue = "0.005",
        description =
            "share of invalid messages: malformed, unknown type or device, out of area, too old... (default ${DEFAULT-VALUE})")
    double bad;

    @Option(
        names = "--via",
        paramLabel = "ROUTES",
        defaultValue = TrafficRoutes.DEFAULT,
        description =
            "interfaces to send through (default ${DEFAULT-VALUE}): mqtt (sensors), http (cameras), inbox or jdbc"
                + " (department records; jdbc inserts into ingest.jdbc.table, created if missing), kafka (every source not named"
                + " otherwise, straight into the raw topics, for load tests). A source no route carries is not sent.")
    String via;

    @Option(
        names = "--speed",
        defaultValue = "1",
        description = "event-time speed-up: 60 = an hour per minute (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--duration", description = "how long to run (default: until Ctrl-C)")
    Duration duration;

    @Option(
        names = "--http-url",
        description = "base URL of the HTTP ingest (default http://127.0.0.1:<ingest.http.port>)")
    String httpUrl;

    @Option(
        names = "--scenario",
        paramLabel = "FILE",
        description = "scenario file (YAML/JSON) to play, or `default-rules` for the shipped one")
    String scenario;

    @Option(
        names = "--truth",
        paramLabel = "FILE",
        defaultValue = "truth.json",
        description = "where --scenario writes the ground truth (default ${DEFAULT-VALUE})")
    Path truth;

    @Option(
        names = "--background",
        description =
            "with --scenario, also send background traffic (a scenario set in the past may then"
                + " see a confirmed fire also reported as suspected: live event time closes its window before the late partner arrives)")
    boolean background;

    @Option(
        names = "--ticks",
        defaultValue = "20s",
        description =
            "with --scenario, how long to keep event time moving afterwards (default ${DEFAULT-VALUE})")
    Duration ticks;

    @Override
    public Integer call() throws Exception {
      Config config = configOptions.load();
      if (scenario == null && speed > 1 && duration == null) {
        // event time would run ahead of the clock and pass the contract's 10-minute future limit
        // (§3)
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--speed "
                + speed
                + " needs --duration: the run then starts that much event time in the past and ends at now");
      }
      // The generator is deterministic: the same arguments rebuild the district the running job was
      // given.
      District district =
          DistrictGenerator.generate(DistrictSpec.of(streets, communities, districtSeed));
      if (scenario != null) return playScenario(config, district);
      Instant start =
          speed > 1 ? TrafficConfig.replayStart(Instant.now(), duration, speed) : Instant.now();
      TrafficConfig traffic = backgroundTraffic(start).withSpeedUp(speed);
      TrafficRoutes routes = TrafficRoutes.parse(via);
      System.out.printf(
          "traffic: %s; %s readings/s, %s camera events/s, %s department records/s, %s duplicates, %s bad;"
              + " event time from %s at %sx%n",
          routes.describe(),
          rate,
          traffic.cameraEventsPerSecond(),
          departmentRate,
          duplicates,
          bad,
          start,
          speed);
      try (RoutingTrafficSink sink = routes.open(config, "gridfusion-simulator", httpUrl)) {
        Simulation.run(district, traffic, sink, duration, p -> System.out.println(p));
      }
      return 0;
    }

    private TrafficConfig backgroundTraffic(Instant start) {
      return TrafficConfig.defaults(seed, start)
          .withRates(rate, cameraRate != null ? cameraRate : Math.max(1, rate / 10), departmentRate)
          .withShares(duplicates, bad);
    }

    private Integer playScenario(Config config, District district) throws Exception {
      ScenarioSpec spec =
          scenario.equals(ScenarioParser.DEFAULT_RULES) && !Files.exists(Path.of(scenario))
              ? ScenarioParser.builtIn(scenario)
              : ScenarioParser.parse(Path.of(scenario));
      ScenarioPlan plan = ScenarioPlanner.plan(spec, district, Instant.now());
      String tickDevice = district.sensors(SensorType.TEMPERATURE).get(0).deviceId();
      System.out.printf(
          "scenario %s: %d steps, event time %s .. %s%n",
          plan.name(), plan.steps().size(), plan.from(), plan.to());
      Duration lateness = config.get(GridFusionOptions.JOB_ALLOWED_LATENESS);
      if (plan.from().isBefore(Instant.now().minus(lateness))) {
        // The job judges windowed rules only on records within job.allowedLateness of its
        // watermark.
        System.out.printf(
            "warning: the scenario reaches %s back, beyond job.allowedLateness (%s); unless the job was"
                + " started with a longer one (e.g. --set job.allowedLateness=30d), its windowed rules will ignore these inputs%n",
            Durations.format(
                Duration.between(plan.from(), Instant.now()).truncatedTo(ChronoUnit.HOURS)),
            Durations.format(lateness));
      }
      try (RoutingTrafficSink sink =
          TrafficRoutes.parse(via).open(config, "gridfusion-scenario", httpUrl)) {
        Simulation simulation = null;
        Thread feeder = null;
        if (background) {
          TrafficConfig traffic = backgroundTraffic(Instant.now());
          simulation = new Simulation(district, traffic, sink, p -> {});
          Simulation s = simulation;
          feeder = new Thread(() -> s.run(null), "background-traffic");
          feeder.start();
        }
        ScenarioPlayer player =
            new ScenarioPlayer(
                sink,
                Clock.systemUTC(),
                Duration.ofSeconds(3),
                Duration.ofMillis(300),
                System.out::println);
        // Event time up to now first: every past input then lands behind the watermark, and no
        // window
        // closes before the scenario's partner inputs are all in.
        player.tick(tickDevice, Instant.now());
        TruthFile file = player.play(plan);
        file.write(truth);
        System.out.printf(
            "ground truth: %d expected alerts, %d near misses -> %s%n",
            file.expected().size(), file.nearMisses().size(), truth.toAbsolutePath());
        long end = System.nanoTime() + ticks.toNanos();
        while (System.nanoTime() < end) {
          if (!background) player.tick(tickDevice, Instant.now());
          Thread.sleep(1000);
        }
        if (simulation != null) {
          simulation.stop();
          feeder.join();
        }
      }
      System.out.println("evaluate with: gridfusion evaluate --truth " + truth + " --wait 30s");
      return 0;
    }
  }
}
