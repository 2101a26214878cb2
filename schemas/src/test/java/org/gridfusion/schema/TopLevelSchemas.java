package org.gridfusion.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The schemas the tests guard, found on disk rather than listed by hand, so a schema added to
 * {@code src/main/avro} is covered (and must bring its {@code avro-history} file) without touching
 * the tests. Top-level means a file directly in {@code src/main/avro}; {@code common/} holds shared
 * enums. Paths are relative to the module directory, surefire's working directory.
 */
public final class TopLevelSchemas {
  static final Path SOURCES = Path.of("src/main/avro");
  static final Path HISTORY = Path.of("src/main/resources/avro-history");
  private static final Pattern HISTORY_FILE = Pattern.compile("(\\w+)-v(\\d+)\\.avsc");

  private TopLevelSchemas() {}

  /** Simple names of the top-level schemas, e.g. {@code WorkOrder}. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(SOURCES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".avsc"))
          .map(n -> n.substring(0, n.length() - ".avsc".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema of the class generated for {@code name}: what the build ships today. */
  static Schema current(String name) {
    return SpecificData.get().getSchema(generatedClass(name));
  }

  @SuppressWarnings("unchecked")
  public static Class<? extends SpecificRecordBase> generatedClass(String name) {
    try {
      return (Class<? extends SpecificRecordBase>) Class.forName("org.gridfusion.schema." + name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("no class generated for " + SOURCES.resolve(name + ".avsc"), e);
    }
  }

  /** Released versions of {@code name} found in the history directory, as their version numbers. */
  static List<Integer> releasedVersions(String name) {
    try (Stream<Path> files = Files.list(HISTORY)) {
      return files
          .map(p -> HISTORY_FILE.matcher(p.getFileName().toString()))
          .filter(m -> m.matches() && m.group(1).equals(name))
          .map(m -> Integer.parseInt(m.group(2)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file in the history directory, whatever its name. */
  static List<Path> historyFiles() {
    try (Stream<Path> files = Files.list(HISTORY)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Matcher historyFileName(Path file) {
    return HISTORY_FILE.matcher(file.getFileName().toString());
  }
}
