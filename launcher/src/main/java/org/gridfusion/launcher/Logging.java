package org.gridfusion.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Sends the full log to {@code <data dir>/logs/gridfusion.log} and only GridFusion's own progress
 * (plus anyone's errors) to the console. The log directory has to be known before the first logger
 * exists, so it is read from the arguments and environment here, ahead of picocli.
 */
final class Logging {
  private Logging() {}

  static void configure(String[] args) {
    Path logs = Path.of(dataDir(args, System.getenv()), "logs").toAbsolutePath();
    try {
      Files.createDirectories(logs);
    } catch (Exception e) {
      logs = Path.of(System.getProperty("java.io.tmpdir"), "gridfusion-logs");
    }
    System.setProperty("gridfusion.logDir", logs.toString());
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    // Flink passes a throwable after its placeholders; log4j 2.24 reports each such call on stderr
    // otherwise.
    System.setProperty("log4j2.statusLoggerLevel", "OFF");
  }

  /**
   * The data directory as the configuration will have it: {@code --data-dir} or {@code --set
   * data.dir=...} (the later wins, as in {@link ConfigOptions}), else {@code GF_DATA_DIR}. (The
   * configuration file's {@code data.dir} is not read here: the log starts in the default.)
   */
  static String dataDir(String[] args, Map<String, String> env) {
    String dataDir = env.getOrDefault("GF_DATA_DIR", "gridfusion-data");
    String fromSet = null;
    String fromFlag = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String next = i + 1 < args.length ? args[i + 1] : null;
      if (a.equals("--data-dir") && next != null) fromFlag = next;
      else if (a.startsWith("--data-dir=")) fromFlag = a.substring("--data-dir=".length());
      else if (a.equals("--set") && next != null && next.startsWith("data.dir="))
        fromSet = next.substring("data.dir=".length());
      else if (a.startsWith("--set=data.dir=")) fromSet = a.substring("--set=data.dir=".length());
    }
    if (fromFlag != null) dataDir = fromFlag;
    if (fromSet != null) dataDir = fromSet;
    return dataDir;
  }

  /** Quiets the console (the demo's live view owns the terminal); the log file keeps everything. */
  static void quietConsole() {
    System.setProperty("gridfusion.consoleLevel", "WARN");
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.reconfigure();
  }

  static Path logFile() {
    return Path.of(
        System.getProperty("gridfusion.logDir", "gridfusion-data/logs"), "gridfusion.log");
  }

  static void shutdown() {
    LogManager.shutdown();
  }
}
