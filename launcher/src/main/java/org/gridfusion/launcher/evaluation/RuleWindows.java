package org.gridfusion.launcher.evaluation;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.jobs.rules.Rule;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * Each rule's window, the event time it may have to wait before it can decide: a count's or a
 * co-occurrence's {@code within} (and that of the complement it names, FIRE_SUSPECTED), a lasting
 * rule's {@code lasting}, an absence's {@code silence}; zero for a threshold or a run of readings.
 * DEVICE_OFFLINE (§10) waits {@code devices.offline.feedGrace} for the feed's verdict. Taken from
 * the default rule set (contract §5), which the scenarios are written for.
 *
 * <p>The detection-delay check of {@code evaluate} allows each rule its window plus a margin: a
 * delay is measured from the moment the alert could first be raised (the truth's {@code decidedAt},
 * which already waits for event time to pass), so the window is an upper bound that stays honest
 * for a replay that delivers the deciding inputs faster than event time runs.
 */
public final class RuleWindows {
  private final Map<String, Duration> windows;

  private RuleWindows(Map<String, Duration> windows) {
    this.windows = windows;
  }

  public static RuleWindows defaults() {
    Map<String, Duration> w = new TreeMap<>();
    for (Rule r : RuleSet.defaults().rules()) {
      if (r instanceof Rule.Count c) w.put(c.id(), c.within());
      else if (r instanceof Rule.CoOccurrence c) {
        w.put(c.id(), c.within());
        if (c.unmatched() != null) w.put(c.unmatched().id(), c.within());
      } else if (r instanceof Rule.Lasting l) w.put(l.id(), l.lasting());
      else if (r instanceof Rule.Absence a) w.put(a.id(), a.silence());
      else w.put(r.id(), Duration.ZERO);
    }
    w.put("DEVICE_OFFLINE", GridFusionOptions.DEVICES_FEED_GRACE.defaultValue());
    return new RuleWindows(w);
  }

  /** The rule's window; zero for a rule it does not know. */
  public Duration of(String ruleId) {
    return windows.getOrDefault(ruleId, Duration.ZERO);
  }
}
