package org.gridfusion.launcher.health;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.gridfusion.common.health.ComponentHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code up}'s child processes running: when one dies (killed, crashed, out of memory) it is
 * restarted on the same ports and data, with a WARN line saying which, how it ended and the
 * restart's number, and an INFO line once it is back. A restart that fails is retried with a delay
 * doubling from 1 s to 1 min, each attempt logged, until it succeeds or GridFusion stops. The count
 * and time of the last restart are part of the component's health ({@link #health}).
 *
 * <p>What it supervises is what can die on its own while GridFusion runs: the embedded
 * Elasticsearch node, a separate process. The in-process Kafka broker and connectors share this
 * JVM: if they die, so does {@code up} (Kafka halts the JVM on a fatal error), and the connectors
 * retry their own connections; their state is reported by the {@link HealthMonitor}.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  /** A child process that can be told to start again. */
  public interface Child {
    /** Completes when the current process ends. */
    CompletableFuture<?> onExit();

    boolean isAlive();

    /** Starts it again; returns once it serves, throws if it cannot. */
    void restart() throws Exception;

    /** One line about the current process for the log (pid, exit code). */
    String describe();
  }

  private final class Watched {
    final String name;
    final Child child;
    volatile int restarts;
    volatile Instant lastRestart;
    volatile boolean restarting;
    volatile String lastFailure;

    Watched(String name, Child child) {
      this.name = name;
      this.child = child;
    }

    void arm() {
      child.onExit().whenComplete((ignored, error) -> died());
    }

    synchronized void died() {
      if (closing || restarting || child.isAlive()) return;
      restarting = true;
      int n = restarts + 1;
      LOG.warn("{} died ({}); restarting it (restart #{})", name, child.describe(), n);
      executor.execute(() -> restart(n, Duration.ofSeconds(1)));
    }

    void restart(int n, Duration backoff) {
      if (closing) return;
      long t0 = System.nanoTime();
      try {
        child.restart();
        restarts = n;
        lastRestart = Instant.now();
        lastFailure = null;
        restarting = false;
        LOG.info(
            "{} restarted in {} s (restart #{}; {})",
            name,
            String.format("%.1f", (System.nanoTime() - t0) / 1e9),
            n,
            child.describe());
        arm();
      } catch (Exception e) {
        if (closing) return; // GridFusion is stopping: the node is stopped with it
        lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
        Duration doubled = backoff.multipliedBy(2);
        Duration next = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        LOG.error(
            "{} did not restart ({}); trying again in {} s",
            name,
            firstLine(lastFailure),
            backoff.toSeconds());
        executor.schedule(() -> restart(n, next), backoff.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gridfusion-supervisor");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closing;

  /**
   * Watches {@code child} under {@code name} from now on. Besides its exit notification, it is
   * looked at every 2 s, so a process whose exit went unnoticed is restarted too.
   */
  public void watch(String name, Child child) {
    Watched w = new Watched(name, child);
    watched.put(name, w);
    w.arm();
    executor.scheduleWithFixedDelay(
        () -> {
          if (!w.child.isAlive()) w.died();
        },
        2,
        2,
        TimeUnit.SECONDS);
  }

  /** How many times {@code name} was restarted. */
  public int restarts(String name) {
    Watched w = watched.get(name);
    return w == null ? 0 : w.restarts;
  }

  /**
   * The supervised side of a component's health: DOWN while it is being restarted (with the last
   * failure, if an attempt failed); otherwise {@code probed}, its detail completed with the restart
   * count and the time of the last one.
   */
  public ComponentHealth health(String name, ComponentHealth probed) {
    Watched w = watched.get(name);
    if (w == null) return probed;
    if (w.restarting) {
      return ComponentHealth.down(
          "died, restarting (restart #"
              + (w.restarts + 1)
              + (w.lastFailure == null ? "" : "; last attempt failed: " + firstLine(w.lastFailure))
              + ")");
    }
    if (w.restarts == 0) return probed;
    String note =
        "restarted "
            + w.restarts
            + (w.restarts == 1 ? " time" : " times")
            + ", last "
            + TIME.format(
                LocalTime.ofInstant(
                    w.lastRestart.truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault()));
    String detail = probed.detail().isEmpty() ? note : probed.detail() + "; " + note;
    return new ComponentHealth(probed.state(), detail);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    closing = true;
    executor.shutdownNow();
  }
}
