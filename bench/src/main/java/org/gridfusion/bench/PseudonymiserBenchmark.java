package org.gridfusion.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridfusion.common.privacy.Pseudonymiser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of making a department record safe: the keyed hash of an ID-card number ({@link
 * Pseudonymiser#subjectRef}, one HMAC-SHA256) and the attribute pass ({@link
 * Pseudonymiser#attributes}) over a typical map with a name, a phone and a free-text note that
 * carries an ID-card number (masking plus two regex scans and one HMAC).
 *
 * <p>Four warm-up iterations instead of the module's usual two: the attribute pass (regex-heavy)
 * was measured to need about 6 s before C2 settles (25k, 110k, then ~230k ops/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 3, time = 3)
public class PseudonymiserBenchmark {
  private Pseudonymiser pseudonymiser;
  private Map<String, String> attributes;

  @Setup(Level.Trial)
  public void setUp() {
    pseudonymiser = new Pseudonymiser("bench-secret-0123456789");
    attributes = new LinkedHashMap<>();
    attributes.put("name", "Wang Xiaoming");
    attributes.put("phone", "13812345678");
    attributes.put("doorSensorId", "DOOR-0042");
    attributes.put(
        "note", "visited by grid worker; resident 110101194001011234 asked for a follow-up call");
  }

  @Benchmark
  public String subjectRef() {
    return pseudonymiser.subjectRef("110101194001011234");
  }

  @Benchmark
  public Map<String, String> attributes() {
    return pseudonymiser.attributes(attributes);
  }
}
