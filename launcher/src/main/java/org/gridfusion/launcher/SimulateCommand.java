package org.gridfusion.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.traffic.HttpTrafficSink;
import org.gridfusion.simulator.traffic.InboxTrafficSink;
import org.gridfusion.simulator.traffic.MqttTrafficSink;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.simulator.traffic.Simulation;
import org.gridfusion.simulator.traffic.TrafficConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Generates a synthetic district, or sends simulated traffic to a running GridFusion.",
    subcommands = {SimulateCommand.Generate.class, SimulateCommand.Run.class})
final class SimulateCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Writes grids.geojson, devices.csv, addresses.csv and context-records.jsonl; same seed, same bytes.")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--streets", defaultValue = "8", description = "streets (default ${DEFAULT-VALUE})")
    int streets;

    @Option(names = "--communities-per-street", defaultValue = "6", description = "communities per street (default ${DEFAULT-VALUE})")
    int communities;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--as-of", description = "date the context records are relative to (ISO instant; default 2026-11-24T00:00:00Z)")
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

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Sends background traffic for a district through MQTT, the HTTP ingest and the inbox of a running GridFusion.")
  static final class Run implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;

    @Option(names = "--streets", defaultValue = "2", description = "the district, as given to `simulate generate` (default ${DEFAULT-VALUE})")
    int streets;

    @Option(names = "--communities-per-street", defaultValue = "2", description = "(default ${DEFAULT-VALUE})")
    int communities;

    @Option(names = "--district-seed", defaultValue = "42", description = "seed the district was generated with (default ${DEFAULT-VALUE})")
    long districtSeed;

    @Option(names = "--seed", defaultValue = "42") long seed;

    @Option(names = "--rate", defaultValue = "200", description = "sensor readings per second (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--speed", defaultValue = "1", description = "event-time speed-up: 60 = an hour per minute (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--duration", description = "how long to run (default: until Ctrl-C)")
    Duration duration;

    @Option(names = "--http-url", description = "base URL of the HTTP ingest (default http://127.0.0.1:<ingest.http.port>)")
    String httpUrl;

    @Override
    public Integer call() throws Exception {
      Config config = configOptions.load();
      // The generator is deterministic: the same arguments rebuild the district the running job was given.
      District district = DistrictGenerator.generate(DistrictSpec.of(streets, communities, districtSeed));
      Instant start = duration != null && speed > 1 ? TrafficConfig.replayStart(Instant.now(), duration, speed) : Instant.now();
      TrafficConfig traffic = TrafficConfig.defaults(seed, start).withSpeedUp(speed).withRates(rate, Math.max(1, rate / 10), 0.5);
      String http = httpUrl != null ? httpUrl : "http://127.0.0.1:" + config.get(GridFusionOptions.INGEST_HTTP_PORT);
      String token = config.require(GridFusionOptions.INGEST_HTTP_TOKENS, "to post camera events").get(0);
      String inbox = config.get(GridFusionOptions.INGEST_INBOX);
      try (RoutingTrafficSink sink = new RoutingTrafficSink(
          MqttTrafficSink.connect(config.require(GridFusionOptions.MQTT_URL, "to publish readings"), "gridfusion-simulator"),
          new HttpTrafficSink(http, token),
          inbox == null ? null : new InboxTrafficSink(Path.of(inbox), "sim"))) {
        Simulation.run(district, traffic, sink, duration, p -> System.out.println(p));
      }
      return 0;
    }
  }
}
