package org.gridfusion.connectors.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters and gauges of one connector, rendered in the Prometheus text format ({@code GET
 * /metrics}) and logged in progress lines. Names follow Prometheus conventions ({@code
 * gridfusion_<connector>_<what>_total}).
 */
public final class Metrics {
  private final String prefix;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

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

  /** A value read when rendered, e.g. open connections or readings in flight. */
  public void gauge(String name, String description, LongSupplier value) {
    help.putIfAbsent(name, description);
    gauges.put(name, value);
  }

  public long get(String nameWithLabels) {
    LongSupplier g = gauges.get(nameWithLabels);
    if (g != null) return g.getAsLong();
    LongAdder a = counters.get(nameWithLabels);
    return a == null ? 0 : a.sum();
  }

  /** Every counter by name (with labels), for summaries. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
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
    for (Map.Entry<String, LongSupplier> e : new TreeMap<>(gauges).entrySet()) {
      String name = e.getKey();
      sb.append("# HELP ")
          .append(prefix)
          .append(name)
          .append(' ')
          .append(help.getOrDefault(name, name))
          .append('\n');
      sb.append("# TYPE ").append(prefix).append(name).append(" gauge\n");
      sb.append(prefix).append(name).append(' ').append(e.getValue().getAsLong()).append('\n');
    }
    return sb.toString();
  }
}
