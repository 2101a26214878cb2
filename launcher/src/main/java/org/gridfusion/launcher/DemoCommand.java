package org.gridfusion.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.launcher.evaluation.EvaluationReport;
import org.gridfusion.launcher.evaluation.Evaluator;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.scenario.Incident;
import org.gridfusion.simulator.scenario.Incidents;
import org.gridfusion.simulator.scenario.TruthFile;
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
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs `up` and feeds it a simulated district, showing alerts as they come.",
      "The district's background traffic plus an incident every ~20 s go through the real interfaces (MQTT, HTTP, inbox); records, dead letters and each new alert are shown live, here and in the web console (its one-time login link is printed).",
      "Runs until Ctrl-C or --duration; ends with a summary (every injected incident found or not, precision, recall, delays) and two ready-to-paste curl queries."
    })
final class DemoCommand implements Callable<Integer> {
  /** No incident is injected this close to the end of a --duration run. */
  private static final long LAST_INCIDENT_LEAD = Duration.ofSeconds(15).toNanos();

  @Mixin ConfigOptions configOptions;

  @Option(
      names = "--duration",
      description = "stop after this long, e.g. 5m (default: until Ctrl-C)")
  Duration duration;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "background sensor readings per second (default ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "seed of the simulated traffic (default ${DEFAULT-VALUE})")
  long seed;

  private static final List<BiFunction<District, Instant, Incident>> INCIDENTS =
      List.of(Incidents::waterlogging, Incidents::manholeDisplaced, Incidents::fallDetected);

  @Override
  public Integer call() throws Exception {
    Config given = configOptions.load(); // every problem reported before anything starts
    PrintStream out = System.out;
    Logging.quietConsole();
    out.println(
        "GridFusion demo: starting Kafka (KRaft), MQTT, Elasticsearch, the Flink job and the connectors...");
    out.println("(full log: " + Logging.logFile() + ")");
    Instant t0 = Instant.now();
    RunningStack running = RunningStack.start(given);
    Config config = running.config();
    running.printEndpoints(out);
    out.printf(
        "ready after %d s — simulating the %s district (%d grids), an incident every ~20 s%n",
        Duration.between(t0, Instant.now()).toSeconds(),
        running.district().name(),
        running.district().grids().size());
    out.println(
        running.loginUrl() != null
            ? "Open the console in a browser: "
                + running.loginUrl()
                + "\n  (a one-time link; afterwards sign in at "
                + running.console().url()
                + " with the operator token above)"
            : "Open the console in a browser: "
                + running.console().url()
                + " (sign in with a console.tokens token)");

    TrafficConfig traffic =
        TrafficConfig.defaults(seed, Instant.now())
            .withRates(rate, Math.max(1, rate / 10), 0.2)
            .withShares(0.01, 0.005);
    String token = running.ingestToken();
    RoutingTrafficSink sink =
        new RoutingTrafficSink(
            MqttTrafficSink.connect(
                running.pipeline().mqttUrl(),
                "gridfusion-demo-simulator",
                MqttTrafficSink.DEFAULT_MAX_INFLIGHT,
                running.pipeline().mqttLogin().username(),
                running.pipeline().mqttLogin().password()),
            new HttpTrafficSink(running.pipeline().http().url(), token),
            new InboxTrafficSink(running.pipeline().inboxDir(), "demo"));
    Simulation simulation = new Simulation(running.district(), traffic, sink, progress -> {});
    Thread feeder = new Thread(() -> simulation.run(null), "demo-simulation");
    feeder.setDaemon(true);
    feeder.start();

    LiveView view =
        new LiveView(
            ElasticsearchConnection.from(config, "for the live view"),
            KafkaConnection.from(config, "for the live view"),
            running.pipeline().health(),
            ZoneId.of(config.get(GridFusionOptions.TIME_ZONE)),
            out);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean summarised = new AtomicBoolean();
    TruthFile.Builder truth = new TruthFile.Builder("demo");
    // Ctrl-C reaches the Elasticsearch node too (same process group) and it stops at once: the
    // table shown
    // at the end is the last one computed while it ran, unless a fresh one can still be had.
    AtomicReference<EvaluationReport> evaluated = new AtomicReference<>();
    Evaluator evaluator =
        new Evaluator(ElasticsearchConnection.from(config, "to evaluate the alerts"));
    Runnable finish =
        () -> {
          if (!summarised.compareAndSet(false, true)) return;
          simulation.stop();
          view.pollAlerts();
          out.println(view.status());
          summary(out, running, view, t0);
          if (!truth.isEmpty())
            printEvaluation(out, evaluated.get(), evaluate(evaluator, truth, evaluated, true));
          view.close();
          out.println("Stopping GridFusion...");
          running.close();
          try {
            sink.close();
          } catch (Exception ignored) {
            // the broker it talks to is already down
          }
        };
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    done.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  Logging.shutdown();
                },
                "demo-shutdown"));

    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    long nextIncident = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long nextStatus = System.nanoTime();
    int incident = 0;
    try {
      while (stop.getCount() > 0 && System.nanoTime() < deadline && !running.fatal().isDone()) {
        // none in the last seconds of a --duration run: its alert could not be in the summary
        if (System.nanoTime() >= nextIncident
            && System.nanoTime() < deadline - LAST_INCIDENT_LEAD) {
          Incident i =
              INCIDENTS.get(incident++ % INCIDENTS.size()).apply(running.district(), Instant.now());
          simulation.inject(i.items());
          truth.expect(i.truth(), Instant.now(), i.name());
          out.printf(
              "inject %s in grid %s (expect %s %s)%n",
              i.name(), i.truth().gridId(), i.truth().severity(), i.truth().ruleId());
          nextIncident = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        }
        view.pollAlerts();
        if (System.nanoTime() >= nextStatus) {
          out.println(view.status());
          out.println(view.healthLine());
          evaluate(evaluator, truth, evaluated, false);
          nextStatus = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        }
        stop.await(1, TimeUnit.SECONDS);
      }
    } finally {
      finish.run();
      done.countDown();
    }
    if (running.fatal().isDone()) {
      out.println("GridFusion stopped: " + running.fatal().join());
      return 1;
    }
    return 0;
  }

  /**
   * How the alerts compare with the incidents injected (their window only: background traffic
   * raises none), kept in {@code evaluated}; {@code last} waits up to 10 s for the last incident's
   * alert.
   *
   * @return why it could not be evaluated now, or null
   */
  private static String evaluate(
      Evaluator evaluator,
      TruthFile.Builder truth,
      AtomicReference<EvaluationReport> evaluated,
      boolean last) {
    if (truth.isEmpty()) return null;
    try {
      TruthFile file = truth.build();
      evaluated.set(evaluator.evaluate(file));
      for (int i = 0; last && i < 10 && evaluated.get().total().falseNegatives() > 0; i++) {
        Thread.sleep(1000);
        evaluated.set(evaluator.evaluate(file));
      }
      return null;
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  /**
   * The table at the end: the fresh one, else the last kept (Elasticsearch stopped first), else why
   * there is none.
   */
  private static void printEvaluation(PrintStream out, EvaluationReport report, String failure) {
    if (report == null) {
      out.println("(no evaluation: " + failure + ")");
      return;
    }
    out.println();
    if (failure != null)
      out.println("(Elasticsearch has stopped: the evaluation as of the last status line)");
    out.print(report.table());
  }

  private static void summary(PrintStream out, RunningStack running, LiveView view, Instant t0) {
    Config c = running.config();
    String es = c.get(GridFusionOptions.ELASTICSEARCH_URL);
    // With a login, curl asks for the password itself: it is never printed.
    String curl =
        "curl -s"
            + (c.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE) == null
                ? ""
                : " --cacert " + c.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE))
            + (c.get(GridFusionOptions.ELASTICSEARCH_USERNAME) == null
                ? ""
                : " -u " + c.get(GridFusionOptions.ELASTICSEARCH_USERNAME));
    String grid = running.district().grids().get(0).gridId();
    out.println();
    out.println(
        "Summary: ran "
            + Duration.between(t0, Instant.now()).toSeconds()
            + " s, "
            + view.alertCount()
            + " alerts"
            + (view.firstAlertAt() == null
                ? ""
                : ", first alert "
                    + Duration.between(t0, view.firstAlertAt()).toSeconds()
                    + " s after start"));
    out.println("Newest alerts:");
    out.println("  " + curl + " '" + es + "/gf-alerts/_search?sort=lastSeen:desc&size=10&pretty'");
    out.println("Records in grid " + grid + ":");
    out.println(
        "  "
            + curl
            + " -H 'Content-Type: application/json' '"
            + es
            + "/gf-records/_search?pretty' -d '{\"query\":{\"term\":{\"gridId\":\""
            + grid
            + "\"}},\"sort\":[{\"ts\":\"desc\"}],\"size\":10}'");
  }
}
