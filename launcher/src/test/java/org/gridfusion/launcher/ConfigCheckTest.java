package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code config check} and the check every command runs first: bad keys are all reported at once,
 * with their environment variable, before anything is started.
 */
class ConfigCheckTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = GridFusion.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    var stdout = System.out;
    var captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true));
    try {
      int code = cli.execute(args);
      return new Run(code, captured.toString(), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void checkPrintsTheEffectiveConfigurationAndEveryProblem() throws Exception {
    Path file = dir.resolve("gridfusion.yaml");
    Files.writeString(
        file,
        """
        kafka: { bootstrap: "kafka-1:9092" }
        ingest: { http: { port: 99999, tokens: [ "too-short" ] } }
        privacy: { hmacSecret: "also-short" }
        job: { parallelism: 0 }
        elasticsearch: { urll: "http://es:9200" }
        """);
    Run r = run("config", "check", "--config", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out())
        .contains("kafka.bootstrap")
        .contains("kafka-1:9092  (gridfusion.yaml)")
        .contains("time.zone")
        .contains("Asia/Shanghai  (default)")
        .contains("5 problems:")
        .contains(
            "ingest.http.port (env GF_INGEST_HTTP_PORT, from gridfusion.yaml): must be 0..65535")
        .contains("ingest.http.tokens (env GF_INGEST_HTTP_TOKENS")
        .contains("privacy.hmacSecret (env GF_PRIVACY_HMACSECRET")
        .contains("job.parallelism (env GF_JOB_PARALLELISM")
        .contains("elasticsearch.urll")
        .doesNotContain("too-short")
        .doesNotContain("also-short");
  }

  @Test
  void aGoodConfigurationPasses() throws Exception {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, "kafka: { bootstrap: \"kafka-1:9092,kafka-2:9092\" }\n");
    Run r = run("config", "check", "--config", file.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("No problems found.");
  }

  @Test
  void upRefusesBadKeysBeforeStartingAnything() {
    Path data = dir.resolve("data");
    Run r =
        run(
            "up",
            "--data-dir",
            data.toString(),
            "--set",
            "ingest.http.tokens=short",
            "--set",
            "privacy.hmacSecret=tiny",
            "--set",
            "embedded.kafka.port=-1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("3 problems")
        .contains("ingest.http.tokens")
        .contains("privacy.hmacSecret")
        .contains("embedded.kafka.port");
    // nothing was started: no broker, node or job wrote its data directory
    assertThat(data).doesNotExist();
    assertThat(r.out()).doesNotContain("Starting GridFusion");
  }

  @Test
  void connectorsNameTheKeysTheyNeed() {
    Run r = run("bridge");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mqtt.url").contains("kafka.bootstrap").contains("is required");
  }

  @Test
  void referenceDataThatDoesNotParseIsRefusedBeforeStartingAnything() throws Exception {
    Path grids = dir.resolve("grids.geojson");
    Files.writeString(grids, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":");
    Run r = run("config", "check", "--set", "reference.gridMap=" + grids);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out())
        .contains("reference.gridMap (env GF_REFERENCE_GRIDMAP")
        .contains("does not load");
  }
}
