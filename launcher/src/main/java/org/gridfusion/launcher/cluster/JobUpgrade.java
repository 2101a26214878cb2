package org.gridfusion.launcher.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a running fusion job by a changed one without losing state: stop with a savepoint (the
 * sources stop, the exactly-once sinks commit, every operator's state is written), then run the new
 * job jar from the savepoint — at another parallelism if asked (keyed state is redistributed by key
 * group). State is matched by the operators' {@code uid}s; state the new job no longer has is let
 * go. What {@code gridfusion jobs upgrade} and {@code up}'s cluster do.
 */
public final class JobUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(JobUpgrade.class);

  /** Failures of a starting job after which it is taken as unable to start. */
  static final int FAILURES_WHILE_STARTING = 3;

  /** The upgraded job and the savepoint it started from. */
  public record Result(String jobId, String savepoint) {}

  private JobUpgrade() {}

  /**
   * @param jobConfig the configuration file the job jar's main reads ({@code --config})
   * @param parallelism the new parallelism, or null for the configured one
   * @param savepoints the directory (URI) the savepoint goes to
   */
  public static Result run(
      FlinkRest rest,
      String jobId,
      Path jobJar,
      Path jobConfig,
      Integer parallelism,
      String savepoints,
      Duration timeout)
      throws Exception {
    return run(rest, jobId, null, jobJar, jobConfig, parallelism, savepoints, timeout);
  }

  /**
   * As {@link #run(FlinkRest, String, Path, Path, Integer, String, Duration)}, of the jar's {@code
   * entryClass} (null: its main).
   */
  public static Result run(
      FlinkRest rest,
      String jobId,
      String entryClass,
      Path jobJar,
      Path jobConfig,
      Integer parallelism,
      String savepoints,
      Duration timeout)
      throws Exception {
    String savepoint = rest.stopWithSavepoint(jobId, savepoints, timeout);
    LOG.info("Job {} stopped with savepoint {}", jobId, savepoint);
    String jarId = rest.upload(jobJar);
    String next =
        rest.run(jarId, entryClass, arguments(jobConfig, parallelism), parallelism, savepoint);
    try {
      awaitRunning(rest, next, timeout, true);
    } catch (IllegalStateException e) {
      // A job that cannot restore its state fails and restarts forever: stop it, and say where
      // the state is, since the job it replaces is stopped too.
      rest.cancel(next);
      throw new IllegalStateException(
          "the new job did not start from savepoint "
              + savepoint
              + " ("
              + e.getMessage()
              + "). It was cancelled; job "
              + jobId
              + " stopped at that savepoint and nothing runs now. Run the previous jar from it"
              + " (flink run -s "
              + savepoint
              + " <previous jar>) or fix the new one; see README, Upgrades and rescaling",
          e);
    }
    LOG.info("Job {} running from savepoint {}", next, savepoint);
    return new Result(next, savepoint);
  }

  static List<String> arguments(Path jobConfig, Integer parallelism) {
    List<String> args = new ArrayList<>(List.of("--config", jobConfig.toString()));
    if (parallelism != null) args.addAll(List.of("--set", "job.parallelism=" + parallelism));
    return args;
  }

  /**
   * Waits until every task of the job runs; fails, naming the job's newest failure, when the job
   * ends instead or is not running by the deadline.
   */
  public static void awaitRunning(FlinkRest rest, String jobId, Duration timeout) throws Exception {
    awaitRunning(rest, jobId, timeout, false);
  }

  /**
   * As {@link #awaitRunning(FlinkRest, String, Duration)}; a job {@code restoring} from a savepoint
   * also fails once it failed {@link #FAILURES_WHILE_STARTING} times in a row for the same cause
   * (state that does not fit the job fails every restart the same way, where a missing slot or a
   * broker not yet up passes).
   */
  static void awaitRunning(FlinkRest rest, String jobId, Duration timeout, boolean restoring)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      FlinkRest.JobState s = rest.job(jobId);
      if (s.allTasksRunning()) return;
      String problem = null;
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(s.state())) {
        problem = "job " + jobId + " ended as " + s.state();
      } else if (System.nanoTime() > deadline) {
        problem = "job " + jobId + " not running after " + timeout.toSeconds() + " s";
      }
      // the exception history only when it can decide or explain something
      List<String> failures = problem != null || restoring ? rest.failures(jobId) : List.of();
      if (problem == null && sameCause(failures, FAILURES_WHILE_STARTING)) {
        problem = "job " + jobId + " failed " + failures.size() + " times while starting";
      }
      if (problem != null) {
        throw new IllegalStateException(
            failures.isEmpty() ? problem : problem + "; its newest failure: " + failures.get(0));
      }
      Thread.sleep(250);
    }
  }

  /** Whether the newest {@code n} failures (newest first) have one cause. */
  static boolean sameCause(List<String> failures, int n) {
    return failures.size() >= n && failures.subList(0, n).stream().distinct().count() == 1;
  }

  /**
   * Puts {@code jar} in place of {@code target} in one move (a supervisor may read it any time).
   */
  public static void replaceJar(Path jar, Path target) throws Exception {
    Path next = target.resolveSibling(target.getFileName() + ".next");
    Files.copy(jar, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
