package org.gridfusion.simulator.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gridfusion.simulator.district.District;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link TrafficGenerator}'s stream into a {@link TrafficSink} in (sped-up) real time: a
 * message with event time {@code t} is sent {@code (t - start) / speedUp} after the run began.
 * Camera events are batched up to {@link TrafficConfig#cameraBatchSize()} or {@link
 * TrafficConfig#cameraLinger()}, department records into files of {@link
 * TrafficConfig#departmentFileLines()} or {@link TrafficConfig#departmentFileLinger()}. When the
 * sink cannot keep up the simulation falls behind its schedule (and says so) rather than piling
 * messages up in memory.
 *
 * <p>{@link #run(Duration)} blocks on the caller's thread until the duration has passed, or until
 * {@link #stop()} is called or the thread is interrupted; it then sends what is batched, flushes
 * the sink and reports a last time. It does not close the sink. Scenario messages can be slipped in
 * while it runs with {@link #inject(List)}; they are sent at once, whatever their event time.
 */
public final class Simulation {
  private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
  private static final long SECOND_NANOS = 1_000_000_000L;
  private static final long MAX_SLEEP_NANOS = 50_000_000L;
  private static final long BEHIND_WARNING_NANOS = 5 * SECOND_NANOS;

  private final TrafficConfig config;
  private final TrafficSink sink;
  private final ProgressListener listener;
  private final TrafficGenerator generator;
  private final ConcurrentLinkedQueue<TrafficItem> injected = new ConcurrentLinkedQueue<>();
  private final Map<TrafficSource, Long> generated = new EnumMap<>(TrafficSource.class);
  private final Map<TrafficSource, SinkCounts> lastCounts = new EnumMap<>(TrafficSource.class);
  private final List<String> cameraBatch = new ArrayList<>();
  private final List<String> departmentBatch = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile long wallStartNanos;
  private long cameraBatchSince;
  private long departmentBatchSince;
  private long lastReportNanos;
  private long lastBehindWarningNanos;
  private int listenerFailures;

  public Simulation(
      District district, TrafficConfig config, TrafficSink sink, ProgressListener listener) {
    this.config = config;
    this.sink = sink;
    this.listener = listener == null ? ProgressListener.NONE : listener;
    this.generator = new TrafficGenerator(district, config);
    for (TrafficSource s : TrafficSource.values()) {
      generated.put(s, 0L);
      lastCounts.put(s, SinkCounts.ZERO);
    }
  }

  /** Runs for {@code wallDuration} (null: until {@link #stop()}) and returns the final progress. */
  public static Progress run(
      District district,
      TrafficConfig config,
      TrafficSink sink,
      Duration wallDuration,
      ProgressListener listener) {
    return new Simulation(district, config, sink, listener).run(wallDuration);
  }

  /**
   * Runs on the calling thread; a simulation runs once.
   *
   * @param wallDuration how long to run, or null to run until {@link #stop()} or interruption
   */
  public Progress run(Duration wallDuration) {
    if (!started.compareAndSet(false, true))
      throw new IllegalStateException("a simulation runs only once");
    long wallStart = System.nanoTime();
    wallStartNanos = wallStart;
    lastReportNanos = wallStart;
    long deadline = wallDuration == null ? Long.MAX_VALUE : wallStart + wallDuration.toNanos();
    long startMs = config.start().toEpochMilli();
    double nanosPerEventMs = 1_000_000.0 / config.speedUp();
    long nextReport = wallStart + SECOND_NANOS;
    LOG.info(
        "simulation {} started: event time from {} at {}x, rates {}/{}/{} per second (sensor/camera/department)",
        config.runId(),
        config.start(),
        config.speedUp(),
        config.sensorReadingsPerSecond(),
        config.cameraEventsPerSecond(),
        config.departmentRecordsPerSecond());
    Progress last = null;
    try {
      while (!stopRequested && !Thread.currentThread().isInterrupted()) {
        long now = System.nanoTime();
        if (now >= deadline) break;
        sendInjected(now);
        if (now >= nextReport) {
          report(now, false);
          nextReport = now + SECOND_NANOS;
        }
        sendLingeringBatches(now);
        long due =
            generator.hasNext()
                ? wallStart + (long) ((generator.peekEventTimeMillis() - startMs) * nanosPerEventMs)
                : Long.MAX_VALUE;
        if (due > now) {
          long wake =
              Math.min(Math.min(due, nextReport), Math.min(deadline, now + MAX_SLEEP_NANOS));
          sleepNanos(wake - now);
          continue;
        }
        warnIfBehind(now, due);
        dispatch(generator.next(), now);
      }
    } finally {
      // An interrupt ends the run, but the flush below must still be allowed to wait.
      boolean interrupted = Thread.interrupted();
      sendCameraBatch();
      sendDepartmentBatch();
      sink.flush();
      if (interrupted) Thread.currentThread().interrupt();
      last = report(System.nanoTime(), true);
      finished.countDown();
      LOG.info("simulation {} finished: {}", config.runId(), last);
    }
    return last;
  }

  /** Asks a running simulation to finish; {@link #run(Duration)} then flushes and returns. */
  public void stop() {
    stopRequested = true;
  }

  /** Waits for a stopped simulation to have flushed its sink. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The event time the simulation is at now: where injected incidents belong. */
  public Instant eventTime() {
    long wallStart = wallStartNanos;
    if (wallStart == 0) return config.start();
    long elapsedNanos = System.nanoTime() - wallStart;
    return config.start().plusMillis((long) (elapsedNanos / 1_000_000.0 * config.speedUp()));
  }

  /** Messages (e.g. an incident's) to send as soon as possible, in the given order. Thread-safe. */
  public void inject(List<TrafficItem> items) {
    injected.addAll(items);
  }

  private void sendInjected(long now) {
    if (injected.isEmpty()) return;
    TrafficItem item;
    while ((item = injected.poll()) != null) dispatch(item, now);
    // An incident should reach the pipeline now, not after the batch linger.
    sendCameraBatch();
    sendDepartmentBatch();
  }

  private void dispatch(TrafficItem item, long now) {
    generated.merge(item.source(), 1L, Long::sum);
    switch (item.source()) {
      case SENSOR -> sink.sendSensor(item.topic(), item.payload());
      case CAMERA -> {
        if (item.sendsAlone()) {
          sink.sendCameraBatch(List.of(item.payload()));
          return;
        }
        if (cameraBatch.isEmpty()) cameraBatchSince = now;
        cameraBatch.add(item.payload());
        if (cameraBatch.size() >= config.cameraBatchSize()) sendCameraBatch();
      }
      case DEPARTMENT -> {
        if (departmentBatch.isEmpty()) departmentBatchSince = now;
        departmentBatch.add(item.payload());
        if (departmentBatch.size() >= config.departmentFileLines()) sendDepartmentBatch();
      }
    }
  }

  private void sendLingeringBatches(long now) {
    if (!cameraBatch.isEmpty() && now - cameraBatchSince >= config.cameraLinger().toNanos())
      sendCameraBatch();
    if (!departmentBatch.isEmpty()
        && now - departmentBatchSince >= config.departmentFileLinger().toNanos()) {
      sendDepartmentBatch();
    }
  }

  private void sendCameraBatch() {
    if (cameraBatch.isEmpty()) return;
    sink.sendCameraBatch(List.copyOf(cameraBatch));
    cameraBatch.clear();
  }

  private void sendDepartmentBatch() {
    if (departmentBatch.isEmpty()) return;
    sink.sendDepartment(List.copyOf(departmentBatch));
    departmentBatch.clear();
  }

  private void warnIfBehind(long now, long due) {
    if (now - due > BEHIND_WARNING_NANOS && now - lastBehindWarningNanos > 30 * SECOND_NANOS) {
      lastBehindWarningNanos = now;
      LOG.warn(
          "simulation {} is {} s behind schedule: the sink does not keep up with the configured rates",
          config.runId(),
          (now - due) / SECOND_NANOS);
    }
  }

  private Progress report(long now, boolean done) {
    double seconds = Math.max(1e-3, (now - lastReportNanos) / 1e9);
    lastReportNanos = now;
    Map<TrafficSource, SourceProgress> sources = new EnumMap<>(TrafficSource.class);
    for (TrafficSource s : TrafficSource.values()) {
      SinkCounts c = sink.counts(s);
      SinkCounts before = lastCounts.put(s, c);
      sources.put(
          s,
          new SourceProgress(
              generated.get(s),
              c.sent(),
              c.acknowledged(),
              c.failed(),
              c.rejected(),
              (c.sent() - before.sent()) / seconds,
              (c.acknowledged() - before.acknowledged()) / seconds,
              (c.failed() - before.failed()) / seconds));
    }
    Progress p =
        new Progress(
            Duration.ofNanos(now - wallStartNanos),
            eventTime(),
            Collections.unmodifiableMap(sources),
            done);
    try {
      listener.onProgress(p);
    } catch (RuntimeException e) {
      // Once with the stack trace; a listener that fails every second would drown the log.
      if (listenerFailures++ == 0) LOG.warn("progress listener failed; the simulation goes on", e);
      else LOG.debug("progress listener failed again: {}", e.toString());
    }
    return p;
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) return;
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
