package org.gridfusion.simulator.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A simulation's state at a moment: wall time elapsed, the event time reached, and per source what
 * was generated, sent, acknowledged and failed.
 *
 * @param finished true in the last report, after everything was flushed
 */
public record Progress(
    Duration elapsed,
    Instant eventTime,
    Map<TrafficSource, SourceProgress> sources,
    boolean finished) {

  public SourceProgress source(TrafficSource source) {
    return sources.get(source);
  }

  /**
   * One line for a console: {@code 12s event 2026-11-24T08:12:00Z | SENSOR 2400 sent 2398 ack 0
   * fail (200/s) | ...}.
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(
            String.format(Locale.ROOT, "%ds event %s", elapsed.toSeconds(), eventTime));
    sources.forEach(
        (source, p) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    " | %s %d sent %d ack %d fail (%.0f/s)",
                    source,
                    p.sent(),
                    p.acknowledged(),
                    p.failed(),
                    p.sentPerSecond())));
    if (finished) b.append(" | finished");
    return b.toString();
  }
}
