package org.gridfusion.simulator.traffic;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe counters behind {@link TrafficSink#counts(TrafficSource)}, for sink implementations.
 */
public final class SinkCounters {
  private final Map<TrafficSource, AtomicLong[]> counters = new EnumMap<>(TrafficSource.class);

  public SinkCounters() {
    for (TrafficSource s : TrafficSource.values()) {
      counters.put(
          s,
          new AtomicLong[] {
            new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()
          });
    }
  }

  public void sent(TrafficSource source, long n) {
    counters.get(source)[0].addAndGet(n);
  }

  public void acknowledged(TrafficSource source, long n) {
    counters.get(source)[1].addAndGet(n);
  }

  public void failed(TrafficSource source, long n) {
    counters.get(source)[2].addAndGet(n);
  }

  public void rejected(TrafficSource source, long n) {
    counters.get(source)[3].addAndGet(n);
  }

  public SinkCounts snapshot(TrafficSource source) {
    AtomicLong[] c = counters.get(source);
    // Read acknowledgements before sends, so a snapshot never shows more acknowledged than sent.
    long rejected = c[3].get();
    long failed = c[2].get();
    long acknowledged = c[1].get();
    return new SinkCounts(c[0].get(), acknowledged, failed, rejected);
  }
}
