package org.gridfusion.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.gridfusion.schema.codec.AvroCodec.SchemaHistory;
import org.junit.jupiter.api.Test;

/**
 * The released schemas under {@code avro-history/} are the frozen record consumers rely on: each
 * file must stand alone (a consumer in another language parses it without our {@code common/}
 * enums), be the schema its name says, and the versions of a schema must run 1..N without gaps,
 * because {@link SchemaHistory} stops at the first missing version.
 */
class SchemaHistoryTest {

  @Test
  void everyTopLevelSchemaWasReleased() {
    assertThat(TopLevelSchemas.names())
        .containsExactlyInAnyOrder(
            "Alert",
            "CameraEvent",
            "DepartmentRecord",
            "Record",
            "RiskScore",
            "SensorReading",
            "WorkOrder",
            "WorkOrderCommand")
        .allSatisfy(
            name ->
                assertThat(TopLevelSchemas.releasedVersions(name))
                    .as("avro-history/%s-v<N>.avsc", name)
                    .isNotEmpty()
                    .isEqualTo(
                        IntStream.rangeClosed(1, TopLevelSchemas.releasedVersions(name).size())
                            .boxed()
                            .toList()));
  }

  @Test
  void theCodecSeesEveryReleasedVersionOnTheClasspath() {
    for (String name : TopLevelSchemas.names()) {
      List<Schema> released = SchemaHistory.released(name);
      assertThat(released).as(name).hasSameSizeAs(TopLevelSchemas.releasedVersions(name));
      assertThat(released).as(name).allSatisfy(s -> assertThat(s.getName()).isEqualTo(name));
    }
  }

  @Test
  void everyHistoryFileParsesOnItsOwnAsTheSchemaItIsNamedAfter() throws Exception {
    List<Path> files = TopLevelSchemas.historyFiles();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Matcher m = TopLevelSchemas.historyFileName(file);
      assertThat(m.matches()).as("%s is named <Name>-v<N>.avsc", file).isTrue();
      Schema s =
          new Schema.Parser()
              .parse(file.toFile()); // a fresh parser: no named type known in advance
      assertThat(s.getFullName())
          .as(file.toString())
          .isEqualTo("org.gridfusion.schema." + m.group(1));
      assertThat(TopLevelSchemas.names())
          .as("%s is the history of a current schema", file)
          .contains(m.group(1));
      assertThat(Files.readString(file))
          .as("%s is language-neutral, not the Java-generated form", file)
          .doesNotContain("avro.java.string");
    }
  }
}
