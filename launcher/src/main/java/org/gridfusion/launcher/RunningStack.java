package org.gridfusion.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.console.ConsoleServer;
import org.gridfusion.embedded.EmbeddedStack;
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
  private final PipelineHealth health;
  private final ConsoleServer console;
  private final String consoleToken;
  private final String loginUrl;

  private RunningStack(
      Config config,
      EmbeddedStack stack,
      Pipeline pipeline,
      District district,
      boolean mqttPasswordGenerated,
      PipelineHealth health,
      ConsoleServer console,
      String consoleToken) {
    this.config = config;
    this.mqttPasswordGenerated = mqttPasswordGenerated;
    this.stack = stack;
    this.pipeline = pipeline;
    this.district = district;
    this.health = health;
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
      PipelineHealth health = new PipelineHealth(config, pipeline.job());
      ConsoleServer console;
      try {
        console = ConsoleServer.start(config, health);
      } catch (Exception e) {
        health.close();
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
          health,
          console,
          embedded.consoleToken());
    } catch (Exception e) {
      if (embedded.stack() != null) embedded.stack().close();
      throw e;
    }
  }

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
            + config.get(GridFusionOptions.INGEST_HTTP_TOKENS).get(0)
            + ")");
    out.println("endpoint elasticsearch " + config.get(GridFusionOptions.ELASTICSEARCH_URL));
    out.println(
        "endpoint flink-ui "
            + (pipeline.cluster() != null
                ? pipeline.cluster().cluster().restUrl()
                : "http://127.0.0.1:" + config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT)));
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

  Config config() {
    return config;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  District district() {
    return district;
  }

  @Override
  public void close() {
    console.close();
    health.close();
    pipeline.close();
    if (stack != null) stack.close();
  }
}
