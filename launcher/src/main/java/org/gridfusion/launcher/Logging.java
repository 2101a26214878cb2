package org.gridfusion.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
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
    String dataDir = System.getenv().getOrDefault("GF_DATA_DIR", "gridfusion-data");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) dataDir = args[i + 1];
      else if (args[i].startsWith("--data-dir="))
        dataDir = args[i].substring("--data-dir=".length());
    }
    Path logs = Path.of(dataDir, "logs").toAbsolutePath();
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
