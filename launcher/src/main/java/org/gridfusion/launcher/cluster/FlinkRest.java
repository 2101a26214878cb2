package org.gridfusion.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gridfusion.common.json.Json;

/**
 * The few calls of Flink's REST API that {@code up} and {@code jobs upgrade} make on a session
 * cluster: upload and run a jar, job state, checkpoints, stop with a savepoint, TaskManagers. The
 * same calls work against any Flink 2.2 JobManager.
 */
public final class FlinkRest {
  /** How often a savepoint refused by a task-local checkpoint failure is asked for again. */
  static final int TASK_FAILURE_RETRIES = 3;

  // CheckpointFailureReason's messages, as they appear in the REST API's failure-cause.
  private static final String NOT_ALL_TASKS_RUNNING =
      "Not all required tasks are currently running";
  private static final String TASK_CHECKPOINT_FAILURE = "Task local checkpoint failure";

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FlinkRest(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public String url() {
    return base;
  }

  /** True when the REST endpoint answers. */
  public boolean reachable() {
    try {
      get("/config");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Uploads the job jar; returns its id on the cluster. */
  public String upload(Path jar) throws IOException, InterruptedException {
    String boundary = "gridfusion-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .timeout(Duration.ofMinutes(2))
                .build());
    String file = r.path("filename").asText();
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /**
   * Runs an uploaded jar's main class with {@code args}; from {@code savepoint} when given (state
   * the job no longer has is let go). Returns the job id.
   */
  public String run(String jarId, List<String> args, Integer parallelism, String savepoint)
      throws IOException, InterruptedException {
    return run(jarId, null, args, parallelism, savepoint);
  }

  /** {@link #run(String, List, Integer, String)} of {@code entryClass} (null: the jar's main). */
  public String run(
      String jarId, String entryClass, List<String> args, Integer parallelism, String savepoint)
      throws IOException, InterruptedException {
    ObjectNode req = Json.MAPPER.createObjectNode();
    if (entryClass != null) req.put("entryClass", entryClass);
    args.forEach(req.putArray("programArgsList")::add);
    if (parallelism != null) req.put("parallelism", parallelism);
    if (savepoint != null) {
      req.put("savepointPath", savepoint);
      req.put("allowNonRestoredState", true);
    }
    return post("/jars/" + jarId + "/run", req).path("jobid").asText();
  }

  /** The job's state (RUNNING, FAILED...) and whether every task is running. */
  public record JobState(String state, boolean allTasksRunning) {}

  public JobState job(String jobId) throws IOException, InterruptedException {
    JsonNode j = get("/jobs/" + jobId);
    boolean all = j.path("vertices").size() > 0;
    for (JsonNode v : j.path("vertices")) all &= "RUNNING".equals(v.path("status").asText());
    return new JobState(j.path("state").asText(), all);
  }

  /** Ids of the jobs that are not finished (RUNNING, CREATED, RESTARTING...). */
  public List<String> activeJobs() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode j : get("/jobs").path("jobs")) {
      String s = j.path("status").asText();
      if (!List.of("FINISHED", "CANCELED", "FAILED").contains(s)) out.add(j.path("id").asText());
    }
    return out;
  }

  /** Ids of the unfinished jobs named {@code name}. */
  public List<String> activeJobsNamed(String name) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      String s = j.path("state").asText();
      if (name.equals(j.path("name").asText())
          && !List.of("FINISHED", "CANCELED", "FAILED").contains(s))
        out.add(j.path("jid").asText());
    }
    return out;
  }

  /**
   * The job's failures from its exception history, newest first, each as its innermost cause's
   * first line ("exception: message"), which names what went wrong rather than where it surfaced.
   */
  public List<String> failures(String jobId) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode e :
        get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      out.add(innermostCause(e.path("stacktrace").asText(e.path("exceptionName").asText())));
    }
    return out;
  }

  static String innermostCause(String stackTrace) {
    String cause = stackTrace.lines().findFirst().orElse("").trim();
    for (String line : stackTrace.lines().toList()) {
      if (line.startsWith("Caused by: ")) cause = line.substring("Caused by: ".length()).trim();
    }
    return cause;
  }

  /** How many checkpoints of the job completed, and the path of the newest. */
  public record Checkpoints(long completed, Optional<String> latest) {}

  public Checkpoints checkpoints(String jobId) throws IOException, InterruptedException {
    JsonNode c = get("/jobs/" + jobId + "/checkpoints");
    String path = c.path("latest").path("completed").path("external_path").asText(null);
    return new Checkpoints(c.path("counts").path("completed").asLong(), Optional.ofNullable(path));
  }

  public int taskManagers() throws IOException, InterruptedException {
    return get("/taskmanagers").path("taskmanagers").size();
  }

  /**
   * Stops the job with a savepoint into {@code directory} and returns the savepoint's path, once
   * the job has stopped.
   *
   * <p>Flink refuses a savepoint while a task is still deploying (just after a start or a restart),
   * and on a busy machine a task manager can get the savepoint's barrier request for a task it has
   * not registered yet ("checkpoint request for unknown task"), which reaches this client only as a
   * task-local checkpoint failure. The job goes on running after either refusal, so the savepoint
   * is asked for again: the first kind until {@code timeout}, the second at most {@link
   * #TASK_FAILURE_RETRIES} times, since a snapshot that really fails looks the same.
   */
  public String stopWithSavepoint(String jobId, String directory, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int taskFailuresLeft = TASK_FAILURE_RETRIES;
    while (true) {
      JsonNode op = stopOnce(jobId, directory, deadline, timeout);
      if (!op.has("failure-cause")) return op.path("location").asText();
      JsonNode failure = op.path("failure-cause");
      String cause = failure.path("stack-trace").asText(failure.toString());
      boolean deploying = cause.contains(NOT_ALL_TASKS_RUNNING);
      boolean taskFailure = !deploying && cause.contains(TASK_CHECKPOINT_FAILURE);
      boolean retry =
          (deploying || (taskFailure && taskFailuresLeft-- > 0))
              && System.nanoTime() < deadline
              && "RUNNING".equals(job(jobId).state());
      if (!retry) {
        throw new IOException("stop-with-savepoint of " + jobId + " failed: " + failure);
      }
      Thread.sleep(500);
    }
  }

  /** Triggers one stop-with-savepoint and returns its completed operation. */
  private JsonNode stopOnce(String jobId, String directory, long deadline, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode req = Json.MAPPER.createObjectNode();
    req.put("targetDirectory", directory);
    req.put("drain", false);
    String trigger = post("/jobs/" + jobId + "/stop", req).path("request-id").asText();
    while (System.nanoTime() < deadline) {
      JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(s.path("status").path("id").asText())) return s.path("operation");
      Thread.sleep(500);
    }
    throw new IOException("no savepoint of " + jobId + " after " + timeout.toSeconds() + " s");
  }

  public void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build());
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .GET()
            .timeout(Duration.ofSeconds(30))
            .build());
  }

  private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
            .timeout(Duration.ofMinutes(2))
            .build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          request.method() + " " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
  }
}
