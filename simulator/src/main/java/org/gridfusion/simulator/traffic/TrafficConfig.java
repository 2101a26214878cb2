package org.gridfusion.simulator.traffic;

import java.time.Duration;
import java.time.Instant;

/**
 * Background traffic settings. Rates are messages per second of <em>wall-clock</em> time, bad and
 * duplicate messages included, so they set the load on the pipeline; {@code speedUp} sets how much
 * event time passes per wall-clock second (60 = an hour of city life per minute).
 *
 * <p>Event time starts at {@code start} and runs ahead at {@code speedUp}. The pipeline rejects
 * {@code ts} more than 10 minutes ahead of receipt (§3), so with {@code speedUp > 1} pick a start
 * in the past, e.g. {@link #replayStart(Instant, Duration, double)}.
 *
 * @param seed the only source of randomness; same seed and district, same messages
 * @param duplicateShare share of all messages that are exact duplicates of the one before
 * @param badShare share of all messages that are invalid (malformed, unknown type, bad
 *     coordinates...)
 * @param doorReportInterval longest gap between two reports of one DOOR sensor in event time (its
 *     heartbeat; doors otherwise report on their household's openings, see {@code DoorHabits}, and
 *     are not counted in {@code sensorReadingsPerSecond}). Below 24 h, so background traffic never
 *     raises ELDERLY_INACTIVE.
 * @param cameraBatchSize events per HTTP request (the contract allows up to 1,000)
 * @param cameraLinger longest wait for a camera batch to fill before it is sent anyway
 * @param departmentFileLines lines per inbox file
 * @param departmentFileLinger longest wait for an inbox file to fill before it is written anyway
 * @param runId part of every generated event and record id, so runs with different starts do not
 *     collide in the pipeline's id-based de-duplication
 */
public record TrafficConfig(
    long seed,
    Instant start,
    double speedUp,
    double sensorReadingsPerSecond,
    double cameraEventsPerSecond,
    double departmentRecordsPerSecond,
    double duplicateShare,
    double badShare,
    Duration doorReportInterval,
    int cameraBatchSize,
    Duration cameraLinger,
    int departmentFileLines,
    Duration departmentFileLinger,
    String runId) {

  public static final Duration MAX_DOOR_REPORT_INTERVAL = Duration.ofHours(16);

  public TrafficConfig {
    require(start != null, "start", "is required");
    require(speedUp > 0 && speedUp <= 100_000, "speedUp", "must be in (0, 100000], got " + speedUp);
    requireRate("sensorReadingsPerSecond", sensorReadingsPerSecond);
    requireRate("cameraEventsPerSecond", cameraEventsPerSecond);
    requireRate("departmentRecordsPerSecond", departmentRecordsPerSecond);
    require(
        duplicateShare >= 0 && badShare >= 0 && duplicateShare + badShare <= 0.5,
        "duplicateShare/badShare",
        "must be >= 0 and sum to at most 0.5, got " + duplicateShare + " and " + badShare);
    require(
        doorReportInterval != null
            && !doorReportInterval.isNegative()
            && !doorReportInterval.isZero()
            && doorReportInterval.compareTo(MAX_DOOR_REPORT_INTERVAL) <= 0,
        "doorReportInterval",
        "must be in (0, " + MAX_DOOR_REPORT_INTERVAL + "], got " + doorReportInterval);
    require(
        cameraBatchSize >= 1 && cameraBatchSize <= 1000,
        "cameraBatchSize",
        "must be in [1, 1000], got " + cameraBatchSize);
    require(
        departmentFileLines >= 1,
        "departmentFileLines",
        "must be >= 1, got " + departmentFileLines);
    require(cameraLinger != null && !cameraLinger.isNegative(), "cameraLinger", "must be >= 0");
    require(
        departmentFileLinger != null && !departmentFileLinger.isNegative(),
        "departmentFileLinger",
        "must be >= 0");
    require(
        runId != null && runId.matches("[A-Za-z0-9_]{1,40}"),
        "runId",
        "must be 1-40 letters, digits or underscores, got " + runId);
  }

  /**
   * 200 sensor readings, 20 camera events and half a department record per second in real time, 1%
   * duplicates and 0.5% bad messages.
   */
  public static TrafficConfig defaults(long seed, Instant start) {
    return new TrafficConfig(
        seed,
        start,
        1.0,
        200,
        20,
        0.5,
        0.01,
        0.005,
        Duration.ofHours(4),
        200,
        Duration.ofMillis(250),
        200,
        Duration.ofSeconds(5),
        defaultRunId(seed, start));
  }

  /** The start that makes a run of {@code wall} at {@code speedUp} end at {@code now}. */
  public static Instant replayStart(Instant now, Duration wall, double speedUp) {
    return now.minusMillis((long) (wall.toMillis() * speedUp));
  }

  /** {@code s<seed>_<start in base 36>}: different for each seed and start. */
  public static String defaultRunId(long seed, Instant start) {
    return "s" + Long.toUnsignedString(seed, 36) + "_" + Long.toString(start.getEpochSecond(), 36);
  }

  public TrafficConfig withStart(Instant start) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        defaultRunId(seed, start));
  }

  public TrafficConfig withSpeedUp(double speedUp) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  public TrafficConfig withRates(
      double sensorReadingsPerSecond,
      double cameraEventsPerSecond,
      double departmentRecordsPerSecond) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  public TrafficConfig withShares(double duplicateShare, double badShare) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  public TrafficConfig withDoorReportInterval(Duration doorReportInterval) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  public TrafficConfig withBatching(
      int cameraBatchSize,
      Duration cameraLinger,
      int departmentFileLines,
      Duration departmentFileLinger) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  public TrafficConfig withRunId(String runId) {
    return new TrafficConfig(
        seed,
        start,
        speedUp,
        sensorReadingsPerSecond,
        cameraEventsPerSecond,
        departmentRecordsPerSecond,
        duplicateShare,
        badShare,
        doorReportInterval,
        cameraBatchSize,
        cameraLinger,
        departmentFileLines,
        departmentFileLinger,
        runId);
  }

  /** Share of generated messages that are GOOD. */
  double goodShare() {
    return 1 - duplicateShare - badShare;
  }

  private static void requireRate(String name, double v) {
    require(
        v >= 0 && v <= 1_000_000 && !Double.isNaN(v), name, "must be in [0, 1000000], got " + v);
  }

  private static void require(boolean ok, String field, String message) {
    if (!ok) throw new IllegalArgumentException("traffic." + field + " " + message);
  }
}
