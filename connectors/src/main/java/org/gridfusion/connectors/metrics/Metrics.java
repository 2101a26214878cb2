package org.gridfusion.connectors.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one connector, rendered in the Prometheus text format ({@code GET /metrics}) and
 * logged in progress lines. Names follow Prometheus conventions ({@code
 * gridfusion_<connector>_<what>_total}).
 */
public final class Metrics {
  private final String prefix;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();

  public Metrics(String connector) {
    this.prefix = "gridfusion_" + connector + "_";
  }

  public LongAdder counter(String name, String description) {
    help.putIfAbsent(name, description);
    return counters.computeIfAbsent(name, n -> new LongAdder());
  }

  /** A counter with one label, e.g. dead letters by reason. */
  public LongAdder counter(String name, String label, String value, String description) {
    help.putIfAbsent(name, description);
    return counters.computeIfAbsent(
        name + "{" + label + "=\"" + value + "\"}", n -> new LongAdder());
  }

  public long get(String nameWithLabels) {
    LongAdder a = counters.get(nameWithLabels);
    return a == null ? 0 : a.sum();
  }

  public String prometheusText() {
    StringBuilder sb = new StringBuilder();
    Map<String, LongAdder> sorted = new TreeMap<>(counters);
    String lastBase = null;
    for (Map.Entry<String, LongAdder> e : sorted.entrySet()) {
      String key = e.getKey();
      int brace = key.indexOf('{');
      String base = brace < 0 ? key : key.substring(0, brace);
      if (!base.equals(lastBase)) {
        sb.append("# HELP ")
            .append(prefix)
            .append(base)
            .append(' ')
            .append(help.getOrDefault(base, base))
            .append('\n');
        sb.append("# TYPE ").append(prefix).append(base).append(" counter\n");
        lastBase = base;
      }
      sb.append(prefix).append(key).append(' ').append(e.getValue().sum()).append('\n');
    }
    return sb.toString();
  }
}
