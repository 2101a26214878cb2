package org.gridfusion.launcher.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridfusion.embedded.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Flink session cluster of separate JVM processes, as Flink's own scripts start one:
 * one JobManager ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code
 * TaskManagerRunner}) on the classpath of {@code flink-lib} (Flink's jars only; GridFusion comes
 * with the job jar), with the memory settings Flink's {@code BashJavaUtils} derives from the
 * configuration, Flink's Java 17 module flags, a configuration directory and a log file per process
 * under {@code <data dir>/flink}. Everything binds the configured address (127.0.0.1 by default);
 * the JobManager's RPC and REST ports are fixed at start so a restarted JobManager is found again
 * by the TaskManagers.
 */
public final class FlinkCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);

  /** Flink's {@code env.java.opts.all} default (flink-dist config.yaml): Java 17 module access. */
  static final List<String> JAVA_17_OPTS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";

  /** What the cluster is made of. */
  public record Spec(
      Path dir,
      Path lib,
      String bind,
      int taskManagers,
      int slots,
      int parallelism,
      String jobManagerMemory,
      String taskManagerMemory,
      String stateBackend) {}

  /**
   * One process of the cluster, by its contract name ({@code jobmanager}, {@code taskmanager-1}).
   */
  public record Member(String name, Process process) {
    public long pid() {
      return process.pid();
    }
  }

  private final Spec spec;
  private final Path conf;
  private final Path logs;
  private final int restPort;
  private final FlinkRest rest;
  private final List<String> jobManagerJvm;
  private final List<String> taskManagerJvm;
  private final List<String> taskManagerArgs;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private int taskManagersStarted;

  private FlinkCluster(
      Spec spec, int restPort, List<String> jm, List<String> tm, List<String> tmArgs) {
    this.spec = spec;
    this.conf = spec.dir().resolve("conf");
    this.logs = spec.dir().resolve("log");
    this.restPort = restPort;
    this.rest = new FlinkRest("http://" + spec.bind() + ":" + restPort);
    this.jobManagerJvm = jm;
    this.taskManagerJvm = tm;
    this.taskManagerArgs = tmArgs;
  }

  /**
   * Writes the configuration, starts the JobManager and the TaskManagers and returns once every
   * TaskManager has registered.
   */
  public static FlinkCluster start(Spec spec, Duration timeout) throws Exception {
    Path conf = spec.dir().resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(spec.dir().resolve("log"));
    Files.createDirectories(spec.dir().resolve("tmp"));
    Files.createDirectories(spec.dir().resolve("upload"));
    int[] ports = FreePorts.find(2);
    Files.writeString(conf.resolve("config.yaml"), configYaml(spec, ports[0], ports[1]));
    Files.writeString(conf.resolve("log4j.properties"), LOG4J);
    List<String> jm = resourceParams(spec, "GET_JM_RESOURCE_PARAMS");
    List<String> tm = resourceParams(spec, "GET_TM_RESOURCE_PARAMS");
    // JVM parameters on the first line, dynamic configuration (-D key=value) on the second
    FlinkCluster cluster =
        new FlinkCluster(
            spec,
            ports[1],
            split(jm.get(0)),
            split(tm.get(0)),
            tm.size() > 1 ? split(tm.get(1)) : List.of());
    try {
      cluster.startJobManager();
      cluster.awaitRest(timeout);
      for (int i = 0; i < spec.taskManagers(); i++) cluster.startTaskManager();
      cluster.awaitTaskManagers(spec.taskManagers(), timeout);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  static String configYaml(Spec spec, int rpcPort, int restPort) {
    Path dir = spec.dir().toAbsolutePath();
    boolean rocks = "rocksdb".equals(spec.stateBackend());
    return String.join(
            "\n",
            "# Written by gridfusion up (cluster mode); rewritten at every start.",
            "jobmanager.rpc.address: " + spec.bind(),
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: " + spec.bind(),
            "jobmanager.memory.process.size: " + spec.jobManagerMemory(),
            "taskmanager.host: " + spec.bind(),
            "taskmanager.bind-host: " + spec.bind(),
            "taskmanager.memory.process.size: " + spec.taskManagerMemory(),
            // managed memory is RocksDB's; the heap backend keeps state on the task heap instead
            "taskmanager.memory.managed.fraction: " + (rocks ? "0.4" : "0.05"),
            "taskmanager.numberOfTaskSlots: " + spec.slots(),
            "parallelism.default: " + spec.parallelism(),
            // slots taken evenly from every TaskManager, so each carries part of the job
            "taskmanager.load-balance.mode: SLOTS",
            "rest.address: " + spec.bind(),
            "rest.bind-address: " + spec.bind(),
            "rest.port: " + restPort,
            "blob.server.port: 0",
            // a killed process is noticed in seconds, not the default 50 s
            "heartbeat.interval: 2 s",
            "heartbeat.timeout: 12 s",
            "io.tmp.dirs: " + dir.resolve("tmp"),
            "web.upload.dir: " + dir.resolve("upload"),
            "env.java.opts.all: " + String.join(" ", JAVA_17_OPTS),
            "")
        + "\n";
  }

  /** What Flink's scripts ask {@code BashJavaUtils}: the memory flags of a process. */
  private static List<String> resourceParams(Spec spec, String command) throws Exception {
    Path out = spec.dir().resolve("log").resolve(command.toLowerCase() + ".out");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-cp");
    cmd.add(spec.lib().toAbsolutePath() + "/*");
    cmd.add(BASH_JAVA_UTILS);
    cmd.add(command);
    cmd.add("--configDir");
    cmd.add(spec.dir().resolve("conf").toAbsolutePath().toString());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "BashJavaUtils " + command + " failed; see " + out + ":\n" + Files.readString(out));
    }
    String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
    List<String> results = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith(prefix)) results.add(line.substring(prefix.length()).trim());
    }
    if (results.isEmpty()) {
      throw new IllegalStateException("BashJavaUtils " + command + " printed nothing; see " + out);
    }
    return results;
  }

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.trim().split("\\s+")) if (!part.isEmpty()) out.add(part);
    return out;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Member launch(String name, List<String> jvm, String main, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvm);
    cmd.addAll(JAVA_17_OPTS);
    cmd.add("-Dlog.file=" + logs.resolve(name + ".log").toAbsolutePath());
    cmd.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties").toAbsolutePath());
    cmd.add("-cp");
    cmd.add(spec.lib().toAbsolutePath() + "/*");
    cmd.add(main);
    cmd.add("--configDir");
    cmd.add(conf.toAbsolutePath().toString());
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd)
            .directory(spec.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".out").toFile()))
            .start();
    Member m = new Member(name, p);
    synchronized (members) {
      members.put(name, m);
    }
    LOG.info("Started Flink {} (pid {})", name, p.pid());
    return m;
  }

  /** Starts (or starts again) the JobManager. */
  public Member startJobManager() throws IOException {
    return launch(
        "jobmanager", jobManagerJvm, JOB_MANAGER_MAIN, List.of("--executionMode", "cluster"));
  }

  /** Starts the next TaskManager ({@code taskmanager-<i>}, i counting every one ever started). */
  public Member startTaskManager() throws IOException {
    return launch(
        "taskmanager-" + (++taskManagersStarted),
        taskManagerJvm,
        TASK_MANAGER_MAIN,
        taskManagerArgs);
  }

  public void awaitRest(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!rest.reachable()) {
      Member jm = members.get("jobmanager");
      if (jm != null && !jm.process().isAlive()) {
        throw new IllegalStateException(
            "the Flink JobManager exited; see " + logs.resolve("jobmanager.log"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Flink REST " + rest.url() + " not up after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }

  public void awaitTaskManagers(int n, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (rest.taskManagers() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            n + " TaskManagers not registered after " + timeout.toSeconds() + " s; see " + logs);
      }
      Thread.sleep(250);
    }
  }

  public FlinkRest rest() {
    return rest;
  }

  public String restUrl() {
    return rest.url();
  }

  public Path dir() {
    return spec.dir();
  }

  public Spec spec() {
    return spec;
  }

  /** The processes as they are now, JobManager first. */
  public List<Member> members() {
    synchronized (members) {
      return List.copyOf(members.values());
    }
  }

  public Member member(String name) {
    synchronized (members) {
      return members.get(name);
    }
  }

  /** Stops tracking a process that exited (a TaskManager not replaced). */
  void forget(Member m) {
    synchronized (members) {
      members.remove(m.name(), m);
    }
  }

  /** The contract's {@code process <name> <pid>} lines (§8). */
  public void printProcesses(PrintStream out) {
    for (Member m : members()) out.println("process " + m.name() + " " + m.pid());
  }

  @Override
  public void close() {
    List<Member> all = new ArrayList<>(members());
    Collections.reverse(all); // TaskManagers first, then the JobManager
    for (Member m : all) m.process().destroy();
    for (Member m : all) {
      try {
        if (!m.process().waitFor(15, TimeUnit.SECONDS)) m.process().destroyForcibly().waitFor();
      } catch (InterruptedException e) {
        m.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final String LOG4J =
      """
      # Written by gridfusion up (cluster mode): one log file per process, set by -Dlog.file
      monitorInterval = 30
      rootLogger.level = INFO
      rootLogger.appenderRef.file.ref = MainAppender
      logger.kafka.name = org.apache.kafka
      logger.kafka.level = WARN
      logger.pekko.name = org.apache.pekko
      logger.pekko.level = WARN
      appender.main.name = MainAppender
      appender.main.type = RollingFile
      appender.main.append = true
      appender.main.fileName = ${sys:log.file}
      appender.main.filePattern = ${sys:log.file}.%i
      appender.main.layout.type = PatternLayout
      appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
      appender.main.policies.type = Policies
      appender.main.policies.size.type = SizeBasedTriggeringPolicy
      appender.main.policies.size.size = 100MB
      appender.main.strategy.type = DefaultRolloverStrategy
      appender.main.strategy.max = 5
      """;
}
