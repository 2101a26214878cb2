package org.gridfusion.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.console.ConsoleServer;
import org.gridfusion.embedded.EmbeddedElasticsearch;
import org.gridfusion.embedded.EmbeddedStack;
import org.gridfusion.jobs.JobRunner;
import org.gridfusion.launcher.health.Supervisor;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code up} runs: the embedded defaults for whatever is not configured, a generated demo
 * district when no grid map is configured, the {@link Pipeline} and the console (contract §9).
 * Prints the endpoints in the contract's {@code endpoint <name> <url>} form.
 */
final class RunningStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningStack.class);
  static final long DEMO_SEED = 42;

  private final Config config;
  private final EmbeddedStack stack;
  private final Pipeline pipeline;
  private final District district;
  private final boolean mqttPasswordGenerated;
  private final Supervisor supervisor;
  private final boolean tokenGenerated;
  private final ConsoleServer console;
  private final String consoleToken;
  private final String loginUrl;

  private RunningStack(
      Config config,
      EmbeddedStack stack,
      Pipeline pipeline,
      District district,
      boolean mqttPasswordGenerated,
      Supervisor supervisor,
      boolean tokenGenerated,
      ConsoleServer console,
      String consoleToken) {
    this.config = config;
    this.mqttPasswordGenerated = mqttPasswordGenerated;
    this.stack = stack;
    this.pipeline = pipeline;
    this.district = district;
    this.supervisor = supervisor;
    this.tokenGenerated = tokenGenerated;
    this.console = console;
    this.consoleToken = consoleToken;
    this.loginUrl =
        consoleToken == null ? null : console.oneTimeLoginUrl(ConsoleToken.Role.OPERATOR);
  }

  static RunningStack start(Config config) throws Exception {
    long t0 = System.nanoTime();
    EmbeddedDefaults.Started embedded = EmbeddedDefaults.start(config);
    config = embedded.config();
    District district = null;
    Supervisor supervisor = new Supervisor();
    try {
      if (!config.isSet(GridFusionOptions.REFERENCE_GRID_MAP)) {
        Path dir =
            Path.of(config.get(GridFusionOptions.DATA_DIR)).toAbsolutePath().resolve("district");
        // "As of" today, so the district's context records fall inside the accepted time horizon.
        district =
            DistrictGenerator.generate(
                DistrictSpec.small(DEMO_SEED).withAsOf(Instant.now().truncatedTo(ChronoUnit.DAYS)));
        district.writeTo(dir);
        config =
            config
                .with(GridFusionOptions.REFERENCE_GRID_MAP, dir.resolve("grids.geojson").toString())
                .with(GridFusionOptions.REFERENCE_DEVICES, dir.resolve("devices.csv").toString())
                .with(
                    GridFusionOptions.REFERENCE_ADDRESSES, dir.resolve("addresses.csv").toString());
        LOG.info(
            "No reference.gridMap configured: generated the demo district ({} grids) in {}",
            district.grids().size(),
            dir);
      }
      Pipeline pipeline = Pipeline.start(config, GridFusion.ownJar());
      config = pipeline.config();
      EmbeddedElasticsearch es = embedded.stack() == null ? null : embedded.stack().elasticsearch();
      if (es != null) {
        supervisor.watch(ELASTICSEARCH_NODE, child(es));
        pipeline
            .health()
            .decorate(HealthStatus.ELASTICSEARCH, h -> supervisor.health(ELASTICSEARCH_NODE, h));
      }
      if (district != null) {
        // The district's standing context (elderly living alone, hazardous enterprises...) enters
        // like any department file.
        Path ctx =
            Path.of(config.get(GridFusionOptions.REFERENCE_GRID_MAP))
                .resolveSibling("context-records.jsonl");
        Path tmp = pipeline.inboxDir().resolve(".context-records.tmp");
        Files.copy(ctx, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            tmp,
            pipeline.inboxDir().resolve("district-context.jsonl"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      ConsoleServer console;
      try {
        console = ConsoleServer.start(config, pipeline.health());
      } catch (Exception e) {
        pipeline.close();
        throw e;
      }
      LOG.info("GridFusion up in {} s", (System.nanoTime() - t0) / 1_000_000_000.0);
      return new RunningStack(
          config,
          embedded.stack(),
          pipeline,
          district,
          embedded.mqttPasswordGenerated(),
          supervisor,
          embedded.tokenGenerated(),
          console,
          embedded.consoleToken());
    } catch (Exception e) {
      supervisor.close();
      if (embedded.stack() != null) embedded.stack().close();
      throw e;
    }
  }

  /** The name the supervisor logs the embedded Elasticsearch node under. */
  static final String ELASTICSEARCH_NODE = "Elasticsearch node";

  /** The embedded node as the supervisor sees it. */
  private static Supervisor.Child child(EmbeddedElasticsearch es) {
    return new Supervisor.Child() {
      @Override
      public CompletableFuture<?> onExit() {
        return es.onExit();
      }

      @Override
      public boolean isAlive() {
        return es.isAlive();
      }

      @Override
      public void restart() {
        es.restart();
      }

      @Override
      public String describe() {
        return "pid "
            + es.pid()
            + es.exitCode().stream().mapToObj(c -> ", exit code " + c).findFirst().orElse("");
      }
    };
  }

  /**
   * The contract's {@code endpoint <name> <url>} lines. The ingest token is printed only when it
   * was generated here; a configured one stays where the operator keeps it.
   */
  void printEndpoints(PrintStream out) {
    out.println("endpoint kafka " + config.get(GridFusionOptions.KAFKA_BOOTSTRAP));
    // A password is shown only when up generated it (as the token of a demo): a configured one is a
    // secret of the operator's.
    out.println(
        "endpoint mqtt "
            + pipeline.mqttUrl()
            + pipeline.mqttLogin().describe(mqttPasswordGenerated));
    out.println(
        "endpoint http-ingest "
            + pipeline.http().url()
            + "/v1/camera-events (Authorization: Bearer "
            + (tokenGenerated
                ? config.get(GridFusionOptions.INGEST_HTTP_TOKENS).get(0)
                : "<a token of ingest.http.tokens>")
            + ")");
    out.println("endpoint elasticsearch " + config.get(GridFusionOptions.ELASTICSEARCH_URL));
    out.println(
        "endpoint flink-ui "
            + (pipeline.cluster() != null
                ? pipeline.cluster().cluster().restUrl()
                : JobRunner.restUrl(config)));
    out.println("endpoint inbox " + pipeline.inboxDir().toAbsolutePath());
    out.println(
        "endpoint console "
            + console.url()
            + (consoleToken == null ? "" : " (operator token: " + consoleToken + ")"));
    if (consoleToken != null) {
      // the token was generated here and printed anyway: a link that signs its first visitor in
      out.println(
          "login "
              + console.oneTimeLoginUrl(ConsoleToken.Role.OPERATOR)
              + " (opens the console once)");
    }
    out.println("health " + pipeline.http().url() + "/health");
    out.println("log " + Logging.logFile());
    if (pipeline.cluster() != null) pipeline.cluster().cluster().printProcesses(out);
  }

  ConsoleServer console() {
    return console;
  }

  /**
   * A one-time link into the console as operator, when its token was generated (and so printed
   * anyway); null when {@code console.tokens} is configured.
   */
  String loginUrl() {
    return loginUrl;
  }

  /**
   * A token the ingest accepts, for the demo's and the bench's own traffic: the first of {@code
   * ingest.http.tokens}, else the first of the token file.
   */
  String ingestToken() throws IOException {
    List<String> tokens = config.get(GridFusionOptions.INGEST_HTTP_TOKENS);
    if (!tokens.isEmpty()) return tokens.get(0);
    for (String line :
        Files.readAllLines(Path.of(config.get(GridFusionOptions.INGEST_HTTP_TOKENS_FILE)))) {
      String t = line.strip();
      if (t.length() >= 16 && !t.startsWith("#")) return t;
    }
    throw new IllegalStateException(
        "no ingest token to send the simulated camera events with: set ingest.http.tokens");
  }

  Config config() {
    return config;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  District district() {
    return district;
  }

  /** Completes with the reason when GridFusion has to stop (the job cannot run). */
  CompletableFuture<String> fatal() {
    return pipeline.fatal();
  }

  Supervisor supervisor() {
    return supervisor;
  }

  EmbeddedStack stack() {
    return stack;
  }

  /** Stops the supervisor first, so the node it watches is not restarted while it is stopped. */
  @Override
  public void close() {
    console.close();
    supervisor.close();
    pipeline.close();
    if (stack != null) stack.close();
  }
}
