package org.gridfusion.launcher.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gridfusion.common.json.Json;
import org.gridfusion.embedded.CpuBreakdown;

/**
 * One benchmark invocation as written to {@code
 * bench/results/e2e-<ingress>-<yyyyMMdd-HHmmss>.json}: the machine, the configuration, the runs
 * (one, or one per step) and, in step mode, the knee.
 *
 * @param config the bench options and the pipeline settings that shape latency (checkpoint
 *     interval, sink flush intervals, refresh interval)
 * @param notes what a reader needs to judge the figures (contention, what the latency includes)
 */
public record BenchReport(
    String benchmark,
    String date,
    Machine machine,
    Map<String, Object> config,
    List<RunResult> runs,
    EndToEndBench.Knee knee,
    List<String> notes) {

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public static BenchReport of(
      Instant date,
      Map<String, Object> config,
      List<RunResult> runs,
      EndToEndBench.Knee knee,
      List<String> notes) {
    return new BenchReport(
        "gridfusion bench (end to end)",
        date.toString(),
        Machine.current(),
        config,
        runs,
        knee,
        notes);
  }

  /** Writes the report into {@code dir} and returns the file. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String ingress = runs.isEmpty() ? "none" : runs.get(0).ingress();
    String name =
        "e2e-"
            + ingress
            + (knee != null ? "-step" : "")
            + "-"
            + FILE_TIME.format(Instant.parse(date))
            + ".json";
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this)
            + "\n");
    return file;
  }

  /** The line in the README's end-to-end table that {@link #addRowTo} puts new rows above. */
  public static final String README_MARKER =
      "<!-- gridfusion bench adds its rows above this line -->";

  public static String markdownHeader() {
    return "| date | machine | ingress | offered rec/s | accepted rec/s | gf.records rec/s | kept up | event→alert on gf.alerts (read_committed) p50 / p95 / p99 / max "
        + "| event→alert searchable in gf-alerts p50 / p95 / p99 / max "
        + "| cores: job / ES node / Kafka / load gen / GC+JIT / all | heap after GC avg / max, slope |\n"
        + "|---|---|---|--:|--:|--:|:-:|--:|--:|--:|--:|";
  }

  /** One table row per run (step mode: the knee's run, or the last one), ready for the README. */
  public String markdownRow() {
    RunResult r = runs.get(runs.size() - 1);
    if (knee != null && knee.rate() != null) {
      r = runs.stream().filter(x -> x.offeredPerSecond() == knee.rate()).findFirst().orElse(r);
    }
    String ingress =
        r.ingress()
            + (knee != null ? " (step knee)" : "")
            + (r.measuredSeconds() >= 600 ? " (soak)" : "");
    RunResult.Latency l = r.latency();
    String lost =
        l.probesLost() == 0
            ? ""
            : String.format(Locale.ROOT, " (%d of %d probes lost)", l.probesLost(), l.probesSent());
    Map<String, Double> c = r.cpu().coresByPart();
    double all = c.values().stream().mapToDouble(Double::doubleValue).sum();
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %,.0f | %,.0f | %,.0f | %s | %,d / %,d / %,d / %,d ms%s | %,d / %,d / %,d / %,d ms%s | %.2f / %.2f / %.2f / %.2f / %.2f / %.2f | %d / %d MiB, %+.1f MiB/min |",
        date.substring(0, 10),
        machine.shortDescription(),
        ingress,
        r.offeredPerSecond(),
        r.input().acceptedPerSecond(),
        r.output().recordsPerSecond(),
        r.keptUp() ? "yes" : "no",
        l.onKafka().p50(),
        l.onKafka().p95(),
        l.onKafka().p99(),
        l.onKafka().max(),
        l.onKafka().lost() == 0
            ? ""
            : String.format(
                Locale.ROOT, " (%d of %d not seen)", l.onKafka().lost(), l.probesSent()),
        l.p50(),
        l.p95(),
        l.p99(),
        l.max(),
        lost,
        c.getOrDefault(CpuBreakdown.FLINK_JOB, 0.0)
            + c.getOrDefault(CpuBreakdown.ELASTICSEARCH_CLIENT, 0.0),
        c.getOrDefault(CpuBreakdown.ELASTICSEARCH_NODE, 0.0),
        c.getOrDefault(CpuBreakdown.KAFKA_BROKER, 0.0),
        c.getOrDefault(CpuBreakdown.LOAD_GENERATOR, 0.0),
        c.getOrDefault(CpuBreakdown.JVM_GC_AND_JIT, 0.0),
        all,
        r.heap().afterGcAvgMib(),
        r.heap().afterGcMaxMib(),
        r.heap().afterGcSlopeMibPerMinute());
  }

  /**
   * Puts {@code row} into the README's end-to-end table, just above {@link #README_MARKER}.
   *
   * @return false (and nothing written) when the file has no marker
   */
  public static boolean addRowTo(Path readme, String row) throws IOException {
    String text = Files.readString(readme);
    int at = text.indexOf(README_MARKER);
    if (at < 0) return false;
    Files.writeString(readme, text.substring(0, at) + row + "\n" + text.substring(at));
    return true;
  }
}
