package org.gridfusion.jobs.rules;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One of a grid's recurring checks — the clean-up of its windows, or the silence check of its
 * absence subjects — and when it is next due, kept in a value state of the operator's ({@code
 * cleanup-at} or {@code silence-at}, registered by {@link RuleEngine}).
 *
 * <p>Each grid keeps one timer per check: a record asks for one only when it expires before the one
 * already set, and the timer, when it fires, sets the next from what is left. One timer per grid
 * per minute, registered for every record, was most of the rule engine's cost in the timer queue
 * before. One timer may serve several checks (they round to the same minute), so each check keeps
 * its own due time and looks at it when a timer fires.
 */
final class GridCheck {
  private static final long CLEANUP_GRAIN = 60_000L;

  private final ValueState<Long> due;

  GridCheck(ValueState<Long> due) {
    this.due = due;
  }

  /** Makes the check due by {@code when} at the latest. */
  void dueBy(long when, TimerService timers) throws Exception {
    Long at = due.value();
    if (at != null && at <= when) return;
    // An earlier timer set before stays and finds nothing due when it fires: deleting it could
    // delete another purpose's timer of the same minute.
    timers.registerEventTimeTimer(when);
    due.update(when);
  }

  /**
   * Whether the check is due at {@code t}; a missing due time (state from before these were kept)
   * counts as due.
   */
  boolean isDue(long t) throws Exception {
    Long at = due.value();
    return at == null || t >= at;
  }

  /**
   * After a check: the next is due at {@code next} (rounded to the minute), or never — remembered
   * as such while {@code keepNever} (subjects that all fired are still kept), forgotten with
   * everything else otherwise, so a quiet grid keeps only its standing state.
   */
  void rearm(long next, boolean keepNever, TimerService timers) throws Exception {
    if (next == Long.MAX_VALUE) {
      if (keepNever) due.update(Long.MAX_VALUE);
      else due.clear();
    } else {
      long when = onTheMinute(next);
      timers.registerEventTimeTimer(when);
      due.update(when);
    }
  }

  /**
   * Clean-up and silence timers round up to the minute, so timers of one grid and minute coincide
   * and fire as one. Forgetting up to a minute later changes no outcome; a silence
   * (ELDERLY_INACTIVE) is still dated at its exact end, only raised up to a minute of event time
   * later. Timers that close a co-occurrence window stay exact, since FIRE_SUSPECTED must not wait
   * on a partner that cannot come.
   */
  static long onTheMinute(long t) {
    return t >= Long.MAX_VALUE - CLEANUP_GRAIN || t < 0
        ? t
        : (t + CLEANUP_GRAIN - 1) / CLEANUP_GRAIN * CLEANUP_GRAIN;
  }
}
