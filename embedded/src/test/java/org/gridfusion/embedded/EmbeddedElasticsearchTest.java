package org.gridfusion.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedElasticsearchTest {

  @Test
  void missingDistributionTellsHowToFetchIt(@TempDir Path dir) {
    EmbeddedElasticsearch.Options o =
        new EmbeddedElasticsearch.Options(dir, 0, "256m", null, dir.resolve("nope.zip"));
    assertThatThrownBy(() -> EmbeddedElasticsearch.start(o))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nope.zip")
        .hasMessageContaining("mvn -DskipTests package");
  }

  @Test
  void optionsFillDefaultsAndRejectAMalformedHeap(@TempDir Path dir) {
    EmbeddedElasticsearch.Options o = new EmbeddedElasticsearch.Options(dir, 0, null, " ", null);
    assertThat(o.heap()).isEqualTo("512m");
    assertThat(o.runAsUser()).isEqualTo("gridfusion");
    assertThatThrownBy(() -> new EmbeddedElasticsearch.Options(dir, 0, "-Xmx1g", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("512m");
  }

  @Test
  void defaultDistributionIsTheMavenCachedZip() {
    assertThat(EmbeddedElasticsearch.defaultDistributionZip().toString())
        .endsWith(
            "org/elasticsearch/distribution/integ-test-zip/elasticsearch/8.19.21/elasticsearch-8.19.21.zip");
  }

  @Test
  void tailKeepsTheLastLines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(
        log,
        IntStream.rangeClosed(1, 50).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));
    String tail = EmbeddedElasticsearch.tail(log, 40);
    assertThat(tail.lines()).hasSize(40).startsWith("line 11").endsWith("line 50");
    assertThat(EmbeddedElasticsearch.tail(dir.resolve("absent.log"), 40)).contains("no absent.log");
  }

  @Test
  void aNodeThatMustRunAsAnotherUserMovesOutOfADirectoryClosedToOthers() throws Exception {
    Path locked = Path.of("target", "locked-" + UUID.randomUUID()).toAbsolutePath();
    Files.createDirectories(locked);
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    Path dataDir = locked.resolve("stack");
    assertThat(EmbeddedElasticsearch.instanceDirFor(dataDir, false))
        .isEqualTo(dataDir.resolve("elasticsearch"));
    Path moved = EmbeddedElasticsearch.instanceDirFor(dataDir, true);
    assertThat(moved)
        .startsWithRaw(Path.of(System.getProperty("java.io.tmpdir")))
        .isNotEqualTo(dataDir.resolve("elasticsearch"));
    assertThat(EmbeddedElasticsearch.instanceDirFor(dataDir, true))
        .isEqualTo(moved); // the same stack keeps its node
    Path open = Path.of(System.getProperty("java.io.tmpdir"), "open-" + UUID.randomUUID());
    assertThat(EmbeddedElasticsearch.instanceDirFor(open, true))
        .isEqualTo(open.resolve("elasticsearch"));
  }
}
