package org.gridfusion.jobs.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.FusionJob;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.testkit.Await;

/**
 * Runs the real fusion job ({@link FusionJob#build}) on a MiniCluster at parallelism 2, on {@link
 * ScriptedSource}s and {@link CollectingSink}s, up to an end of event time the test chooses.
 *
 * <p><b>How a run ends.</b> Every input partition plays its script and ends; the run's clock — one
 * more sensor partition with a single reading of {@link District#CLOCK_DEVICE} dated just after the
 * run's {@code end} — then holds, so the job's watermark stops exactly at {@code end}. The run is
 * over when every writer of every sink has seen that watermark: by then every record has been
 * processed and every event-time timer up to {@code end} has fired and its output has been
 * collected, and none after {@code end} can fire. The job is then cancelled. (Letting every source
 * end instead would move the watermark to the end of time and fire every timer there is: each grab
 * window, deadline, silence and incident close, whether the scenario was about it or not.) So a
 * test's expected output is what the job emits for its inputs with event time running from their
 * first {@code ts} to {@code end} — nothing waits on the wall clock.
 *
 * <p><b>Orderings between inputs.</b> Inputs of one partition keep their order; inputs of different
 * partitions and sources interleave freely, as on Kafka. Where an outcome depends on which of two
 * inputs the job sees first (a context record before the events it escalates, a rule set before the
 * records it judges), the later input's partition {@linkplain Script#await waits for a condition}
 * on the collected outputs, such as the earlier record appearing on gf.records.
 *
 * <p>The job runs with idleness set to an hour: a partition waiting for a condition must hold event
 * time back rather than be declared idle after a wall-clock timeout.
 */
public final class FusionJobRun {
  public static final int PARALLELISM = 2;

  /**
   * How long a run may take before the test gives up on it (a failsafe, never a wait); a system
   * property raises it for big runs (the full scenario set, ScenarioSetITCase).
   */
  private static final Duration GIVE_UP =
      Duration.ofSeconds(Long.getLong("gridfusion.test.giveUpSeconds", 90));

  private FusionJobRun() {}

  /** One MiniCluster with a slot per subtask, to share by the tests of a class. */
  public static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());
  }

  /**
   * The reference files a district was written to in {@code dir}, under the names the simulator and
   * {@link District#write} give them, reloaded every {@code reload}.
   */
  public static ReferenceFiles referenceFilesIn(Path dir, Duration reload) {
    return new ReferenceFiles(
        dir.resolve("grids.geojson").toString(),
        dir.resolve("devices.csv").toString(),
        dir.resolve("addresses.csv").toString(),
        reload);
  }

  /** The job's settings as production makes them from configuration, with test reference data. */
  public static FusionJob.Settings settings(ReferenceFiles reference) {
    return FusionJob.Settings.from(config(reference));
  }

  public static Config config(ReferenceFiles reference) {
    return Config.empty()
        .with(GridFusionOptions.REFERENCE_GRID_MAP, reference.gridMap())
        .with(GridFusionOptions.REFERENCE_DEVICES, reference.devices())
        .with(GridFusionOptions.REFERENCE_ADDRESSES, reference.addresses())
        .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "job-test-secret-0123456789")
        .with(GridFusionOptions.TIME_ZONE, "Asia/Shanghai")
        // a partition waiting for a condition holds event time back, however long it waits
        .with(GridFusionOptions.JOB_IDLENESS, "1h")
        // the scenarios are dated on fixed days; commands are checked against the wall clock
        .with(GridFusionOptions.VALIDATION_HORIZON, "3650d")
        // scripted devices report for their scenario and fall silent: device health is tested
        // where it is the subject (DeviceOfflineITCase, SimulatedBackgroundITCase)
        .with(GridFusionOptions.DEVICES_OFFLINE_ENABLED, "false");
  }

  /** The inputs of one run: partitions of each source, played as {@link Script}s. */
  public static final class Inputs {
    private final Map<String, Script<CameraEvent>> cameras = new LinkedHashMap<>();
    private final Map<String, Script<SensorReading>> sensors = new LinkedHashMap<>();
    private final Map<String, Script<DepartmentRecord>> departments = new LinkedHashMap<>();
    private final Script<String> ruleSets = new Script<>("rule sets");
    private final Map<String, Script<String>> commands = new LinkedHashMap<>();

    /** The camera partition named {@code name} (created on first use, numbered in that order). */
    public Script<CameraEvent> cameras(String name) {
      return cameras.computeIfAbsent(name, Script::new);
    }

    public Script<SensorReading> sensors(String name) {
      return sensors.computeIfAbsent(name, Script::new);
    }

    public Script<DepartmentRecord> departments(String name) {
      return departments.computeIfAbsent(name, Script::new);
    }

    /** The rule-set stream (one partition, as gf.rules has). */
    public Script<String> ruleSets() {
      return ruleSets;
    }

    public Script<String> commands(String name) {
      return commands.computeIfAbsent(name, Script::new);
    }

    /** How many camera events, sensor readings and department records the partitions emit. */
    public int records() {
      int n = 0;
      for (Script<?> s : cameras.values()) n += s.elements();
      for (Script<?> s : sensors.values()) n += s.elements();
      for (Script<?> s : departments.values()) n += s.elements();
      return n;
    }

    /** The subtask that reads camera partition {@code name}. */
    public int cameraSubtask(String name) {
      return new ArrayList<>(cameras.keySet()).indexOf(name) % PARALLELISM;
    }
  }

  /** Runs the job on {@code inputs} until event time reaches {@code end}; returns its outputs. */
  public static CollectedOutputs run(
      MiniClusterExtension cluster,
      String name,
      FusionJob.Settings settings,
      Inputs inputs,
      Instant end)
      throws Exception {
    try (Running job = start(cluster, name, settings, inputs, end, null, Set.of())) {
      return job.awaitEnd();
    }
  }

  /**
   * Starts the job without waiting for it; from {@code savepoint} when not null, with the holds
   * named in {@code released} open from the start.
   */
  public static Running start(
      MiniClusterExtension cluster,
      String name,
      FusionJob.Settings settings,
      Inputs inputs,
      Instant end,
      String savepoint,
      Set<String> released)
      throws Exception {
    TestRun run = TestRun.create(name, released);
    StreamExecutionEnvironment env = cluster.getTestStreamEnvironment();
    env.setParallelism(PARALLELISM);
    env.getConfig().enableObjectReuse(); // as JobRunner sets it for production
    env.getConfig().setAutoWatermarkInterval(50);
    StreamGraph graph = graph(env, run, settings, inputs, end);
    graph.setJobName(name);
    if (savepoint != null)
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
    JobClient client = env.executeAsync(graph);
    return new Running(run, client, end);
  }

  /** The job's graph as {@link #start} runs it, without running it: for checks of the plan. */
  public static StreamGraph graph(
      StreamExecutionEnvironment env, FusionJob.Settings settings, Inputs inputs, Instant end) {
    return graph(env, TestRun.create("plan", Set.of()), settings, inputs, end);
  }

  private static StreamGraph graph(
      StreamExecutionEnvironment env,
      TestRun run,
      FusionJob.Settings settings,
      Inputs inputs,
      Instant end) {
    List<Script<SensorReading>> sensors = new ArrayList<>(inputs.sensors.values());
    List<Boolean> replayed = new ArrayList<>(sensors.stream().map(s -> false).toList());
    // the clock: one reading just after the end, so the watermark reaches exactly `end`
    long tick = end.toEpochMilli() + settings.outOfOrderness().toMillis() + 1;
    sensors.add(
        new Script<SensorReading>("clock")
            .emit(Raw.sensor(District.CLOCK_DEVICE, "TEMPERATURE", 0, Instant.ofEpochMilli(tick)))
            .hold("end of run"));
    replayed.add(true);

    FusionJob.Sources sources =
        new FusionJob.Sources(
            source(run, inputs.cameras.values(), new AvroTypeInfo<>(CameraEvent.class)),
            new ScriptedSource<>(
                run.id(), sensors, replayed, new AvroTypeInfo<>(SensorReading.class)),
            source(run, inputs.departments.values(), new AvroTypeInfo<>(DepartmentRecord.class)),
            source(
                run,
                inputs.ruleSets.isEmpty() ? List.of() : List.of(inputs.ruleSets),
                Types.STRING),
            source(run, inputs.commands.values(), Types.STRING));
    FusionJob.build(env, sources, TestSinks.of(run), settings);
    return env.getStreamGraph();
  }

  private static <T> ScriptedSource<T> source(
      TestRun run, Collection<Script<T>> scripts, TypeInformation<T> type) {
    List<Script<T>> list = new ArrayList<>(scripts);
    return new ScriptedSource<>(run.id(), list, list.stream().map(s -> false).toList(), type);
  }

  /** A job started by {@link #start}. */
  public static final class Running implements AutoCloseable {
    private final TestRun run;
    private final JobClient client;
    private final Instant end;

    /** Savepoints refused as a task-local failure that {@link #notAllTasksRunning} may retry. */
    private int taskFailuresToRetry = 3;

    Running(TestRun run, JobClient client, Instant end) {
      this.run = run;
      this.client = client;
      this.end = end;
    }

    public JobID jobId() {
      return client.getJobID();
    }

    public TestRun run() {
      return run;
    }

    /** Waits until event time has reached the end everywhere; returns the outputs, then cancels. */
    public CollectedOutputs awaitEnd() throws Exception {
      int writers = TestSinks.ALL.size() * PARALLELISM;
      awaitCondition(
          () -> run.allWritersReached(writers, end.toEpochMilli()),
          () ->
              "event time at " + end + " in every sink; watermarks seen: " + run.watermarksSeen());
      return run.outputs();
    }

    /** Waits until every partition named is waiting at a hold. */
    public void awaitHolding(Set<String> partitions) throws Exception {
      awaitCondition(
          () -> run.holding().containsAll(partitions),
          () -> "partitions " + partitions + " at their hold; holding: " + run.holding());
    }

    /** Waits for a condition on the outputs collected so far. */
    public CollectedOutputs awaitOutputs(String what, Script.Condition condition) throws Exception {
      awaitCondition(() -> condition.holds(run.outputs()), () -> what);
      return run.outputs();
    }

    /**
     * Stops the job with a savepoint (without moving event time to its end) through the cluster's
     * client, and returns the savepoint's path and the outputs up to the stop.
     */
    public String stopWithSavepoint(ClusterClient<?> cluster, String directory) throws Exception {
      String[] path = new String[1];
      // The sources may hold before every downstream task has finished deploying (a sink still
      // starting on a busy machine): Flink refuses the savepoint then; ask again.
      Await.until(
          "Flink to take the savepoint (refused while a task is still deploying)",
          () -> (path[0] = savepointUnlessTasksDeploying(cluster, directory)) != null,
          GIVE_UP);
      client.getJobExecutionResult().get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
      return path[0];
    }

    /**
     * The path of a savepoint the job stopped with, or null when Flink refused it because not all
     * tasks run yet; any other failure is thrown.
     */
    private String savepointUnlessTasksDeploying(ClusterClient<?> cluster, String directory) {
      try {
        return cluster
            .stopWithSavepoint(client.getJobID(), false, directory, SavepointFormatType.CANONICAL)
            .get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (notAllTasksRunning(e)) return null;
        throw new CompletionException("stop with savepoint failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException("interrupted while stopping with a savepoint", e);
      } catch (TimeoutException e) {
        throw new CompletionException("no savepoint within " + GIVE_UP, e);
      }
    }

    /**
     * Whether Flink refused the savepoint because a task was not running yet. Besides the job
     * manager's own refusal, under load a task manager can get the savepoint's barrier request for
     * a task it has not registered yet ("received a checkpoint request for unknown task"), which
     * reaches the client only as a task-local checkpoint failure: the savepoint fails, the job goes
     * on, and asking again succeeds. A few of those are retried; a task whose snapshot really fails
     * fails the test after them.
     */
    private boolean notAllTasksRunning(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CheckpointException c) {
          CheckpointFailureReason reason = c.getCheckpointFailureReason();
          if (reason == CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING) return true;
          if (reason == CheckpointFailureReason.TASK_CHECKPOINT_FAILURE
              && taskFailuresToRetry-- > 0) {
            return true;
          }
        }
      }
      return false;
    }

    private void awaitCondition(BooleanSupplier done, Supplier<String> what) throws Exception {
      long deadline = System.nanoTime() + GIVE_UP.toNanos();
      CompletableFuture<?> ended = client.getJobExecutionResult();
      while (true) {
        CompletableFuture<Void> change = run.nextChange();
        if (done.getAsBoolean()) return;
        if (ended.isDone()) {
          ended.get(); // throws the job's failure
          throw new AssertionError("the job ended before " + what.get());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("gave up waiting for " + what.get());
        try {
          CompletableFuture.anyOf(change, ended).get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError("gave up waiting for " + what.get());
        }
      }
    }

    /** Cancels the job if it still runs, and forgets the run. */
    @Override
    public void close() throws Exception {
      try {
        if (!client.getJobStatus().get().isGloballyTerminalState()) {
          client.cancel().get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
          try {
            client.getJobExecutionResult().get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
          } catch (Exception cancelled) {
            // the result of a cancelled job is its cancellation
          }
        }
      } finally {
        run.close();
      }
    }
  }
}
