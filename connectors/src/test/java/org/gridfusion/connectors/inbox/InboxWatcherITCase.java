package org.gridfusion.connectors.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedStackExtension.class)
class InboxWatcherITCase {
  private final AvroCodec<DepartmentRecord> codec = AvroCodec.of(DepartmentRecord.class);

  private static String record(String id) {
    return "{\"recordId\":\""
        + id
        + "\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\",\"ts\":\""
        + Instant.now().minusSeconds(60)
        + "\",\"addressCode\":\"150502-001-0042\"}";
  }

  private long count(List<ConsumerRecord<byte[], byte[]>> rs, String prefix) {
    return rs.stream()
        .filter(
            r -> {
              try {
                return codec.decode(r.value()).getRecordId().startsWith(prefix);
              } catch (Exception e) {
                return false;
              }
            })
        .count();
  }

  @Test
  void jsonlAndCsvAreStoredRejectsReportedAndARepeatedFileStoresNothing(
      Endpoints e, @TempDir Path inbox) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    InboxSettings settings = TestInboxSettings.of(e.kafkaBootstrap(), inbox);
    String jsonl =
        record("ib-1")
            + "\n"
            + record("ib-2")
            + "\n{\"recordId\":\"ib-bad\"\n"
            + record("ib-3")
            + "\n";
    String csv =
        "recordId,department,recordType,ts,addressCode,attributes\n"
            + "ib-c1,HOUSING,DANGEROUS_BUILDING,"
            + Instant.now().minusSeconds(60)
            + ",150502-001-0042,\"{\"\"level\"\":\"\"D\"\"}\"\n"
            + "ib-c2,NOT_A_DEPARTMENT,CASE_REPORTED,"
            + Instant.now().minusSeconds(60)
            + ",150502-001-0042,\n";
    try (InboxWatcher watcher = InboxWatcher.start(settings)) {
      Files.writeString(inbox.resolve("police.jsonl"), jsonl);
      Files.writeString(inbox.resolve("housing.csv"), csv);
      var rs =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.RAW_DEPARTMENT,
              r -> count(r, "ib-") >= 4,
              Duration.ofSeconds(30));
      await(
          () ->
              Files.exists(inbox.resolve("done/housing.csv"))
                  && Files.exists(inbox.resolve("done/police.jsonl")));
      assertThat(Files.readString(inbox.resolve("done/police.jsonl.rejected.jsonl")))
          .contains("\"line\":3")
          .contains("MALFORMED");
      assertThat(Files.readString(inbox.resolve("done/housing.csv.rejected.jsonl")))
          .contains("UNKNOWN_DEPARTMENT");

      // the same content dropped again under another name: moved to done/, nothing sent
      Files.writeString(inbox.resolve("police-again.jsonl"), jsonl);
      await(() -> Files.exists(inbox.resolve("done/police-again.jsonl")));
      assertThat(watcher.metrics().prometheusText())
          .contains("gridfusion_inbox_files_repeated_total 1");
      var after =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.RAW_DEPARTMENT,
              r -> count(r, "ib-") >= 4,
              Duration.ofSeconds(10));
      assertThat(count(after, "ib-")).isEqualTo(4);
    }
  }

  @Test
  void aFileInterruptedMidwayResumesAfterTheLastCommittedLine(Endpoints e, @TempDir Path inbox)
      throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    StringBuilder content = new StringBuilder();
    for (int i = 1; i <= 6; i++) content.append(record("resume-" + i)).append('\n');
    Path file = inbox.resolve("resume.jsonl");
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
    // What a watcher killed after committing its first batch of 4 lines leaves behind
    String sha =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    Path progress = Files.createDirectories(inbox.resolve(".gridfusion/progress"));
    Files.writeString(progress.resolve(sha + ".pos"), "4 0\n");

    try (InboxWatcher watcher =
        InboxWatcher.start(TestInboxSettings.of(e.kafkaBootstrap(), inbox))) {
      await(() -> Files.exists(inbox.resolve("done/resume.jsonl")));
      var rs =
          KafkaProbe.readUntil(
              e.kafkaBootstrap(),
              Topics.RAW_DEPARTMENT,
              r -> count(r, "resume-") >= 2,
              Duration.ofSeconds(30));
      assertThat(count(rs, "resume-")).isEqualTo(2);
      assertThat(count(rs, "resume-5") + count(rs, "resume-6")).isEqualTo(2);
      assertThat(progress.resolve(sha + ".pos")).doesNotExist();
    }
  }

  private static void await(BooleanSupplier condition) {
    Await.until("condition", condition, Duration.ofSeconds(30));
  }
}
