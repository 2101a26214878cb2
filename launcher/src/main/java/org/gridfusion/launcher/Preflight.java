package org.gridfusion.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.config.InvalidConfigException;
import org.gridfusion.connectors.jdbc.SqlIdentifier;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * The one configuration check every command runs before it starts anything: each option's own
 * checks, the keys the command needs, and what only a whole file can tell (a rule file that does
 * not parse, a table name that is not a plain identifier). Every problem is reported at once, with
 * the key and its environment variable, so a user fixes them in one go instead of one per start.
 */
final class Preflight {
  private Preflight() {}

  /** The configuration, or an {@link InvalidConfigException} listing every problem. */
  static Config check(Config config, ConfigOption<?>... required) {
    List<ConfigProblem> problems = problems(config, required);
    if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    return config;
  }

  static List<ConfigProblem> problems(Config config, ConfigOption<?>... required) {
    List<ConfigProblem> out = new ArrayList<>();
    try {
      config.validate(required);
    } catch (InvalidConfigException e) {
      out.addAll(e.problems());
    }
    if (out.isEmpty()) out.addAll(deepProblems(config));
    return out;
  }

  /** Checks that need more than one value: run only once every value on its own is fine. */
  private static List<ConfigProblem> deepProblems(Config config) {
    List<ConfigProblem> out = new ArrayList<>();
    String rules = config.get(GridFusionOptions.RULES_FILE);
    if (rules != null) {
      try {
        RuleSet.parse(Files.readString(Path.of(rules)), rules);
      } catch (IOException e) {
        out.add(problem(config, GridFusionOptions.RULES_FILE, "cannot read " + rules + ": " + e));
      } catch (RuleSet.InvalidRuleSet e) {
        out.add(problem(config, GridFusionOptions.RULES_FILE, e.getMessage()));
      }
    }
    if ("rocksdb".equals(config.get(GridFusionOptions.JOB_STATE_BACKEND))
        && config.get(GridFusionOptions.FLINK_TASK_MANAGERS) == 0
        && "local".equals(config.get(GridFusionOptions.JOB_TARGET))
        && !onClasspath("org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend")) {
      // RocksDB's native library would add 50 MB to the launcher; Flink clusters carry it
      out.add(
          problem(
              config,
              GridFusionOptions.JOB_STATE_BACKEND,
              "rocksdb runs on a Flink cluster (flink.taskManagers >= 1, or job.target=host:port);"
                  + " the in-process MiniCluster has the hashmap backend only"));
    }
    if (config.get(GridFusionOptions.REFERENCE_GRID_MAP) != null) {
      try {
        ReferenceFiles.checkLoads(ReferenceFiles.from(config));
      } catch (ConfigException e) {
        String m = e.getMessage();
        String key = m.substring(m.indexOf('\'') + 1, m.indexOf('\'', m.indexOf('\'') + 1));
        GridFusionOptions.find(key)
            .ifPresent(o -> out.add(problem(config, o, m.substring(m.indexOf("): ") + 3))));
      }
    }
    identifier(config, GridFusionOptions.INGEST_JDBC_TABLE, true, out);
    identifier(config, GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, false, out);
    return out;
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, Preflight.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void identifier(
      Config config, ConfigOption<String> option, boolean qualified, List<ConfigProblem> out) {
    String v = config.get(option);
    if (v == null) return;
    try {
      SqlIdentifier.parse(option.key(), v, qualified);
    } catch (ConfigException e) {
      String m = e.getMessage();
      out.add(problem(config, option, m.substring(m.indexOf("): ") + 3)));
    }
  }

  private static ConfigProblem problem(Config config, ConfigOption<?> option, String why) {
    return new ConfigProblem(option.key(), config.isSet(option) ? "configuration" : "default", why);
  }
}
