package org.gridfusion.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch 8.19 cluster, run as a child process from Elastic's minimal
 * "integ-test-zip" distribution that Maven caches in {@code ~/.m2}.
 *
 * <p>Assumptions:
 *
 * <ul>
 *   <li>Linux or another POSIX system; the running JVM (17+) is handed to Elasticsearch as {@code
 *       ES_JAVA_HOME}, since this distribution has no bundled JDK.
 *   <li>The distribution is unpacked once into {@code ${java.io.tmpdir}/gridfusion-es}, shared by
 *       every JVM on the machine and read-only afterwards; each instance gets its own config, data
 *       and logs under {@code dataDir/elasticsearch}.
 *   <li>Elasticsearch refuses to run as root. When this JVM is root, the node runs as a system user
 *       (created if missing) that owns the instance directory and must be able to traverse every
 *       ancestor of it.
 *   <li>The minimal distribution has no ingest pipelines, ILM, Painless nor a {@code GET /}
 *       endpoint; callers use the index, search and cluster APIs. It does have X-Pack security:
 *       with {@link Security} the node requires a login (a user of its file realm, created with the
 *       distribution's {@code elasticsearch-users}) and serves HTTPS with a certificate from a
 *       private CA ({@link Certificates}, made once per instance directory); without it, security
 *       is off.
 *   <li>Both ports bind to the given address (127.0.0.1 unless told otherwise).
 * </ul>
 *
 * <p>A node that dies can be {@link #restart() restarted} on the same ports and data; {@link
 * #onExit()} tells a supervisor when it died.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

  public static final String VERSION = "8.19.21";
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final int TAIL_LINES = 40;
  private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
  private static final Set<PosixFilePermission> DIR_PERMS =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE_PERMS =
      PosixFilePermissions.fromString("rw-r--r--");

  /** FileLock guards against other JVMs only; threads of this JVM queue here. */
  private static final ReentrantLock UNPACK_LOCK = new ReentrantLock();

  /**
   * A login required on every request, over HTTPS.
   *
   * @param username a superuser of the node's file realm, created at every start
   * @param password at least 6 characters
   */
  public record Security(String username, String password) {
    public Security {
      if (!username.matches("[A-Za-z0-9_.-]+") || password.length() < 6) {
        throw new IllegalArgumentException(
            "Elasticsearch user: letters, digits, _ . - only; password at least 6 characters");
      }
    }

    @Override
    public String toString() {
      return "user " + username;
    }
  }

  /**
   * How to start the node.
   *
   * @param dataDir the stack's data directory; the node keeps everything under {@code
   *     dataDir/elasticsearch}
   * @param httpPort the HTTP port, or 0 for a free one
   * @param heap the JVM heap, e.g. {@code "512m"} (null: 512m)
   * @param runAsUser the system user to run as when this JVM is root (null: gridfusion)
   * @param distributionZip the integ-test-zip; null for the one Maven cached in {@code ~/.m2}
   * @param bindAddress {@code network.host} (null: 127.0.0.1)
   * @param advertisedHost the host in {@link #url()} (null: the bind address, or this machine's
   *     name when that is a wildcard)
   * @param security a login and HTTPS; null for neither
   */
  public record Options(
      Path dataDir,
      int httpPort,
      String heap,
      String runAsUser,
      Path distributionZip,
      String bindAddress,
      String advertisedHost,
      Security security) {
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      heap = heap == null || heap.isBlank() ? "512m" : heap.trim();
      runAsUser = runAsUser == null || runAsUser.isBlank() ? "gridfusion" : runAsUser.trim();
      bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.trim();
      if (!HEAP.matcher(heap).matches()) {
        throw new IllegalArgumentException("heap must look like 512m or 1g, got " + heap);
      }
    }

    /** On 127.0.0.1, without security. */
    public Options(
        Path dataDir, int httpPort, String heap, String runAsUser, Path distributionZip) {
      this(dataDir, httpPort, heap, runAsUser, distributionZip, null, null, null);
    }

    /** Defaults: a free port, 512 MB heap, user gridfusion, the distribution from {@code ~/.m2}. */
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, 0, "512m", "gridfusion", null);
    }

    String advertised() {
      if (advertisedHost != null && !advertisedHost.isBlank()) return advertisedHost;
      return EmbeddedKafka.isWildcard(bindAddress) ? Certificates.localHostName() : bindAddress;
    }
  }

  private final Options options;
  private final Path home;
  private final Path instanceDir;
  private final int httpPort;
  private final int transportPort;
  private final Certificates certificates;
  private final Path launcherPidFile;
  private final Thread shutdownHook;
  private volatile Process process;
  private volatile Duration startupTime = Duration.ZERO;
  private boolean closed;

  private EmbeddedElasticsearch(
      Options options,
      Path home,
      Path instanceDir,
      int httpPort,
      int transportPort,
      Certificates certificates) {
    this.options = options;
    this.home = home;
    this.instanceDir = instanceDir;
    this.httpPort = httpPort;
    this.transportPort = transportPort;
    this.certificates = certificates;
    this.launcherPidFile = instanceDir.resolve("launcher.pid");
    this.shutdownHook = new Thread(this::stopProcess, "gridfusion-es-shutdown");
  }

  /** Starts the node and returns once the cluster health is at least yellow. */
  public static EmbeddedElasticsearch start(Options o) {
    Path zip = o.distributionZip() != null ? o.distributionZip() : defaultDistributionZip();
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "Elasticsearch distribution not found at "
              + zip
              + ". Run `mvn -DskipTests package` once: Maven fetches"
              + " org.elasticsearch.distribution.integ-test-zip:elasticsearch:"
              + VERSION
              + ":zip into ~/.m2.");
    }
    Path home = unpack(zip);
    Path instanceDir = instanceDirFor(o.dataDir(), isRoot());
    int[] free = FreePorts.find(2);
    int httpPort = o.httpPort() == 0 ? free[0] : o.httpPort();
    int transportPort = free[1] == httpPort ? FreePorts.find() : free[1];
    Certificates certificates =
        o.security() == null
            ? null
            : Certificates.inDirectory(
                instanceDir.resolve("certs"),
                o.security().password(),
                List.of(o.bindAddress(), o.advertised()));
    EmbeddedElasticsearch es =
        new EmbeddedElasticsearch(o, home, instanceDir, httpPort, transportPort, certificates);
    Runtime.getRuntime().addShutdownHook(es.shutdownHook);
    try {
      es.launch();
    } catch (RuntimeException e) {
      es.close();
      throw e;
    }
    return es;
  }

  /** Writes the configuration, starts the process and waits until the cluster is yellow. */
  private synchronized void launch() {
    long t0 = System.nanoTime();
    Path config = instanceDir.resolve("config");
    Path data = instanceDir.resolve("data");
    Path logs = instanceDir.resolve("logs");
    Path tmp = instanceDir.resolve("tmp");
    Path console = logs.resolve("console.log");
    Path esPidFile = instanceDir.resolve("elasticsearch.pid");

    killLeftover(launcherPidFile);
    killLeftover(esPidFile);
    try {
      for (Path d : List.of(config, data, logs, tmp)) {
        Files.createDirectories(d);
      }
      writeConfig(config, data, logs);
      if (options.security() != null) addUser(config, tmp);
      Files.deleteIfExists(esPidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Elasticsearch dir " + instanceDir, e);
    }

    List<String> command = new ArrayList<>();
    String runAs = null;
    if (isRoot()) {
      runAs = options.runAsUser();
      command.addAll(dropRootPrefix(runAs, instanceDir, home));
    }
    command.add(home.resolve("bin").resolve("elasticsearch").toString());
    command.add("-p");
    command.add(esPidFile.toString());

    ProcessBuilder pb = new ProcessBuilder(command).directory(instanceDir.toFile());
    environment(pb, config, tmp);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));

    try {
      process = pb.start();
      // Nothing to say on stdin; EOF tells the launcher there is no keystore password coming.
      process.getOutputStream().close();
      Files.writeString(launcherPidFile, process.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    awaitReady(console);
    startupTime = Timing.since(t0);
    LOG.info(
        "Elasticsearch {} ready at {} in {} (pid {}{}, heap {}, {}, dir {})",
        VERSION,
        url(),
        Timing.seconds(startupTime),
        process.pid(),
        runAs == null ? "" : ", user " + runAs,
        options.heap(),
        options.security() == null ? "security off" : "HTTPS, " + options.security(),
        instanceDir);
  }

  private void environment(ProcessBuilder pb, Path config, Path tmp) {
    Map<String, String> env = pb.environment();
    env.put("ES_JAVA_HOME", System.getProperty("java.home"));
    env.put("ES_PATH_CONF", config.toString());
    env.put("ES_TMPDIR", tmp.toString());
    // bin/elasticsearch-env warns about it and ignores it; drop it to keep console.log clean.
    env.remove("JAVA_HOME");
    if (!tmp.toString().matches(".*\\s.*")) {
      // The launcher JVM leaves its "final-flags" probe dirs in its tmpdir; keep them in ours.
      // The script splits CLI_JAVA_OPTS on spaces, hence only for paths without any.
      env.put("CLI_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
    }
  }

  /**
   * The login, as a superuser of the file realm ({@code config/users}, rewritten at each start with
   * the rest of the configuration), made with the distribution's own {@code elasticsearch-users}.
   * The password reaches the tool on its command line, which only this machine's root and the owner
   * can read, for a second.
   */
  private void addUser(Path config, Path tmp) throws IOException {
    Path tool = home.resolve("bin").resolve("elasticsearch-users");
    ProcessBuilder pb =
        new ProcessBuilder(
                tool.toString(),
                "useradd",
                options.security().username(),
                "-p",
                options.security().password(),
                "-r",
                "superuser")
            .redirectErrorStream(true)
            .redirectInput(new File("/dev/null"));
    environment(pb, config, tmp);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("elasticsearch-users timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while adding the Elasticsearch user", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("elasticsearch-users useradd failed: " + out.trim());
    }
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://} with {@link Security}. */
  public String url() {
    return (certificates == null ? "http" : "https")
        + "://"
        + EmbeddedKafka.hostForUrl(options.advertised())
        + ":"
        + httpPort;
  }

  /** The URL with the login and the CA to trust: what a client of this node needs. */
  public ElasticsearchConnection connection() {
    if (options.security() == null) return ElasticsearchConnection.of(url());
    return ElasticsearchConnection.basic(
        url(),
        options.security().username(),
        options.security().password(),
        certificates.caCertificate());
  }

  /** The PEM CA certificate clients trust; null without {@link Security}. */
  public Path caCertificate() {
    return certificates == null ? null : certificates.caCertificate();
  }

  public int httpPort() {
    return httpPort;
  }

  /** {@code dataDir/elasticsearch}: config, data, logs (console.log among them), tmp. */
  public Path instanceDir() {
    return instanceDir;
  }

  /** From launching the process to a yellow cluster, unpacking included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Whether the node's process is running. */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The exit code of the node's process once it has ended; empty while it runs. */
  public OptionalInt exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
  }

  /** Completes when the current process exits (killed, crashed or stopped). */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The pid of the process this object started (the launcher; the node JVM is its child). */
  public long pid() {
    return process.pid();
  }

  /**
   * The pid of the node's own JVM (from its pid file), or empty when it has not written one yet.
   */
  public Optional<Long> nodePid() {
    try {
      return Optional.of(
          Long.parseLong(Files.readString(instanceDir.resolve("elasticsearch.pid")).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts the node again on the same ports, configuration and data (stopping it first if it still
   * runs); returns once it is ready. A node left half-dead by a kill is cleaned up first (pid
   * files).
   */
  public synchronized void restart() {
    if (closed) throw new IllegalStateException("Elasticsearch at " + url() + " was closed");
    if (isAlive()) stopProcess();
    launch();
  }

  /** Stops the node: SIGTERM, up to 20 s for a clean shutdown, then SIGKILL. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it stops the same process.
    }
    long t0 = System.nanoTime();
    stopProcess();
    LOG.info("Elasticsearch at {} stopped in {}", url(), Timing.seconds(Timing.since(t0)));
  }

  /** The cached integ-test-zip: {@code ~/.m2} or {@code -Dmaven.repo.local}. */
  public static Path defaultDistributionZip() {
    String repo = System.getProperty("maven.repo.local");
    Path root =
        repo != null && !repo.isBlank()
            ? Path.of(repo)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    return root.resolve(
        Path.of(
            "org",
            "elasticsearch",
            "distribution",
            "integ-test-zip",
            "elasticsearch",
            VERSION,
            "elasticsearch-" + VERSION + ".zip"));
  }

  // ---------------------------------------------------------------- distribution

  /**
   * Unpacks the distribution into the shared cache unless a completed copy is there. A copy counts
   * as complete only once its marker file exists, so an interrupted unpack is redone.
   */
  static Path unpack(Path zip) {
    Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"), "gridfusion-es");
    String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
    Path home = cacheRoot.resolve(name);
    Path marker = cacheRoot.resolve(name + ".complete");
    if (Files.exists(marker)) {
      return home;
    }
    UNPACK_LOCK.lock();
    try {
      Files.createDirectories(cacheRoot);
      setPermissionsIfOwned(cacheRoot, DIR_PERMS);
      try (FileChannel channel =
              FileChannel.open(
                  cacheRoot.resolve(name + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (Files.exists(marker)) {
          return home;
        }
        long t0 = System.nanoTime();
        try (Stream<Path> siblings = Files.list(cacheRoot)) {
          for (Path p :
              siblings
                  .filter(p -> p.getFileName().toString().startsWith(name + ".partial-"))
                  .toList()) {
            deleteRecursively(p);
          }
        }
        deleteRecursively(home);
        Path staging = Files.createTempDirectory(cacheRoot, name + ".partial-");
        extract(zip, staging);
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(marker, zip + "\n");
        Files.setPosixFilePermissions(marker, FILE_PERMS);
        LOG.info(
            "Unpacked Elasticsearch {} to {} in {}",
            VERSION,
            home,
            Timing.seconds(Timing.since(t0)));
        return home;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip + " into " + cacheRoot, e);
    } finally {
      UNPACK_LOCK.unlock();
    }
  }

  /**
   * Extracts the zip without its top-level folder. java.util.zip does not expose Unix modes, so
   * permissions are set by rule: everything world-readable (the node may run as another user),
   * scripts in bin/ executable.
   */
  private static void extract(Path zip, Path target) throws IOException {
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = zf.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        int slash = name.indexOf('/');
        String rel = slash < 0 ? name : name.substring(slash + 1);
        if (rel.isEmpty()) {
          continue;
        }
        Path out = target.resolve(rel).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("zip entry escapes the target dir: " + name);
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = zf.getInputStream(e)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        boolean script = rel.startsWith("bin/") && !rel.endsWith(".bat") && !rel.endsWith(".exe");
        Files.setPosixFilePermissions(out, script ? DIR_PERMS : FILE_PERMS);
      }
    }
    try (Stream<Path> all = Files.walk(target)) {
      for (Path p : all.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(p, DIR_PERMS);
      }
    }
  }

  // ---------------------------------------------------------------- instance config

  private void writeConfig(Path config, Path data, Path logs) throws IOException {
    Path distConfig = home.resolve("config");
    try (Stream<Path> files = Files.walk(distConfig)) {
      for (Path src : files.toList()) {
        Path dst = config.resolve(distConfig.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    // 32 x 64 MB of GC logs is more than a small dev disk should give to a test node.
    Path jvmOptions = config.resolve("jvm.options");
    Files.writeString(
        jvmOptions,
        Files.readString(jvmOptions)
            .replace("filecount=32,filesize=64m", "filecount=4,filesize=16m"));
    String yml =
        String.join(
            "\n",
            "# Written by GridFusion's EmbeddedElasticsearch on every start; edits are"
                + " overwritten.",
            "cluster.name: gridfusion",
            "node.name: gridfusion",
            "path.data: " + yamlString(data.toString()),
            "path.logs: " + yamlString(logs.toString()),
            "network.host: " + yamlString(options.bindAddress()),
            "http.port: " + httpPort,
            "transport.port: " + transportPort,
            "discovery.type: single-node",
            security(),
            "# Tests and `gridfusion reset` delete indices by pattern.",
            "action.destructive_requires_name: false",
            "# A nearly full dev disk would otherwise turn indices read-only.",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "");
    Files.writeString(config.resolve("elasticsearch.yml"), yml);
    Path optionsDir = Files.createDirectories(config.resolve("jvm.options.d"));
    Files.writeString(
        optionsDir.resolve("heap.options"),
        "-Xms" + options.heap() + "\n-Xmx" + options.heap() + "\n");
    if (certificates != null) {
      Path certs = Files.createDirectories(config.resolve("certs"));
      Files.copy(
          certificates.serverCertificate(),
          certs.resolve("http.crt"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          certificates.serverKey(), certs.resolve("http.key"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Security off, or on with HTTPS from the private CA's certificate. Transport TLS is not needed:
   * the node is alone ({@code discovery.type: single-node}) and its transport port takes no peers.
   */
  private String security() {
    if (certificates == null) return "xpack.security.enabled: false";
    return String.join(
        "\n",
        "xpack.security.enabled: true",
        "xpack.security.enrollment.enabled: false",
        "xpack.security.http.ssl.enabled: true",
        "xpack.security.http.ssl.certificate: certs/http.crt",
        "xpack.security.http.ssl.key: certs/http.key");
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // ---------------------------------------------------------------- running as another user

  private static boolean isRoot() {
    if ("root".equals(System.getProperty("user.name"))) {
      return true;
    }
    Command id = Command.run("id", "-u");
    return id.ok() && id.output().trim().equals("0");
  }

  /**
   * Makes sure {@code user} exists, owns the instance dir and can reach it and the distribution;
   * returns the command prefix that runs the rest as that user with the environment kept.
   */
  private static List<String> dropRootPrefix(String user, Path instanceDir, Path home) {
    if (!Command.run("id", "-u", user).ok()) {
      Command add =
          Command.run(
              "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
      if (!add.ok()) {
        throw new IllegalStateException(
            "Elasticsearch refuses to run as root and system user '"
                + user
                + "' could not be created: "
                + add.output().trim());
      }
      LOG.info("Created system user '{}' to run Elasticsearch (it refuses to run as root)", user);
    }
    String uid = Command.run("id", "-u", user).output().trim();
    String gid = Command.run("id", "-g", user).output().trim();
    String group = Command.run("id", "-gn", user).output().trim();
    requireTraversable(
        instanceDir, user, group, "Use a data dir outside it, e.g. under /var/lib or /tmp.");
    requireTraversable(
        home,
        user,
        group,
        "The distribution is unpacked under java.io.tmpdir; point -Djava.io.tmpdir elsewhere.");
    Command chown = Command.run("chown", "-R", uid + ":" + gid, instanceDir.toString());
    if (!chown.ok()) {
      throw new IllegalStateException(
          "cannot chown " + instanceDir + " to " + user + ": " + chown.output().trim());
    }
    // setpriv execs directly, so our SIGTERM reaches the Elasticsearch launcher itself; runuser
    // stays in between as a root parent that forwards it.
    if (Files.isExecutable(Path.of("/usr/bin/setpriv"))
        || Files.isExecutable(Path.of("/bin/setpriv"))) {
      return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--");
    }
    return List.of("runuser", "-u", user, "--");
  }

  /**
   * {@code dataDir/elasticsearch}, unless the node has to run as another user (as root) and a
   * directory on the way is closed to others (a {@code mktemp -d} checkout, a home directory): then
   * a directory of its own under {@code java.io.tmpdir}, named after the data dir so each stack
   * keeps its node, and said so in the log.
   */
  public static Path instanceDirFor(Path dataDir, boolean asAnotherUser) {
    Path wanted = dataDir.toAbsolutePath().normalize().resolve("elasticsearch");
    if (!asAnotherUser) return wanted;
    for (Path p = wanted.getParent(); p != null; p = p.getParent()) {
      try {
        if (Files.exists(p)
            && !Files.readAttributes(p, PosixFileAttributes.class)
                .permissions()
                .contains(PosixFilePermission.OTHERS_EXECUTE)) {
          String id = Integer.toHexString(wanted.toString().hashCode());
          Path moved =
              Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "gridfusion-es",
                  "instances",
                  dataDir.getFileName() + "-" + id);
          LOG.warn(
              "{} is closed to other users, and Elasticsearch must run as one: its node lives in {} instead",
              p,
              moved);
          return moved;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of " + p, e);
      }
    }
    return wanted;
  }

  /** Fails, naming the directory, if {@code user} cannot enter some ancestor of {@code dir}. */
  private static void requireTraversable(Path dir, String user, String group, String advice) {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      PosixFileAttributes a;
      try {
        a = Files.readAttributes(p, PosixFileAttributes.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of " + p, e);
      }
      Set<PosixFilePermission> perms = a.permissions();
      boolean ok =
          perms.contains(PosixFilePermission.OTHERS_EXECUTE)
              || (a.owner().getName().equals(user)
                  && perms.contains(PosixFilePermission.OWNER_EXECUTE))
              || (a.group().getName().equals(group)
                  && perms.contains(PosixFilePermission.GROUP_EXECUTE));
      if (!ok) {
        throw new IllegalStateException(
            "Elasticsearch refuses to run as root, so it runs as user '"
                + user
                + "', but that user cannot enter "
                + p
                + " ("
                + PosixFilePermissions.toString(perms)
                + ", owner "
                + a.owner().getName()
                + ") on the way to "
                + dir
                + ". "
                + advice);
      }
    }
  }

  // ---------------------------------------------------------------- process lifecycle

  private void awaitReady(Path console) {
    ElasticsearchConnection es = connection();
    HttpClient client = es.httpClient(Duration.ofSeconds(1));
    HttpRequest health =
        es.request("/_cluster/health?wait_for_status=yellow&timeout=1s")
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String lastAnswer = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw failure("exited with code " + process.exitValue() + " before it was ready", console);
      }
      try {
        HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode body = Json.MAPPER.readTree(r.body());
          String status = body.path("status").asText();
          if (status.equals("green") || status.equals("yellow")) {
            return;
          }
        }
        lastAnswer = "HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
      }
      sleep(250);
    }
    throw failure(
        "not ready after " + READY_TIMEOUT.toSeconds() + " s (last: " + lastAnswer + ")", console);
  }

  private IllegalStateException failure(String what, Path console) {
    return new IllegalStateException(
        "Elasticsearch at "
            + url()
            + " "
            + what
            + ". Last "
            + TAIL_LINES
            + " lines of "
            + console
            + ":\n"
            + tail(console, TAIL_LINES));
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (NoSuchFileException e) {
      return "(no " + file.getFileName() + ")";
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /**
   * SIGTERM to the launcher, which stops the server JVM and exits; SIGKILL to the whole tree if
   * that takes longer than {@link #STOP_TIMEOUT}. The tree is listed first: once the launcher is
   * gone its children are no longer its descendants.
   */
  private void stopProcess() {
    Process process = this.process;
    if (process == null) return;
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    process.destroy();
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    boolean clean = awaitExit(tree, deadline);
    if (!clean) {
      LOG.warn("Elasticsearch did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
      tree.forEach(ProcessHandle::destroyForcibly);
      awaitExit(tree, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
    try {
      Files.deleteIfExists(launcherPidFile);
    } catch (IOException ignored) {
      // A stale pid file is checked against the live process table on the next start.
    }
  }

  private static boolean awaitExit(List<ProcessHandle> handles, long deadlineNanos) {
    for (ProcessHandle h : handles) {
      long left = deadlineNanos - System.nanoTime();
      try {
        if (left <= 0) {
          if (h.isAlive()) {
            return false;
          }
          continue;
        }
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception timeout) {
        return false;
      }
    }
    return true;
  }

  /**
   * A JVM killed with SIGKILL cannot stop its children, so a node from the previous run may still
   * hold the data dir's lock. Kill it if the pid file names a live Elasticsearch process.
   */
  private static void killLeftover(Path pidFile) {
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      LOG.warn("Ignoring unreadable pid file {}: {}", pidFile, e.toString());
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return;
    }
    String commandLine = handle.get().info().commandLine().orElse("");
    if (!commandLine.contains("elasticsearch")) {
      LOG.info("Pid file {} names process {} which is not Elasticsearch; leaving it", pidFile, pid);
      return;
    }
    LOG.warn("Killing Elasticsearch process {} left over from a previous run ({})", pid, pidFile);
    List<ProcessHandle> tree = new ArrayList<>(handle.get().descendants().toList());
    tree.add(handle.get());
    tree.forEach(ProcessHandle::destroyForcibly);
    if (!awaitExit(tree, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))) {
      throw new IllegalStateException("leftover Elasticsearch process " + pid + " does not die");
    }
  }

  // ---------------------------------------------------------------- small helpers

  private static void setPermissionsIfOwned(Path p, Set<PosixFilePermission> perms) {
    try {
      Files.setPosixFilePermissions(p, perms);
    } catch (IOException | UnsupportedOperationException e) {
      // Created by another user before us; whoever owns it set it up the same way.
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A short external command with its combined output. */
  private record Command(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    static Command run(String... command) {
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Command(-1, String.join(" ", command) + " timed out");
        }
        return new Command(p.exitValue(), out);
      } catch (IOException e) {
        return new Command(-1, String.join(" ", command) + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Command(-1, String.join(" ", command) + ": interrupted");
      }
    }
  }
}
