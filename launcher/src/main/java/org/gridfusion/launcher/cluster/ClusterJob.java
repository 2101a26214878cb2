package org.gridfusion.launcher.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.jobs.FusionJob;
import org.gridfusion.jobs.IndexingJobMain;
import org.gridfusion.jobs.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fusion job and the indexing job on {@code up}'s own standalone session cluster (contract §8,
 * {@code flink.taskManagers} ≥ 1): starts the {@link FlinkCluster}, submits the job jar over REST
 * twice (its main, then {@link IndexingJobMain} as entry class) with the whole configuration in
 * {@code <data dir>/flink/job.yaml} (owner-only: it holds the secrets), and supervises the
 * processes. An upgrade replaces both, the indexing job first (the new jar reads what the old
 * fusion job wrote; the old indexing job could not read records of a newer schema).
 *
 * <p>Supervision: a dead JobManager is started again on the same ports and the job resubmitted from
 * its newest retained checkpoint (standalone Flink has no JobManager HA without ZooKeeper or
 * Kubernetes; checkpoints are retained on cancellation and on a JobManager crash, so the restart
 * loses nothing the checkpoint covers, and the exactly-once sinks abort what it does not). A dead
 * TaskManager is replaced only while {@code flink.spareTaskManagers} allows; otherwise the job
 * restarts from its last checkpoint in the slots left (every TaskManager has slots for the whole
 * job by default).
 *
 * <p>The job jar in force is {@code <data dir>/flink/job.jar}: {@code jobs upgrade} replaces it
 * after a successful upgrade, so a JobManager restart resubmits the upgraded job.
 */
public final class ClusterJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final FlinkCluster cluster;
  private final Path jobYaml;
  private final Path stateDir;
  private final PrintStream out;
  private final Thread supervisor;
  private volatile boolean closing;
  private volatile String jobId;
  private volatile String indexingJobId;
  private final Path indexingStateDir;
  private int sparesLeft;

  private ClusterJob(
      FlinkCluster cluster, Path jobYaml, String stateDir, int spares, PrintStream out) {
    this.cluster = cluster;
    this.jobYaml = jobYaml;
    this.stateDir = Path.of(URI.create(stateDir));
    this.indexingStateDir = this.stateDir.resolve(JobRunner.INDEXING_STATE);
    this.sparesLeft = spares;
    this.out = out;
    this.supervisor = new Thread(this::supervise, "gridfusion-flink-supervisor");
    this.supervisor.setDaemon(true);
  }

  /** Where {@code up}'s cluster keeps its files: {@code <data dir>/flink}. */
  public static Path clusterDir(Config config) {
    return Path.of(config.get(GridFusionOptions.DATA_DIR)).toAbsolutePath().resolve("flink");
  }

  /**
   * Starts the cluster and the job on it (from the newest retained checkpoint of the state
   * directory, as a MiniCluster start does); {@code out} gets the {@code process} lines of
   * processes started later by the supervisor.
   */
  public static ClusterJob start(Config config, Path ownJar, PrintStream out) throws Exception {
    Path dir = clusterDir(config);
    int parallelism = config.get(GridFusionOptions.JOB_PARALLELISM);
    Integer slots = config.get(GridFusionOptions.FLINK_SLOTS);
    FlinkCluster.Spec spec =
        new FlinkCluster.Spec(
            dir,
            ClusterFiles.lib(config, ownJar),
            config.get(GridFusionOptions.FLINK_BIND),
            config.get(GridFusionOptions.FLINK_TASK_MANAGERS),
            // slots for both jobs on every TaskManager by default
            slots == null ? 2 * parallelism : slots,
            parallelism,
            config.get(GridFusionOptions.FLINK_JOB_MANAGER_MEMORY),
            config.get(GridFusionOptions.FLINK_TASK_MANAGER_MEMORY),
            config.get(GridFusionOptions.JOB_STATE_BACKEND));
    Path jar = ClusterFiles.jobJar(config, ownJar);
    Files.createDirectories(dir);
    Files.copy(jar, dir.resolve("job.jar"), StandardCopyOption.REPLACE_EXISTING);
    Path yaml = writeJobConfig(config, dir.resolve("job.yaml"));
    FlinkCluster cluster = FlinkCluster.start(spec, START_TIMEOUT);
    ClusterJob job =
        new ClusterJob(
            cluster,
            yaml,
            JobRunner.stateDir(config),
            config.get(GridFusionOptions.FLINK_SPARE_TASK_MANAGERS),
            out);
    try {
      job.submit(JobRunner.latestCheckpoint(JobRunner.stateDir(config)).orElse(null), null);
      job.submitIndexing();
      job.supervisor.start();
      return job;
    } catch (Exception e) {
      job.close();
      throw e;
    }
  }

  /**
   * The configuration the job reads, every key as given; the job reads reference data from
   * gf.reference, where {@code up} pushed it, as any cluster's TaskManagers would.
   */
  static Path writeJobConfig(Config config, Path file) throws IOException {
    Config job =
        config
            .with(GridFusionOptions.REFERENCE_SOURCE, "kafka")
            .with(
                GridFusionOptions.DATA_DIR,
                Path.of(config.get(GridFusionOptions.DATA_DIR)).toAbsolutePath());
    StringBuilder yaml = new StringBuilder("# gridfusion up: the fusion job's configuration\n");
    for (Map.Entry<String, String> e : job.raw().entrySet()) {
      yaml.append(Json.MAPPER.writeValueAsString(e.getKey()))
          .append(": ")
          .append(Json.MAPPER.writeValueAsString(e.getValue()))
          .append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, yaml);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** Uploads {@code <dir>/job.jar} and runs it, from {@code savepoint} if given; waits for it. */
  public synchronized String submit(String savepoint, Integer parallelism) throws Exception {
    FlinkRest rest = cluster.rest();
    String jarId = rest.upload(cluster.dir().resolve("job.jar"));
    if (savepoint != null) LOG.info("Starting the fusion job from {}", savepoint);
    jobId = rest.run(jarId, JobUpgrade.arguments(jobYaml, parallelism), parallelism, savepoint);
    JobUpgrade.awaitRunning(rest, jobId, START_TIMEOUT);
    LOG.info("Fusion job {} running on the cluster at {}", jobId, rest.url());
    return jobId;
  }

  /**
   * Runs the jar's {@link IndexingJobMain} from the indexing job's newest retained checkpoint (or
   * its group's committed offsets); waits for it.
   */
  public synchronized String submitIndexing() throws Exception {
    FlinkRest rest = cluster.rest();
    String jarId = rest.upload(cluster.dir().resolve("job.jar"));
    String from = JobRunner.latestCheckpoint(indexingStateDir.toUri().toString()).orElse(null);
    indexingJobId =
        rest.run(
            jarId,
            IndexingJobMain.class.getName(),
            JobUpgrade.arguments(jobYaml, null),
            null,
            from);
    JobUpgrade.awaitRunning(rest, indexingJobId, START_TIMEOUT);
    LOG.info("Indexing job {} running on the cluster at {}", indexingJobId, rest.url());
    return indexingJobId;
  }

  /** Waits until every task of the jobs in force runs. */
  public void awaitRunning(Duration timeout) throws Exception {
    JobUpgrade.awaitRunning(cluster.rest(), jobId, timeout);
    JobUpgrade.awaitRunning(cluster.rest(), indexingJobId, timeout);
  }

  /** The fusion job. */
  public String jobId() {
    return jobId;
  }

  /** The indexing job. */
  public String indexingJobId() {
    return indexingJobId;
  }

  public FlinkCluster cluster() {
    return cluster;
  }

  /** The newest retained checkpoint of the job's state directory. */
  public Optional<String> latestCheckpoint() {
    return JobRunner.latestCheckpoint(stateDir.toUri().toString());
  }

  /** Where savepoints go: {@code savepoints} beside the checkpoint directory. */
  public String savepointDir() {
    return stateDir.resolveSibling("savepoints").toUri().toString();
  }

  /**
   * Replaces the running job: stop with a savepoint, then {@code newJar} (or the same jar) from it,
   * at {@code parallelism} (or as configured). The new jar becomes the one a JobManager restart
   * submits.
   */
  public synchronized JobUpgrade.Result upgrade(Path newJar, Integer parallelism) throws Exception {
    Path jar = cluster.dir().resolve("job.jar");
    if (newJar != null) JobUpgrade.replaceJar(newJar, jar);
    // the indexing job first: the new jar reads what the old fusion job wrote, the old indexing
    // job may not read what the new one writes (a schema with a field more)
    indexingJobId =
        JobUpgrade.run(
                cluster.rest(),
                indexingJobId,
                IndexingJobMain.class.getName(),
                jar,
                jobYaml,
                null,
                savepointDir(),
                START_TIMEOUT)
            .jobId();
    JobUpgrade.Result r =
        JobUpgrade.run(
            cluster.rest(), jobId, jar, jobYaml, parallelism, savepointDir(), START_TIMEOUT);
    jobId = r.jobId();
    return r;
  }

  private void supervise() {
    while (!closing) {
      try {
        Thread.sleep(500);
        for (FlinkCluster.Member m : cluster.members()) {
          if (closing || m.process().isAlive()) continue;
          if (m.name().equals("jobmanager")) restartJobManager(m);
          else replaceTaskManager(m);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.error("Supervising the Flink cluster: {}", e.toString(), e);
      }
    }
  }

  private void restartJobManager(FlinkCluster.Member dead) throws Exception {
    LOG.warn(
        "Flink JobManager (pid {}) exited with {}; starting it again and resubmitting the job"
            + " from its newest checkpoint",
        dead.pid(),
        dead.process().exitValue());
    FlinkCluster.Member jm = cluster.startJobManager();
    announce(jm);
    cluster.awaitRest(START_TIMEOUT);
    // TaskManagers register again with the new JobManager; the job needs the slots of one
    cluster.awaitTaskManagers(1, START_TIMEOUT);
    // the indexing job first: the fusion job's new id is what tells a watcher the restart is done
    submitIndexing();
    submit(latestCheckpoint().orElse(null), null);
  }

  private void replaceTaskManager(FlinkCluster.Member dead) throws IOException {
    synchronized (this) {
      if (cluster.member(dead.name()) != dead) return; // already handled
      cluster.forget(dead);
      if (sparesLeft == 0) {
        LOG.warn(
            "Flink {} (pid {}) exited with {}; no spare TaskManager configured"
                + " (flink.spareTaskManagers): the job goes on in the slots left",
            dead.name(),
            dead.pid(),
            dead.process().exitValue());
        return;
      }
      sparesLeft--;
    }
    FlinkCluster.Member tm = cluster.startTaskManager();
    LOG.warn(
        "Flink {} (pid {}) exited; started {} in its place", dead.name(), dead.pid(), tm.name());
    announce(tm);
  }

  private void announce(FlinkCluster.Member m) {
    if (out == null) return;
    out.println("process " + m.name() + " " + m.pid());
    out.flush();
  }

  /**
   * Stops the fusion job with a savepoint in {@code <state dir>/savepoints}, its Kafka transactions
   * committed (as {@link JobRunner#stop} does on the MiniCluster; the next start resumes from it),
   * cancels what else runs, and stops the processes. A job that gives no savepoint within {@link
   * JobRunner#STOP_TIMEOUT} is cancelled; the next start resumes from its last checkpoint.
   */
  @Override
  public void close() {
    closing = true;
    supervisor.interrupt();
    String savepoints = JobRunner.savepointDir(stateDir.toUri().toString());
    try {
      // by name: `jobs upgrade` from another process may have replaced the one this started
      for (String fusion : cluster.rest().activeJobsNamed(FusionJob.NAME)) {
        try {
          JobRunner.stoppedWith(
              cluster.rest().stopWithSavepoint(fusion, savepoints, JobRunner.STOP_TIMEOUT),
              savepoints);
        } catch (Exception e) {
          LOG.warn(
              "Fusion job {} not stopped with a savepoint ({}); cancelling it: the next start"
                  + " resumes from its last checkpoint",
              fusion,
              e.toString());
        }
      }
    } catch (Exception e) {
      LOG.debug("fusion job", e);
    }
    try {
      // every job still running, also one `jobs upgrade` started from another process
      for (String id : cluster.rest().activeJobs()) cluster.rest().cancel(id);
    } catch (Exception e) {
      LOG.debug("cancel", e);
    }
    cluster.close();
  }
}
