package org.gridfusion.launcher;

import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.Durations;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/gridfusion <command>}: the one launcher of contract §7. Each command is a small class;
 * this one only sets up logging and dispatches.
 */
@Command(
    name = "gridfusion",
    mixinStandardHelpOptions = true,
    versionProvider = GridFusion.Version.class,
    description =
        "Real-time data fusion per grid: cameras, sensors and department records into alerts.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      SetupCommand.class,
      JobsCommand.class,
      BridgeCommand.class,
      IngestHttpCommand.class,
      IngestMqttCommand.class,
      IngestFilesCommand.class,
      IngestJdbcCommand.class,
      RulesCommand.class,
      ReferenceCommand.class,
      SimulateCommand.class,
      EvaluateCommand.class,
      BenchCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GridFusion implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure(args);
    int code = commandLine().execute(args);
    Logging.shutdown();
    System.exit(code);
  }

  /** The command line with GridFusion's converters and error handling (exit codes: 2 = usage). */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new GridFusion());
    // 90s, 5m, 2h as in configuration files, not only ISO-8601 PT90S
    cli.registerConverter(Duration.class, Durations::parse);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            cmd.getErr().println("gridfusion: " + e.getMessage());
            return 2;
          }
          cmd.getErr().println("gridfusion: " + e);
          LoggerFactory.getLogger(GridFusion.class).error("Command failed", e);
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The path of the shaded jar this runs from, to ship to a remote Flink cluster; null in an IDE.
   */
  static String ownJar() {
    try {
      Path p =
          Path.of(GridFusion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.toString() : null;
    } catch (Exception e) {
      return null;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GridFusion.class.getPackage().getImplementationVersion();
      return new String[] {
        "GridFusion "
            + (v == null ? "development build" : v)
            + " (Flink 2.2, Kafka 4.2, Elasticsearch 8.19)"
      };
    }
  }
}
