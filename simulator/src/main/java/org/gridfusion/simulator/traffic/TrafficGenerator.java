package org.gridfusion.simulator.traffic;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.CameraEventType;
import org.gridfusion.simulator.district.District;

/**
 * An endless, deterministic stream of background inputs for a district, in event-time order: sensor
 * readings on per-device schedules, camera events and department records as Poisson streams, with
 * exact duplicates and invalid messages mixed in at the configured shares. Background traffic alone
 * raises no alert of contract §5 (see {@link BackgroundValues} and {@link CameraTraffic}).
 *
 * <p>Pure: it only computes messages; {@link Simulation} paces them to the wall clock and hands
 * them to a {@link TrafficSink}. Same district and config, same sequence of messages. Each source
 * draws from its own split of the seed, so turning one source up or off leaves the others
 * unchanged.
 *
 * <p>A duplicate or bad message follows right after a good message of the same source, with the
 * same event time. Not thread-safe.
 */
public final class TrafficGenerator implements Iterator<TrafficItem> {
  private final SensorTraffic sensors;
  private final CameraTraffic cameras;
  private final DepartmentTraffic departments;
  private final BadRecords bad;
  private final SplittableRandom cameraClock;
  private final SplittableRandom departmentClock;
  private final SplittableRandom extras;
  private final double cameraMeanGapMs;
  private final double departmentMeanGapMs;

  /** Chance of a duplicate, and of a bad message, after each good one; see the constructor. */
  private final double duplicateAfterGood;

  private final double badAfterGood;
  private final ArrayDeque<TrafficItem> pending = new ArrayDeque<>();
  private double nextCameraMs = Double.POSITIVE_INFINITY;
  private double nextDepartmentMs = Double.POSITIVE_INFINITY;

  public TrafficGenerator(District district, TrafficConfig config) {
    SplittableRandom root = new SplittableRandom(config.seed());
    this.sensors = new SensorTraffic(district.sensors(), config, root.split());
    this.cameras = new CameraTraffic(district, config.runId(), root.split());
    this.departments = new DepartmentTraffic(district, config.runId(), root.split());
    this.bad = new BadRecords(district, config.runId(), root.split());
    this.cameraClock = root.split();
    this.departmentClock = root.split();
    this.extras = root.split();
    double good = config.goodShare();
    // Shares are of all messages: g good messages make g/good in all, of which a share d
    // duplicates.
    this.duplicateAfterGood = config.duplicateShare() / good;
    this.badAfterGood = config.badShare() / good;
    this.cameraMeanGapMs = meanGapMs(config.cameraEventsPerSecond() * good, config.speedUp());
    this.departmentMeanGapMs =
        meanGapMs(config.departmentRecordsPerSecond() * good, config.speedUp());
    double startMs = config.start().toEpochMilli();
    if (cameras.hasCameras() && cameraMeanGapMs < Double.POSITIVE_INFINITY) {
      nextCameraMs = startMs + exponential(cameraClock, cameraMeanGapMs);
    }
    if (departments.hasAddresses() && departmentMeanGapMs < Double.POSITIVE_INFINITY) {
      nextDepartmentMs = startMs + exponential(departmentClock, departmentMeanGapMs);
    }
  }

  private static double meanGapMs(double goodPerWallSecond, double speedUp) {
    return goodPerWallSecond <= 0 ? Double.POSITIVE_INFINITY : 1000.0 * speedUp / goodPerWallSecond;
  }

  private static double exponential(SplittableRandom r, double mean) {
    // StrictMath: the same bits on every JVM and CPU, so a seed means the same stream everywhere.
    return -StrictMath.log(1 - r.nextDouble()) * mean;
  }

  /** False only when every source is off (zero rates, or a district without devices). */
  @Override
  public boolean hasNext() {
    return !pending.isEmpty() || nextTime() < Long.MAX_VALUE;
  }

  /** Event time of the message {@link #next()} will return, or {@link Long#MAX_VALUE} if none. */
  public long peekEventTimeMillis() {
    return pending.isEmpty() ? nextTime() : pending.peekFirst().eventTime().toEpochMilli();
  }

  private long nextTime() {
    return Math.min(sensors.peekTime(), Math.min(roundOrMax(nextCameraMs), departmentDueMs()));
  }

  private static long roundOrMax(double ms) {
    return ms == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : (long) ms;
  }

  /**
   * Department records carry whole seconds, so they are due at the next whole second of their
   * clock; rounding each due time, not the clock, keeps the rate exact and the order intact.
   */
  private long departmentDueMs() {
    long ms = roundOrMax(nextDepartmentMs);
    return ms == Long.MAX_VALUE ? ms : Math.floorDiv(ms + 999, 1000) * 1000;
  }

  @Override
  public TrafficItem next() {
    if (!pending.isEmpty()) return pending.pollFirst();
    long sensorTs = sensors.peekTime();
    long cameraTs = roundOrMax(nextCameraMs);
    long departmentTs = departmentDueMs();
    TrafficItem good;
    if (sensorTs == Long.MAX_VALUE
        && cameraTs == Long.MAX_VALUE
        && departmentTs == Long.MAX_VALUE) {
      throw new NoSuchElementException("every traffic source is off");
    } else if (sensorTs <= cameraTs && sensorTs <= departmentTs) {
      good = sensors.next();
    } else if (cameraTs <= departmentTs) {
      good = cameras.next(Instant.ofEpochMilli(cameraTs));
      nextCameraMs += exponential(cameraClock, cameraMeanGapMs);
    } else {
      good = departments.next(Instant.ofEpochMilli(departmentTs));
      nextDepartmentMs += exponential(departmentClock, departmentMeanGapMs);
    }
    if (extras.nextDouble() < duplicateAfterGood && mayDuplicate(good))
      pending.addLast(good.duplicate());
    if (extras.nextDouble() < badAfterGood)
      pending.addLast(bad.next(good.source(), good.eventTime()));
    return good;
  }

  /**
   * A resent STREET_VENDING event counts towards the rule too, so it needs the grid's allowance.
   */
  private boolean mayDuplicate(TrafficItem good) {
    if (!CameraEventType.STREET_VENDING.name().equals(good.type())
        || good.source() != TrafficSource.CAMERA) {
      return true;
    }
    return cameras.countVending(good.gridId(), good.eventTime().toEpochMilli());
  }

  /** The next {@code n} messages. */
  public List<TrafficItem> take(int n) {
    List<TrafficItem> out = new ArrayList<>(n);
    for (int i = 0; i < n && hasNext(); i++) out.add(next());
    return out;
  }

  /** Every message with event time before {@code end}. */
  public List<TrafficItem> until(Instant end) {
    List<TrafficItem> out = new ArrayList<>();
    long endMs = end.toEpochMilli();
    while (hasNext() && peekEventTimeMillis() < endMs) out.add(next());
    return out;
  }
}
