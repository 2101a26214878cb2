package org.gridfusion.connectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one of the tests' connector mains in a JVM of its own, with this JVM's {@code java} and
 * class path and a small serial-GC heap (256 MB), so that a test can kill it with SIGKILL or see
 * whether it lives within that heap. What the child prints is copied to a log file on a daemon
 * thread; each line is first handed to the test, which takes what it follows from it (a count the
 * child tells often, see {@link ChildReports}, is kept out of the log).
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** What a test makes of one line the child printed. */
  @FunctionalInterface
  public interface Lines {
    /**
     * @return true to keep the line out of the log (a count told again and again)
     */
    boolean take(String line);
  }

  /**
   * Starts {@code main} with {@code args}; its output goes to {@code lines}, then to {@code log}.
   */
  public static Process start(Class<?> main, List<String> args, Path log, Lines lines)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(args);
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread copier = new Thread(() -> copy(process, log, lines), "output-" + log.getFileName());
    copier.setDaemon(true);
    copier.start();
    return process;
  }

  private static void copy(Process process, Path log, Lines lines) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (lines.take(line)) continue;
        out.write(line);
        out.write('\n');
        out.flush();
      }
    } catch (IOException | NumberFormatException e) {
      // The child was killed mid-line or the log is gone; nothing more to read.
    }
  }
}
