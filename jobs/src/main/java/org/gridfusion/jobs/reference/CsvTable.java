package org.gridfusion.jobs.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridfusion.common.csv.Csv;

/**
 * Reads a reference CSV with a required header; a bad line stops the load with its file and line.
 */
final class CsvTable {
  interface RowHandler {
    void accept(Map<String, String> row, int line);
  }

  private CsvTable() {}

  static void read(Path file, List<String> required, RowHandler handler) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      read(in, file.toString(), required, handler);
    }
  }

  /** As {@link #read(Path, List, RowHandler)}, from text that {@code file} names in messages. */
  static void read(BufferedReader in, String file, List<String> required, RowHandler handler)
      throws IOException {
    String header = in.readLine();
    if (header == null)
      throw new IllegalArgumentException(file + ": empty file, expected header " + required);
    List<String> columns = Csv.split(header.replace("\uFEFF", "").trim());
    for (String r : required) {
      if (!columns.contains(r)) {
        throw new IllegalArgumentException(
            file + ": header must have " + String.join(",", required) + ", got " + header);
      }
    }
    String s;
    int line = 1;
    while ((s = in.readLine()) != null) {
      line++;
      if (s.isBlank()) continue;
      List<String> values = Csv.split(s);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < columns.size() && i < values.size(); i++)
        row.put(columns.get(i), values.get(i).trim());
      handler.accept(row, line);
    }
  }

  static double coordinate(Map<String, String> row, String column, Object file, int line) {
    try {
      return Double.parseDouble(row.get(column));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          file + " line " + line + ": " + column + " '" + row.get(column) + "' is not a number");
    }
  }
}
