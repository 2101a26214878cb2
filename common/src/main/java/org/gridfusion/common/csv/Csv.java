package org.gridfusion.common.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 line splitting (quoted fields, doubled quotes). Reference files and inbox CSVs are read
 * a line at a time so large files stream; quoted fields holding a line break are not supported and
 * are reported by the caller as malformed lines.
 */
public final class Csv {
  private Csv() {}

  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    out.add(cur.toString());
    return out;
  }

  /** Quotes a field when needed, for writing CSV. */
  public static String quote(String field) {
    if (field == null) return "";
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) return field;
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
