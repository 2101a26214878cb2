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

/**
 * One benchmark invocation as written to {@code bench/results/e2e-<ingress>-<yyyyMMdd-HHmmss>.json}:
 * the machine, the configuration, the runs (one, or one per step) and, in step mode, the knee.
 *
 * @param config the bench options and the pipeline settings that shape latency (checkpoint interval,
 *     sink flush intervals, refresh interval)
 * @param notes what a reader needs to judge the figures (contention, what the latency includes)
 */
public record BenchReport(String benchmark, String date, Machine machine, Map<String, Object> config, List<RunResult> runs,
    EndToEndBench.Knee knee, List<String> notes) {

  private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public static BenchReport of(Instant date, Map<String, Object> config, List<RunResult> runs, EndToEndBench.Knee knee,
      List<String> notes) {
    return new BenchReport("gridfusion bench (end to end)", date.toString(), Machine.current(), config, runs, knee, notes);
  }

  /** Writes the report into {@code dir} and returns the file. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String ingress = runs.isEmpty() ? "none" : runs.get(0).ingress();
    String name = "e2e-" + ingress + (knee != null ? "-step" : "") + "-" + FILE_TIME.format(Instant.parse(date)) + ".json";
    Path file = dir.resolve(name);
    Files.writeString(file, Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n");
    return file;
  }

  public static String markdownHeader() {
    return "| date | machine | ingress | offered rec/s | accepted rec/s | gf.records rec/s | event→alert p50 / p95 / p99 | "
        + "CPU process / system | heap after GC avg / max |\n"
        + "|---|---|---|--:|--:|--:|--:|--:|--:|";
  }

  /** One table row per run (step mode: the knee's run, or the last one), ready for the README. */
  public String markdownRow() {
    RunResult r = runs.get(runs.size() - 1);
    if (knee != null && knee.rate() != null) {
      r = runs.stream().filter(x -> x.offeredPerSecond() == knee.rate()).findFirst().orElse(r);
    }
    String ingress = r.ingress() + (knee != null ? " (step knee)" : "");
    RunResult.Latency l = r.latency();
    String lost = l.probesLost() == 0 ? "" : String.format(Locale.ROOT, " (%d of %d probes lost)", l.probesLost(), l.probesSent());
    return String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %,.0f | %,d / %,d / %,d ms%s | %.0f%% / %.0f%% | %d / %d MiB |",
        date.substring(0, 10), machine.shortDescription(), ingress, r.offeredPerSecond(), r.input().acceptedPerSecond(),
        r.output().recordsPerSecond(), l.p50(), l.p95(), l.p99(), lost, r.cpu().processAvgPercent(), r.cpu().systemAvgPercent(),
        r.heap().afterGcAvgMib(), r.heap().afterGcMaxMib());
  }
}
