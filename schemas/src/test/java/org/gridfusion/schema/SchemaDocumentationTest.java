package org.gridfusion.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The schemas are the documentation consumers read (contract §4 points at them): every record, enum
 * and field reachable from a top-level schema carries a {@code doc}.
 */
class SchemaDocumentationTest {

  @Test
  void everyFieldAndNamedTypeIsDocumented() {
    for (String name : TopLevelSchemas.names()) {
      List<String> undocumented = new ArrayList<>();
      collectUndocumented(TopLevelSchemas.current(name), name, undocumented, new HashSet<>());
      assertThat(undocumented).as("%s: elements without a doc", name).isEmpty();
    }
  }

  @Test
  void theCheckFindsAMissingDoc() {
    Schema s =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "Probe", "doc": "documented",
         "fields": [{"name": "a", "type": "int", "doc": "documented"},
                    {"name": "b", "type": {"type": "enum", "name": "E", "symbols": ["X"]}, "doc": "documented"},
                    {"name": "c", "type": "int"}]}""");
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(s, "Probe", undocumented, new HashSet<>());
    assertThat(undocumented).containsExactlyInAnyOrder("Probe.b (enum E)", "Probe.c");
  }

  private static void collectUndocumented(
      Schema s, String path, List<String> out, Set<String> seen) {
    switch (s.getType()) {
      case RECORD:
        if (!seen.add(s.getFullName())) return;
        if (isBlank(s.getDoc())) out.add(path + " (record " + s.getName() + ")");
        for (Schema.Field f : s.getFields()) {
          String fieldPath = path + "." + f.name();
          if (isBlank(f.doc())) out.add(fieldPath);
          collectUndocumented(f.schema(), fieldPath, out, seen);
        }
        return;
      case ENUM:
        if (seen.add(s.getFullName()) && isBlank(s.getDoc()))
          out.add(path + " (enum " + s.getName() + ")");
        return;
      case ARRAY:
        collectUndocumented(s.getElementType(), path + "[]", out, seen);
        return;
      case MAP:
        collectUndocumented(s.getValueType(), path + "{}", out, seen);
        return;
      case UNION:
        for (Schema branch : s.getTypes()) collectUndocumented(branch, path, out, seen);
        return;
      default:
    }
  }

  private static boolean isBlank(String doc) {
    return doc == null || doc.isBlank();
  }
}
