package org.gridfusion.launcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged at INFO and above by anyone (GridFusion, Flink, Kafka, the Elasticsearch
 * client), as the production configuration writes it to {@code gridfusion.log}, kept in memory for
 * a test to read. The console keeps its own, quieter level.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private Level rootLevelBefore;

  private LogCapture() {
    super(
        "capture",
        null,
        PatternLayout.newBuilder().withPattern("%-5level %c - %msg%n%throwable").build(),
        true,
        Property.EMPTY_ARRAY);
  }

  static LogCapture capture() {
    LogCapture c = new LogCapture();
    c.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration cfg = ctx.getConfiguration();
    LoggerConfig root = cfg.getRootLogger();
    c.rootLevelBefore = root.getLevel();
    Appender console = cfg.getAppender("console");
    if (console != null) {
      root.removeAppender("console");
      root.addAppender(console, c.rootLevelBefore, null);
    }
    root.addAppender(c, Level.INFO, null);
    root.setLevel(Level.INFO);
    for (LoggerConfig l : cfg.getLoggers().values()) {
      if (l != root) l.addAppender(c, Level.INFO, null);
    }
    ctx.updateLoggers();
    return c;
  }

  @Override
  public void append(LogEvent event) {
    String line = new String(getLayout().toByteArray(event), StandardCharsets.UTF_8);
    synchronized (lines) {
      lines.add(line);
    }
  }

  /** Everything captured so far. */
  String text() {
    synchronized (lines) {
      return String.join("", lines);
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration cfg = ctx.getConfiguration();
    for (LoggerConfig l : cfg.getLoggers().values()) l.removeAppender(getName());
    cfg.getRootLogger().removeAppender(getName());
    cfg.getRootLogger().setLevel(rootLevelBefore);
    ctx.updateLoggers();
    stop();
  }
}
