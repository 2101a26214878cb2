package org.gridfusion.simulator.traffic;

import java.util.SplittableRandom;

/**
 * When an elderly resident's door sensor reports, the way a real door contact does: on the door's
 * own events, not on a fixed schedule. From six in the morning until late evening ({@link
 * DailyRhythm#doorsActive}) the door opens now and then (going out, coming back, a neighbour's
 * visit: about every {@link #MEAN_OPENING_GAP_MS} on average) and closes again after a short while;
 * at night it stays shut and silent. A door that would otherwise stay silent longer than its
 * heartbeat sends its state anyway (door contacts report a supervision heartbeat), so no resident's
 * door is silent for 24 h by accident, and none is silent at the start of a run for longer than a
 * night: the demo raises ELDERLY_INACTIVE only for the incidents it injects.
 */
final class DoorHabits {
  /** Mean gap between two openings while the household is up. */
  static final long MEAN_OPENING_GAP_MS = 90 * 60_000L;

  /** How long a door stays open: 20 s to 3 min. */
  static final long OPEN_MIN_MS = 20_000L, OPEN_MAX_MS = 180_000L;

  private static final long HOUR_MS = 3_600_000L;

  private DoorHabits() {}

  /**
   * Event time of the door's next report after one at {@code now}, never more than {@code
   * heartbeatMs} later.
   */
  static long next(long now, boolean open, long heartbeatMs, SplittableRandom random) {
    if (open) return now + OPEN_MIN_MS + (long) (random.nextDouble() * (OPEN_MAX_MS - OPEN_MIN_MS));
    long t =
        now + Math.max(1, (long) (-StrictMath.log(1 - random.nextDouble()) * MEAN_OPENING_GAP_MS));
    if (!DailyRhythm.doorsActive(DailyRhythm.localHour(t))) {
      // asleep: the next opening comes in the first two hours after six in the morning
      t = nextMorning(t) + (long) (random.nextDouble() * 2 * HOUR_MS);
    }
    return Math.min(t, now + heartbeatMs);
  }

  /** The next 06:00 China time at or after {@code t}. */
  static long nextMorning(long t) {
    long day = 24 * HOUR_MS;
    long local = t + 8 * HOUR_MS;
    long six = Math.floorDiv(local, day) * day + 6 * HOUR_MS;
    if (six < local) six += day;
    return six - 8 * HOUR_MS;
  }
}
