package org.gridfusion.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which savepoint refusals {@link FlinkRest#stopWithSavepoint} asks again after. The refusals come
 * from races inside a real cluster (a task still deploying, a barrier request reaching a task
 * manager before the task registered) that no test can bring about on purpose, so a small HTTP
 * server answers as Flink's REST API does in those cases, with the failure-cause texts Flink 2.2
 * sends.
 */
class FlinkRestSavepointTest {
  private static final String TASK_FAILURE =
      "org.apache.flink.runtime.checkpoint.CheckpointException: Task local checkpoint failure.";
  private static final String DEPLOYING =
      "org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are"
          + " currently running.";
  private static final String IO_FAILURE =
      "org.apache.flink.runtime.checkpoint.CheckpointException: An Exception occurred while"
          + " triggering the checkpoint. IO-problem detected.";

  private HttpServer server;
  private final AtomicInteger triggers = new AtomicInteger();
  private String jobState = "RUNNING";
  private List<String> exceptions = List.of();

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void asksAgainAfterTaskLocalFailuresAndWhileTasksDeploy() throws Exception {
    FlinkRest rest = flink(List.of(TASK_FAILURE, DEPLOYING, DEPLOYING, TASK_FAILURE));

    String location = rest.stopWithSavepoint("job-1", "file:///savepoints", Duration.ofSeconds(30));

    assertThat(location).isEqualTo("file:///savepoints/savepoint-5");
    assertThat(triggers).hasValue(5);
  }

  @Test
  void givesUpAfterThreeTaskLocalFailures() throws Exception {
    FlinkRest rest =
        flink(List.of(TASK_FAILURE, TASK_FAILURE, TASK_FAILURE, TASK_FAILURE, TASK_FAILURE));

    assertThatThrownBy(
            () -> rest.stopWithSavepoint("job-1", "file:///savepoints", Duration.ofSeconds(30)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("stop-with-savepoint of job-1 failed")
        .hasMessageContaining("Task local checkpoint failure");
    assertThat(triggers).hasValue(FlinkRest.TASK_FAILURE_RETRIES + 1);
  }

  @Test
  void anyOtherFailureIsReportedAtOnce() throws Exception {
    FlinkRest rest = flink(List.of(IO_FAILURE));

    assertThatThrownBy(
            () -> rest.stopWithSavepoint("job-1", "file:///savepoints", Duration.ofSeconds(30)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("IO-problem detected");
    assertThat(triggers).hasValue(1);
  }

  @Test
  void aJobThatFailsAlikeWhileRestoringIsReportedWithItsCause() throws Exception {
    String incompatible =
        "org.apache.flink.runtime.JobException: Recovery is suppressed\\n\\tat x\\n"
            + "Caused by: org.apache.flink.util.StateMigrationException: The new state serializer"
            + " must not be incompatible with the old state serializer.\\n\\tat y";
    jobState = "RESTARTING";
    exceptions = List.of(incompatible, incompatible, incompatible);
    FlinkRest rest = flink(List.of());

    assertThat(rest.failures("job-1"))
        .containsOnly(
            "org.apache.flink.util.StateMigrationException: The new state serializer must not be"
                + " incompatible with the old state serializer.");
    assertThatThrownBy(() -> JobUpgrade.awaitRunning(rest, "job-1", Duration.ofMinutes(1), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("job job-1 failed 3 times while starting")
        .hasMessageContaining("StateMigrationException: The new state serializer");
  }

  @Test
  void aJobFailingForDifferentCausesIsGivenItsTime() throws Exception {
    jobState = "RESTARTING";
    exceptions = List.of("java.io.IOException: broker away", "java.lang.Exception: other", "x: y");
    FlinkRest rest = flink(List.of());

    assertThatThrownBy(() -> JobUpgrade.awaitRunning(rest, "job-1", Duration.ofMillis(600), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running after")
        .hasMessageContaining("its newest failure: java.io.IOException: broker away");
  }

  /**
   * A JobManager whose job stays in {@link #jobState} with the failures {@link #exceptions} and
   * whose stop-with-savepoint fails with {@code failures}, one per trigger, then succeeds.
   */
  private FlinkRest flink(List<String> failures) throws IOException {
    Deque<String> left = new ArrayDeque<>(failures);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jobs/job-1/stop",
        ex -> reply(ex, "{\"request-id\":\"t" + triggers.incrementAndGet() + "\"}"));
    server.createContext(
        "/jobs/job-1/savepoints/",
        ex -> {
          String failure = left.poll();
          String op =
              failure == null
                  ? "{\"location\":\"file:///savepoints/savepoint-" + triggers.get() + "\"}"
                  : "{\"failure-cause\":{\"class\":\"java.util.concurrent.CompletionException\","
                      + "\"stack-trace\":\"java.util.concurrent.CompletionException: "
                      + failure
                      + "\\n\\tat org.apache.flink...\"}}";
          reply(ex, "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":" + op + "}");
        });
    server.createContext(
        "/jobs/job-1/exceptions",
        ex -> {
          StringBuilder entries = new StringBuilder();
          for (String e : exceptions) {
            if (entries.length() > 0) entries.append(',');
            entries.append("{\"exceptionName\":\"x\",\"stacktrace\":\"").append(e).append("\"}");
          }
          reply(ex, "{\"exceptionHistory\":{\"entries\":[" + entries + "]}}");
        });
    server.createContext(
        "/jobs/job-1",
        ex ->
            reply(
                ex,
                "{\"state\":\""
                    + jobState
                    + "\",\"vertices\":[{\"status\":\""
                    + jobState
                    + "\"}]}"));
    server.start();
    return new FlinkRest("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }
}
