package org.gridfusion.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.jobs.kafka.KafkaEndpoints;
import org.gridfusion.jobs.records.DuplicateFilter;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns configuration into a Flink environment and starts GridFusion's two jobs on it, the {@link
 * FusionJob} and the {@link IndexingJob}: on a local MiniCluster ({@code job.target=local}, with
 * the web UI when flink-runtime-web is present; the indexing job is submitted to the fusion job's
 * MiniCluster through its REST API) or on a remote cluster ({@code job.target=host:port}, shipping
 * the given jar).
 *
 * <p>Each job has its own checkpoints: the fusion job's in the state directory, the indexing job's
 * in its {@value #INDEXING_STATE} subdirectory.
 *
 * <p>Checkpoints are retained on cancellation, and a local start resumes from the newest retained
 * checkpoint of the same state directory, so stopping and starting {@code gridfusion up} keeps
 * de-duplication and incident state; {@code up} stops the fusion job with a savepoint ({@link
 * #stop}), which such a start takes as the newest.
 *
 * <p>The local MiniCluster listens on {@code embedded.bindAddress} only (127.0.0.1 by default): its
 * REST API and web UI, BLOB server, RPC and data exchange; and its REST API neither takes jar
 * uploads and submissions nor cancels jobs unless {@code embedded.flink.webSubmit} / {@code
 * webCancel} ask for it. A failed job restarts with exponential delay (1 s doubling up to {@code
 * job.restart.maxBackoff}), with no limit on attempts: it rides out an outage of Kafka or
 * Elasticsearch. Whether it keeps failing is watched from the outside ({@code up}'s job watch),
 * which stops GridFusion when the job cannot start at all.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /** The indexing job's checkpoints: this subdirectory of the state directory. */
  public static final String INDEXING_STATE = "indexing";

  /** Where {@link #stop} writes the fusion job's savepoints: this subdirectory of the state one. */
  public static final String SAVEPOINTS = "savepoints";

  /**
   * How long a stop waits for the fusion job's savepoint before it cancels the job ({@link #stop},
   * and cluster mode's stop): seconds for GridFusion's state; a job that cannot take one in this
   * time is restarting or stuck, and a cancel is what is left.
   */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Jobs GridFusion runs side by side; a local MiniCluster has slots for each at parallelism. */
  private static final int JOBS = 2;

  private JobRunner() {}

  public static StreamExecutionEnvironment environment(Config config, String jarForRemote) {
    Configuration flink = jobConfiguration(config);
    int parallelism = config.get(GridFusionOptions.JOB_PARALLELISM);
    String stateDir = flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);

    String target = config.get(GridFusionOptions.JOB_TARGET);
    StreamExecutionEnvironment env;
    if ("local".equals(target)) {
      flink.set(TaskManagerOptions.NUM_TASK_SLOTS, JOBS * parallelism);
      String bind = config.get(GridFusionOptions.EMBEDDED_BIND_ADDRESS);
      flink.set(RestOptions.BIND_ADDRESS, bind);
      flink.set(RestOptions.ADDRESS, restHost(config));
      flink.set(RestOptions.PORT, config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT));
      // The BLOB server binds to jobmanager.bind-host, RPC and data exchange to these too; left
      // unset, Flink opens them on every interface.
      flink.set(JobManagerOptions.BIND_HOST, bind);
      flink.set(JobManagerOptions.ADDRESS, restHost(config));
      flink.set(TaskManagerOptions.BIND_HOST, bind);
      flink.set(TaskManagerOptions.HOST, restHost(config));
      flink.set(WebOptions.SUBMIT_ENABLE, config.get(GridFusionOptions.EMBEDDED_FLINK_WEB_SUBMIT));
      flink.set(WebOptions.CANCEL_ENABLE, config.get(GridFusionOptions.EMBEDDED_FLINK_WEB_CANCEL));
      flink.set(WebOptions.RESCALE_ENABLE, false);
      latestCheckpoint(stateDir)
          .ifPresent(
              cp -> {
                LOG.info(
                    "Resuming the fusion job from retained {} {}",
                    isSavepoint(cp) ? "savepoint" : "checkpoint",
                    cp);
                lateResumeWarning(
                        cp,
                        ageOf(cp),
                        KafkaEndpoints.transactionTimeout(
                            KafkaConnection.from(config, "for the fusion job's sinks")))
                    .ifPresent(LOG::warn);
                flink.set(StateRecoveryOptions.SAVEPOINT_PATH, cp);
                flink.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
              });
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
    } else {
      String[] hostPort = target.split(":"); // format checked by the option
      if (jarForRemote == null) {
        throw new ConfigException(
            GridFusionOptions.JOB_TARGET.key(),
            "a remote target needs the shaded jar (run from bin/gridfusion)");
      }
      env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              hostPort[0], Integer.parseInt(hostPort[1]), flink, jarForRemote);
    }
    configure(env, config);
    return env;
  }

  /**
   * What every target sets on the environment itself: parallelism, the network buffer timeout of
   * the edges no alert crosses (the alert path sets its own, shorter one per operator: {@link
   * FusionJob}), exactly-once checkpoints, and for RocksDB the state layout that suits it
   * (DuplicateFilter). Set on the ExecutionConfig directly: a job submitted over REST runs in a
   * context environment that does not carry pipeline.global-job-parameters over from the
   * configuration it is given.
   */
  public static void configure(StreamExecutionEnvironment env, Config config) {
    env.setParallelism(config.get(GridFusionOptions.JOB_PARALLELISM));
    env.setBufferTimeout(config.get(GridFusionOptions.JOB_BACKGROUND_BUFFER_TIMEOUT).toMillis());
    env.enableCheckpointing(
        config.get(GridFusionOptions.JOB_CHECKPOINT_INTERVAL).toMillis(),
        CheckpointingMode.EXACTLY_ONCE);
    if ("rocksdb".equals(config.get(GridFusionOptions.JOB_STATE_BACKEND))) {
      env.getConfig()
          .setGlobalJobParameters(
              Configuration.fromMap(Map.of(DuplicateFilter.LAYOUT, DuplicateFilter.PER_ID)));
    }
  }

  /**
   * The job's own Flink settings, the same wherever it runs (MiniCluster, a remote session, the job
   * jar on any Flink 2.2 cluster): state backend, checkpoints on durable storage retained on
   * cancellation, restart with back-off.
   */
  public static Configuration jobConfiguration(Config config) {
    return jobConfiguration(config, stateDir(config));
  }

  /** {@link #jobConfiguration(Config)} with checkpoints in {@code stateDir}. */
  public static Configuration jobConfiguration(Config config, String stateDir) {
    Configuration flink = new Configuration();
    String backend = config.get(GridFusionOptions.JOB_STATE_BACKEND);
    flink.set(StateBackendOptions.STATE_BACKEND, backend);
    // RocksDB uploads only the files that changed since the last checkpoint
    if ("rocksdb".equals(backend)) flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    // No operator keeps or changes a record it was handed (sinks serialise at once, keyed state
    // holds copies that came over the network), so chained operators may share it instead of
    // deep-copying every Avro record between them (~5% of the job's CPU in a profile).
    flink.set(PipelineOptions.OBJECT_REUSE, true);
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, stateDir);
    flink.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    // A failure (a TaskManager lost, Kafka or Elasticsearch away) restarts the job from its last
    // checkpoint after 1 s, then 2 s, 4 s... up to job.restart.maxBackoff, for as long as it takes;
    // an hour without failure resets the wait.
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        config.get(GridFusionOptions.JOB_RESTART_MAX_BACKOFF));
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofHours(1));
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
    return flink;
  }

  /** {@code job.stateDir}, or {@code <data dir>/checkpoints} as a file URI. */
  public static String stateDir(Config config) {
    String stateDir = config.get(GridFusionOptions.JOB_STATE_DIR);
    return stateDir != null
        ? stateDir
        : Path.of(config.get(GridFusionOptions.DATA_DIR), "checkpoints")
            .toAbsolutePath()
            .toUri()
            .toString();
  }

  /** Where the indexing job's checkpoints go: {@value #INDEXING_STATE} in the state directory. */
  public static String indexingStateDir(Config config) {
    return stateDir(config).replaceAll("/+$", "") + "/" + INDEXING_STATE;
  }

  /**
   * The configuration with a concrete Flink REST port for a local MiniCluster whose port is 0 (a
   * free one, picked here), so the job can be watched and its UI printed.
   */
  public static Config withRestPort(Config config) {
    if (!"local".equals(config.get(GridFusionOptions.JOB_TARGET))
        || config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT) != 0) {
      return config;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return config.with(GridFusionOptions.EMBEDDED_FLINK_UI_PORT, s.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the Flink REST API", e);
    }
  }

  /** The Flink REST API the job runs under: the local MiniCluster's, or job.target's. */
  public static String restUrl(Config config) {
    String target = config.get(GridFusionOptions.JOB_TARGET);
    if (!"local".equals(target)) return "http://" + target;
    return "http://"
        + bracketed(restHost(config))
        + ":"
        + config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT);
  }

  /** The host clients reach the MiniCluster at: the advertised host, or the bind address. */
  private static String restHost(Config config) {
    String advertised = config.get(GridFusionOptions.EMBEDDED_ADVERTISED_HOST);
    if (advertised != null && !advertised.isBlank()) return advertised;
    String bind = config.get(GridFusionOptions.EMBEDDED_BIND_ADDRESS);
    if (bind.equals("0.0.0.0") || bind.equals("::")) {
      try {
        return InetAddress.getLocalHost().getCanonicalHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
    return bind;
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Builds the fusion job from configuration and submits it without waiting for it to end. */
  public static JobClient startFusion(Config config, String jarForRemote) throws Exception {
    FusionJob.Settings settings = FusionJob.Settings.from(config);
    // The job's first act would be loading these on every task manager; a file that does not
    // parse would fail it there, again at every restart. Refused here, with the key, instead.
    ReferenceFiles.checkLoads(settings.reference());
    StreamExecutionEnvironment env = environment(config, jarForRemote);
    FusionJob.build(
        env, FusionJob.kafkaSources(config), FusionJob.productionSinks(config), settings);
    JobClient client = env.executeAsync(FusionJob.NAME);
    LOG.info("Fusion job submitted as {}", client.getJobID());
    return client;
  }

  /**
   * Builds the indexing job and submits it without waiting for it to end: to the local MiniCluster
   * the fusion job runs on (started first by {@link #startFusion}; its REST API takes the job
   * graph, whose classes the MiniCluster has on its own class path), or to the remote cluster with
   * {@code jarForRemote}. Resumes from its newest retained checkpoint, as the fusion job does.
   */
  public static JobClient startIndexing(Config config, String jarForRemote) throws Exception {
    String stateDir = indexingStateDir(config);
    Configuration flink = jobConfiguration(config, stateDir);
    String target = config.get(GridFusionOptions.JOB_TARGET);
    StreamExecutionEnvironment env;
    if ("local".equals(target)) {
      latestCheckpoint(stateDir)
          .ifPresent(
              cp -> {
                LOG.info("Resuming the indexing job from retained checkpoint {}", cp);
                flink.set(StateRecoveryOptions.SAVEPOINT_PATH, cp);
                flink.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
              });
      env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              restHost(config), config.get(GridFusionOptions.EMBEDDED_FLINK_UI_PORT), flink);
    } else {
      if (jarForRemote == null) {
        throw new ConfigException(
            GridFusionOptions.JOB_TARGET.key(),
            "a remote target needs the shaded jar (run from bin/gridfusion)");
      }
      String[] hostPort = target.split(":"); // format checked by the option
      env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              hostPort[0], Integer.parseInt(hostPort[1]), flink, jarForRemote);
    }
    configure(env, config);
    IndexingJob.build(
        env,
        IndexingJob.kafkaSources(config),
        IndexingJob.productionSinks(config),
        IndexingJob.Settings.from(config));
    JobClient client = env.executeAsync(IndexingJob.NAME);
    LOG.info("Indexing job submitted as {}", client.getJobID());
    return client;
  }

  /** Waits until the job is RUNNING (its tasks deployed), or fails with the job's own error. */
  public static void awaitRunning(JobClient client, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var status = client.getJobStatus().get();
      if (status == JobStatus.RUNNING) return;
      if (status.isGloballyTerminalState()) {
        client.getJobExecutionResult().get();
        throw new IllegalStateException("job ended as " + status);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("job not running after " + timeout.toSeconds() + " s");
  }

  /**
   * Stops the fusion job as {@code flink stop} does: a savepoint (in {@value #SAVEPOINTS} of the
   * state directory), and the job's Kafka transactions committed, before it ends. A cancel instead
   * can fall between a checkpoint completing and its transactions being committed; the broker
   * aborts those after the sinks' transaction timeout, so a restart later than that would lose that
   * checkpoint's output (README, "Faults"). The next local start resumes from the savepoint ({@link
   * #latestCheckpoint}: it is the newest). Without a savepoint within {@code timeout} (a job
   * restarting, or stuck behind back-pressure) the job is cancelled as before; the two newest
   * savepoints are kept, older ones deleted.
   */
  public static void stop(JobClient job, String stateDir, Duration timeout) {
    String savepoints = savepointDir(stateDir);
    try {
      String savepoint =
          job.stopWithSavepoint(false, savepoints, SavepointFormatType.NATIVE)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      stoppedWith(savepoint, savepoints);
    } catch (Exception e) {
      LOG.warn(
          "Fusion job not stopped with a savepoint within {} s ({}); cancelling it: the next start"
              + " resumes from its last checkpoint",
          timeout.toSeconds(),
          e instanceof ExecutionException && e.getCause() != null
              ? e.getCause().toString()
              : e.toString());
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception c) {
        LOG.debug("cancel", c);
      }
    }
  }

  /**
   * Where a stop writes the fusion job's savepoints: {@value #SAVEPOINTS} in the state directory.
   */
  public static String savepointDir(String stateDir) {
    return stateDir.replaceAll("/+$", "") + "/" + SAVEPOINTS;
  }

  /**
   * Says that the fusion job stopped with {@code savepoint} (its output committed) and keeps the
   * two newest savepoints of {@code savepoints}: on the MiniCluster ({@link #stop}) and in cluster
   * mode.
   */
  public static void stoppedWith(String savepoint, String savepoints) {
    LOG.info("Fusion job stopped with savepoint {}, its output committed", savepoint);
    pruneSavepoints(savepoints, 2);
  }

  /** Deletes all but the {@code keep} newest savepoints of a local savepoint directory. */
  static void pruneSavepoints(String savepoints, int keep) {
    if (!savepoints.startsWith("file:")) return;
    Path dir = Path.of(URI.create(savepoints));
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> old =
          s.filter(p -> Files.isRegularFile(p.resolve("_metadata")))
              .sorted(
                  Comparator.comparingLong((Path p) -> written(p.resolve("_metadata"))).reversed())
              .skip(keep)
              .toList();
      for (Path p : old) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
        LOG.info("Deleted older savepoint {}", p);
      }
    } catch (IOException e) {
      LOG.warn("Cannot prune older savepoints in {}: {}", dir, e.toString());
    }
  }

  private static boolean isSavepoint(String retained) {
    return retained.contains("/" + SAVEPOINTS + "/");
  }

  /** How long ago a retained checkpoint's metadata was written. */
  private static Duration ageOf(String retained) {
    long at = written(Path.of(URI.create(retained)).resolve("_metadata"));
    return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - at));
  }

  /**
   * What a start should say when it resumes from a checkpoint (not a savepoint: {@link #stop}
   * commits before it ends) older than the sinks' transaction timeout: a job killed between that
   * checkpoint and its commit had its transactions aborted by the broker meanwhile, and Flink's
   * committer drops what it can no longer commit. Whether that happened only the broker knows
   * (README, Faults), so the start says it may have, and how to tell.
   */
  static Optional<String> lateResumeWarning(
      String retained, Duration age, Duration transactionTimeout) {
    if (isSavepoint(retained) || age.compareTo(transactionTimeout) <= 0) return Optional.empty();
    return Optional.of(
        ("Resuming from a checkpoint written %d min ago, later than the Kafka sinks' transaction"
                + " timeout (%d min): if the job was killed between that checkpoint and its commit,"
                + " the broker has aborted its transactions and their output (up to one"
                + " checkpoint interval of gf.records, gf.alerts, gf.risk, gf.workorders) is not"
                + " in Kafka. Flink's KafkaCommitter logs 'Unable to commit transaction' either"
                + " way; `kafka-transactions.sh describe --transactional-id gf-records-0-<n>`"
                + " shows CompleteCommit when nothing was lost (README, Faults). Stop GridFusion"
                + " with Ctrl-C or SIGTERM, not a kill, to keep this from happening.")
            .formatted(age.toMinutes(), transactionTimeout.toMinutes()));
  }

  /**
   * When a checkpoint's or savepoint's {@code _metadata} was written: its modification time, which
   * orders them (README, Faults: moving a data directory).
   */
  private static long written(Path metadata) {
    return metadata.toFile().lastModified();
  }

  /**
   * The newest retained checkpoint or savepoint ({@link #stop}) of a local state directory, by the
   * time its metadata was written; the indexing job's, in its subdirectory, are not the fusion
   * job's.
   */
  public static Optional<String> latestCheckpoint(String stateDir) {
    if (!stateDir.startsWith("file:")) return Optional.empty();
    Path dir = Path.of(URI.create(stateDir));
    if (!Files.isDirectory(dir)) return Optional.empty();
    try (Stream<Path> s = Files.walk(dir, 3)) {
      // the indexing job's checkpoints live under the fusion job's: never the fusion job's own
      return s.filter(p -> p.getFileName().toString().equals("_metadata"))
          .filter(p -> !dir.relativize(p).startsWith(INDEXING_STATE))
          .max(Comparator.comparingLong(JobRunner::written))
          .map(p -> p.getParent().toUri().toString());
    } catch (IOException e) {
      LOG.warn("Cannot look for retained checkpoints in {}: {}", dir, e.toString());
      return Optional.empty();
    }
  }
}
