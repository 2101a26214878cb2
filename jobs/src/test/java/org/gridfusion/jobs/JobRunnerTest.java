package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which retained state a local start resumes from, and which savepoints a stop keeps. */
class JobRunnerTest {
  @TempDir Path state;

  @Test
  void aStartResumesFromTheStopsSavepointWhenItIsNewerThanEveryCheckpoint() throws Exception {
    retained("0123abcd/chk-7", 100);
    retained(JobRunner.SAVEPOINTS + "/savepoint-0123ab-1a2b3c", 200);
    retained(JobRunner.INDEXING_STATE + "/4567ef/chk-9", 300); // the indexing job's own

    assertThat(JobRunner.latestCheckpoint(uri(state)))
        .hasValueSatisfying(cp -> assertThat(cp).contains("/savepoints/savepoint-0123ab-1a2b3c"));

    retained("89abcdef/chk-2", 400); // the job resumed from it and checkpointed since
    assertThat(JobRunner.latestCheckpoint(uri(state)))
        .hasValueSatisfying(cp -> assertThat(cp).contains("/89abcdef/chk-2"));
  }

  @Test
  void aStopKeepsTheTwoNewestSavepoints() throws Exception {
    for (int i = 1; i <= 4; i++) retained(JobRunner.SAVEPOINTS + "/savepoint-" + i, i * 100);

    JobRunner.pruneSavepoints(uri(state.resolve(JobRunner.SAVEPOINTS)), 2);

    try (Stream<Path> left = Files.list(state.resolve(JobRunner.SAVEPOINTS))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("savepoint-3", "savepoint-4");
    }
  }

  @Test
  void aLateResumeFromACheckpointWarnsThatItsTransactionsMayHaveBeenAborted() {
    Duration timeout = Duration.ofMinutes(10);
    String checkpoint = "file:/data/state/0123abcd/chk-7";
    String savepoint = "file:/data/state/" + JobRunner.SAVEPOINTS + "/savepoint-0123ab-1a2b3c";

    assertThat(JobRunner.lateResumeWarning(checkpoint, Duration.ofMinutes(9), timeout)).isEmpty();
    assertThat(JobRunner.lateResumeWarning(savepoint, Duration.ofHours(5), timeout)).isEmpty();
    assertThat(JobRunner.lateResumeWarning(checkpoint, Duration.ofMinutes(23), timeout))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("written 23 min ago")
                    .contains("transaction timeout (10 min)")
                    .contains("kafka-transactions.sh describe"));
  }

  /** A checkpoint or savepoint directory with its metadata and a state file, written at t. */
  private void retained(String dir, long t) throws IOException {
    Path d = Files.createDirectories(state.resolve(dir));
    Files.writeString(d.resolve("state-file"), "state");
    Path metadata = Files.writeString(d.resolve("_metadata"), "metadata");
    Files.setLastModifiedTime(metadata, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + t)));
  }

  private static String uri(Path p) {
    return p.toUri().toString();
  }
}
