package org.gridfusion.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.gridfusion.testkit.Await;

/**
 * {@code gridfusion up} as an operator runs it: its own JVM (this JVM's java, class path and {@code
 * --add-opens}), in a process group of its own ({@code setsid}) with the Elasticsearch node it
 * starts as a child, so that {@link #killGroup()} is the {@code kill -9 -PGID} an operator or a
 * crashing host would do. Its console goes to a file; the contract's {@code endpoint <name> <url>}
 * lines are read from it.
 */
final class UpProcess implements AutoCloseable {
  /** Where the started {@code up} listens, from its endpoint lines. */
  record Endpoints(String kafka, String mqtt, String httpIngest, String elasticsearch) {}

  private final Process process;
  private final Path console;
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();
  private volatile boolean ready;

  private UpProcess(Process process, Path console) {
    this.process = process;
    this.console = console;
  }

  /**
   * Starts {@code up --data-dir dataDir --set k=v...}; returns at once ({@link #awaitReady}).
   *
   * @param heap the JVM's -Xmx
   */
  static UpProcess start(Path dataDir, Map<String, String> settings, String heap, Path console)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    // as bin/gridfusion: the JDK internals Flink needs on Java 17
    for (String pkg :
        List.of(
            "java.util",
            "java.lang",
            "java.lang.reflect",
            "java.io",
            "java.net",
            "java.nio",
            "sun.nio.ch",
            "java.util.concurrent",
            "java.time")) {
      command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    // up's own logging (to <data dir>/logs), not the tests' configuration on the class path
    command.add("-Dlog4j.configurationFile=log4j2.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GridFusion.class.getName());
    command.add("up");
    command.add("--data-dir");
    command.add(dataDir.toString());
    settings.forEach(
        (k, v) -> {
          command.add("--set");
          command.add(k + "=" + v);
        });
    Files.createDirectories(console.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    UpProcess up = new UpProcess(p, console);
    Thread reader = new Thread(up::copyConsole, "up-console-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    return up;
  }

  private void copyConsole() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(
                console,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (line.startsWith("endpoint ")) {
          String[] parts = line.split(" ", 4);
          if (parts.length >= 3) endpoints.put(parts[1], parts[2]);
        } else if (line.equals("ready")) {
          ready = true;
        }
      }
    } catch (IOException e) {
      // the process was killed mid-line
    }
  }

  /** Waits for {@code ready}; fails with the console's tail if {@code up} exits first. */
  Endpoints awaitReady(Duration within) {
    Await.until("up ready or gone", () -> ready || !process.isAlive(), within, this::tail);
    if (!ready) throw new AssertionError("up exited before it was ready:\n" + tail());
    String http = endpoints.get("http-ingest");
    return new Endpoints(
        endpoints.get("kafka"),
        endpoints.get("mqtt"),
        http.substring(0, http.indexOf("/v1/")),
        endpoints.get("elasticsearch"));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The Elasticsearch node's own JVM among {@code up}'s descendants. */
  Optional<ProcessHandle> elasticsearchNode() {
    return process
        .descendants()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .filter(c -> c.contains("org.elasticsearch.bootstrap.Elasticsearch"))
                    .isPresent())
        .findFirst();
  }

  /**
   * SIGKILL to the whole process group ({@code up}'s JVM and the Elasticsearch node); returns once
   * all of them are gone.
   */
  void killGroup() throws IOException, InterruptedException {
    List<ProcessHandle> members = new ArrayList<>(process.descendants().toList());
    members.add(process.toHandle());
    Process kill = new ProcessBuilder("kill", "-9", "--", "-" + process.pid()).start();
    if (kill.waitFor() != 0) throw new IllegalStateException("kill -9 -" + process.pid());
    for (ProcessHandle h : members) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  /** Signals one process (STOP, CONT, KILL). */
  static void signal(ProcessHandle h, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(h.pid())).start();
    if (kill.waitFor() != 0) throw new IllegalStateException("kill -" + signal + " " + h.pid());
  }

  String tail() {
    try {
      List<String> lines = Files.exists(console) ? Files.readAllLines(console) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(console unreadable: " + e + ")";
    }
  }

  /** The whole console so far. */
  String console() {
    try {
      return Files.exists(console) ? Files.readString(console) : "";
    } catch (IOException e) {
      return "(console unreadable: " + e + ")";
    }
  }

  /** Stops {@code up} as Ctrl-C does; false if it still runs after {@code within}. */
  boolean stop(Duration within) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops {@code up} as Ctrl-C does, then kills the group if it does not stop in time. */
  @Override
  public void close() throws Exception {
    if (!process.isAlive()) return;
    if (!stop(Duration.ofSeconds(60))) killGroup();
  }
}
