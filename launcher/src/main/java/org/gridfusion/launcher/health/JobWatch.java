package org.gridfusion.launcher.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one of GridFusion's jobs (the fusion job, the indexing job) through the Flink REST API
 * ({@code /jobs/:id}, {@code /checkpoints}, {@code /exceptions}) every 2 s, so that a failing job
 * is never silent:
 *
 * <ul>
 *   <li>every failure is logged once, WARN, with its exception and the restart count (Flink
 *       restarts the job with exponential delay, {@code job.restart.maxBackoff});
 *   <li>a job that fails {@code job.startAttempts} times before its first completed checkpoint
 *       cannot start (bad configuration, reference data, a broker that refuses its login): {@link
 *       #fatal()} completes with the reason, and {@code up} stops with it instead of acknowledging
 *       input that nothing processes;
 *   <li>a job that ran before and now fails (Kafka down for a while) keeps restarting, logged, and
 *       its health says so: the input it misses waits in Kafka, nothing is lost;
 *   <li>a job that ends (FAILED, CANCELED, FINISHED) while GridFusion runs completes {@link
 *       #fatal()} too.
 * </ul>
 *
 * It also supplies the job's health and last completed checkpoint to the {@link HealthMonitor}.
 * (The indexing lag comes from Kafka, {@link IndexingLag}.)
 */
public final class JobWatch implements Supplier<ComponentHealth>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWatch.class);

  private static final Set<String> TERMINAL = Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");

  private final String rest;
  private final JobID job;
  private final String label;
  private final int startAttempts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final CompletableFuture<String> fatal = new CompletableFuture<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gridfusion-job-watch");
            t.setDaemon(true);
            return t;
          });
  private volatile String state = "UNKNOWN";
  private volatile String unreachable;
  private volatile int unreachablePolls;
  private volatile long completedCheckpoints;
  private volatile Instant lastCheckpoint;
  private volatile int failures;
  private volatile long newestFailure;
  private volatile String lastError;
  private volatile boolean closing;

  /**
   * @param restUrl the Flink REST API, e.g. {@code http://127.0.0.1:8081}
   * @param startAttempts failures before the first checkpoint that mean the job cannot start
   */
  public JobWatch(String restUrl, JobID job, int startAttempts) {
    this(restUrl, job, startAttempts, "the fusion job");
  }

  /**
   * @param label what the log and the reasons call the job, e.g. {@code the indexing job}
   */
  public JobWatch(String restUrl, JobID job, int startAttempts, String label) {
    this.label = label;
    this.rest = restUrl.replaceAll("/+$", "");
    this.job = job;
    this.startAttempts = startAttempts;
  }

  public JobWatch start() {
    executor.scheduleWithFixedDelay(this::poll, 0, 2, TimeUnit.SECONDS);
    return this;
  }

  /** Completes with the reason when the job cannot run (see the class comment); never fails. */
  public CompletableFuture<String> fatal() {
    return fatal;
  }

  public Instant lastCheckpoint() {
    return lastCheckpoint;
  }

  /** How many times the job failed (and was restarted) since it was submitted. */
  public int failures() {
    return failures;
  }

  /**
   * The job's result arrived while GridFusion runs: it ended (cancelled through the REST API,
   * failed for good), and with a local MiniCluster the REST API is gone with it, so this is how the
   * end is seen there.
   */
  public void ended(Throwable cause) {
    if (closing || fatal.isDone()) return;
    String why = cause == null ? "finished" : firstLine(rootMessage(cause));
    fail(label + " ended: " + why);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /** Polls once (on the watch thread; public for tests). */
  public synchronized void poll() {
    if (closing || fatal.isDone()) return;
    try {
      JsonNode detail = get("/jobs/" + job);
      state = detail.path("state").asText("UNKNOWN");
      unreachable = null;
      unreachablePolls = 0;
      JsonNode cps = get("/jobs/" + job + "/checkpoints");
      completedCheckpoints = cps.path("counts").path("completed").asLong();
      JsonNode latest = cps.path("latest").path("completed");
      if (latest.hasNonNull("latest_ack_timestamp")) {
        lastCheckpoint = Instant.ofEpochMilli(latest.get("latest_ack_timestamp").asLong());
      }
      readFailures();
      if (TERMINAL.contains(state)) {
        fail(label + " ended as " + state + (lastError == null ? "" : ": " + lastError));
      } else if (completedCheckpoints == 0 && failures >= startAttempts) {
        fail(
            label
                + " cannot start: it failed "
                + failures
                + " times before its first checkpoint; last error: "
                + lastError);
      }
    } catch (Exception e) {
      unreachable = e.getMessage() == null ? e.toString() : e.getMessage();
      unreachablePolls++;
    }
  }

  /** Logs each failure not seen before, newest last. */
  private void readFailures() throws Exception {
    JsonNode entries =
        get("/jobs/" + job + "/exceptions?maxExceptions=100")
            .path("exceptionHistory")
            .path("entries");
    int count = entries.size();
    long newest = newestFailure;
    for (int i = count - 1; i >= 0; i--) {
      JsonNode e = entries.get(i);
      long ts = e.path("timestamp").asLong();
      if (ts <= newestFailure) continue;
      String error = firstLine(e.path("stacktrace").asText(e.path("exceptionName").asText()));
      lastError = error;
      LOG.warn(
          "{} failed (failure #{}{}): {}",
          Character.toUpperCase(label.charAt(0)) + label.substring(1),
          count - i,
          completedCheckpoints == 0 ? ", before its first checkpoint" : "",
          error);
      newest = Math.max(newest, ts);
    }
    newestFailure = newest;
    failures = Math.max(failures, count);
  }

  private void fail(String reason) {
    LOG.error("{}", reason);
    fatal.complete(reason);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(rest + path))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Flink REST " + path + " answered " + r.statusCode());
    }
    return Json.MAPPER.readTree(r.body());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = (nl < 0 ? s : s.substring(0, nl)).trim();
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  /**
   * RUNNING is UP (with checkpoints and restarts counted); starting or restarting DEGRADED; ended
   * DOWN. A REST API that does not answer one poll (a busy machine) leaves the state UNKNOWN; three
   * polls in a row (6 s) make it DOWN.
   */
  @Override
  public ComponentHealth get() {
    if (unreachable != null) {
      String detail = "Flink REST " + rest + " does not answer: " + unreachable;
      return unreachablePolls >= 3 ? ComponentHealth.down(detail) : ComponentHealth.unknown(detail);
    }
    String counts =
        completedCheckpoints
            + " checkpoints"
            + (failures == 0 ? "" : ", failed " + failures + " times, last: " + lastError);
    return switch (state) {
      case "RUNNING" -> ComponentHealth.up("RUNNING, " + counts);
      case "CREATED", "INITIALIZING", "RECONCILING" -> ComponentHealth.degraded(state);
      case "RESTARTING", "FAILING", "CANCELLING" -> ComponentHealth.degraded(state + ", " + counts);
      case "UNKNOWN" -> ComponentHealth.unknown("not polled yet");
      default -> ComponentHealth.down(state + ", " + counts);
    };
  }

  @Override
  public void close() {
    closing = true;
    executor.shutdownNow();
  }
}
