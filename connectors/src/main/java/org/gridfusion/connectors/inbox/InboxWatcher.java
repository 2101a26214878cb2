package org.gridfusion.connectors.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.Rejection;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the department-record inbox (contract §2.3): {@code *.jsonl} and {@code *.csv} files are
 * streamed a line at a time (a file of any size needs a constant amount of memory), accepted
 * records go to Kafka, rejected lines to the dead-letter topic and to {@code
 * done/<name>.rejected.jsonl}, and the finished file moves to {@code done/}.
 *
 * <p>Exactly-once per file content: a file is identified by the SHA-256 of its bytes, and a ledger
 * in {@code .gridfusion/} remembers finished files, so the same file dropped twice stores nothing
 * twice. Progress is committed after every acknowledged batch, so a crash in the middle of a file
 * resumes after the last committed batch (the uncommitted batch is sent again; the records job
 * drops those duplicates by record id).
 */
public final class InboxWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboxWatcher.class);
  private static final int BATCH = 500;

  /** A file modified more recently than this may still be being written; wait for the next scan. */
  private static final long SETTLE_MS = 500;

  private final InboxSettings settings;
  private final KafkaPublisher kafka;
  private final InputParsers parsers;
  private final AvroCodec<DepartmentRecord> codec = AvroCodec.of(DepartmentRecord.class);
  private final Path done;
  private final Path ledger;
  private final Path progress;
  private final Metrics metrics = new Metrics("inbox");
  private final LongAdder files = metrics.counter("files_done_total", "files finished");
  private final LongAdder repeats =
      metrics.counter("files_repeated_total", "files already ingested before, stored nothing");
  private final LongAdder records =
      metrics.counter("records_accepted_total", "records acknowledged by Kafka");
  private final LongAdder rejectedLines =
      metrics.counter("lines_rejected_total", "lines dead-lettered");
  private final ScheduledExecutorService scanner;

  private InboxWatcher(InboxSettings settings) throws IOException {
    this.settings = settings;
    Path inbox = settings.inbox();
    Files.createDirectories(inbox);
    this.done = Files.createDirectories(inbox.resolve("done"));
    this.ledger = Files.createDirectories(inbox.resolve(".gridfusion/ledger"));
    this.progress = Files.createDirectories(inbox.resolve(".gridfusion/progress"));
    this.kafka = new KafkaPublisher(settings.kafka(), "gridfusion-inbox", settings.privacy());
    this.parsers = new InputParsers(settings.window());
    this.scanner =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inbox-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  public static InboxWatcher start(InboxSettings settings) throws IOException {
    InboxWatcher w = new InboxWatcher(settings);
    w.scanner.scheduleWithFixedDelay(
        w::scanSafely, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "Inbox watcher on {} (every {} ms), publishing to {}",
        settings.inbox().toAbsolutePath(),
        settings.pollInterval().toMillis(),
        settings.kafka());
    return w;
  }

  public Metrics metrics() {
    return metrics;
  }

  private void scanSafely() {
    try {
      scan();
    } catch (Exception e) {
      LOG.error("Inbox scan failed; retrying at the next scan", e);
    }
  }

  /** One pass over the inbox; public so tests and the one-shot mode can drive it. */
  public void scan() throws IOException, InterruptedException {
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(settings.inbox())) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p)
            && !name.startsWith(".")
            && (name.endsWith(".jsonl") || name.endsWith(".csv"))
            && Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - SETTLE_MS) {
          candidates.add(p);
        }
      }
    }
    candidates.sort(null);
    for (Path file : candidates) {
      if (!ingest(file)) return; // Kafka unavailable: keep order, try again next scan
    }
  }

  /** Returns false when the file could not be finished now (Kafka unavailable). */
  private boolean ingest(Path file) throws IOException, InterruptedException {
    String name = file.getFileName().toString();
    String id = sha256(file);
    if (Files.exists(ledger.resolve(id))) {
      repeats.increment();
      Path target = moveToDone(file, name);
      LOG.info(
          "{} has the same content as a file already ingested ({}); nothing stored, moved to {}",
          name,
          Files.readString(ledger.resolve(id)).trim(),
          target.getFileName());
      return true;
    }
    Path pos = progress.resolve(id + ".pos");
    Path rejectedWork = progress.resolve(id + ".rejected.jsonl");
    long committedLines = 0;
    long committedRejectBytes = 0;
    if (Files.exists(pos)) {
      String[] p = Files.readString(pos).trim().split(" ");
      committedLines = Long.parseLong(p[0]);
      committedRejectBytes = Long.parseLong(p[1]);
      LOG.info("Resuming {} after line {}", name, committedLines);
    }
    truncate(rejectedWork, committedRejectBytes);

    long started = System.nanoTime();
    long lineNo = 0;
    long accepted = 0;
    long rejected = 0;
    try (Utf8Lines in = new Utf8Lines(new BufferedInputStream(Files.newInputStream(file), 65_536));
        OutputStream rejects =
            Files.newOutputStream(
                rejectedWork, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      LineDecoder decoder = LineDecoder.jsonl();
      List<String> csvHeader = null;
      if (name.endsWith(".csv")) {
        Utf8Lines.Line header = in.next();
        lineNo++;
        decoder = LineDecoder.csv(header == null ? "" : header.text());
        csvHeader = LineDecoder.columns(header == null ? "" : header.text());
      }
      List<CompletableFuture<?>> batch = new ArrayList<>(BATCH);
      Utf8Lines.Line next;
      while ((next = in.next()) != null) {
        String line = next.text();
        lineNo++;
        if (lineNo <= committedLines || line.isBlank()) continue;
        long receivedAt = System.currentTimeMillis();
        Parsed<JsonNode> json =
            next.utf8()
                ? decoder.decode(line)
                : Parsed.rejected(
                    Reason.MALFORMED, "line is not valid UTF-8 (bad bytes shown as U+FFFD)");
        Parsed<DepartmentRecord> record =
            json instanceof Parsed.Ok<JsonNode> ok
                ? parsers.departmentRecord(ok.value(), receivedAt, "inbox:" + name + ":" + lineNo)
                : new Parsed.Rejected<>(((Parsed.Rejected<JsonNode>) json).rejection());
        if (record instanceof Parsed.Ok<DepartmentRecord> r) {
          batch.add(
              kafka.send(Topics.RAW_DEPARTMENT, r.value().getRecordId(), codec.encode(r.value())));
          accepted++;
        } else {
          Rejection why = ((Parsed.Rejected<DepartmentRecord>) record).rejection();
          rejected++;
          metrics
              .counter(
                  "dead_letters_total",
                  "reason",
                  why.reason().name(),
                  "lines dead-lettered, by reason")
              .increment();
          // A CSV line is pseudonymised column by column here (the publisher cannot know the
          // header); JSON lines and everything else by the publisher.
          String payload =
              csvHeader != null && next.utf8() ? settings.privacy().csvLine(csvHeader, line) : line;
          batch.add(
              kafka.deadLetter(
                  why.toDeadLetter(
                      InputSource.DEPARTMENT,
                      payload,
                      receivedAt,
                      "inbox:" + name + ":" + lineNo)));
          rejects.write(
              (Json.write(
                          Map.of(
                              "line",
                              lineNo,
                              "reason",
                              why.reason().name(),
                              "detail",
                              why.detail(),
                              "payload",
                              line))
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        if (batch.size() >= BATCH) {
          if (!commit(batch, rejects, pos, lineNo, rejectedWork, name)) return false;
        }
      }
      if (!commit(batch, rejects, pos, lineNo, rejectedWork, name)) return false;
    }
    // Finished: record it in the ledger before moving, so a crash between the two repeats nothing.
    Files.writeString(ledger.resolve(id), name + " " + Instant.now() + "\n");
    Path target = moveToDone(file, name);
    if (Files.size(rejectedWork) > 0) {
      move(rejectedWork, done.resolve(target.getFileName() + ".rejected.jsonl"));
    } else {
      Files.deleteIfExists(rejectedWork);
    }
    Files.deleteIfExists(pos);
    files.increment();
    records.add(accepted);
    rejectedLines.add(rejected);
    LOG.info(
        "Inbox file {} done: {} records accepted, {} lines rejected, {} ms",
        name,
        accepted,
        rejected,
        (System.nanoTime() - started) / 1_000_000);
    return true;
  }

  private boolean commit(
      List<CompletableFuture<?>> batch,
      OutputStream rejects,
      Path pos,
      long lineNo,
      Path rejectedWork,
      String name)
      throws IOException, InterruptedException {
    try {
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "Kafka did not acknowledge lines of {} up to {} ({}); will resume from the last committed line",
          name,
          lineNo,
          e.getCause() == null ? e.toString() : e.getCause().toString());
      return false;
    }
    batch.clear();
    rejects.flush();
    Path tmp = pos.resolveSibling(pos.getFileName() + ".tmp");
    Files.writeString(tmp, lineNo + " " + Files.size(rejectedWork) + "\n");
    move(tmp, pos);
    return true;
  }

  private Path moveToDone(Path file, String name) throws IOException {
    Path target = done.resolve(name);
    for (int i = 1; Files.exists(target); i++) {
      target = done.resolve(name + "." + i);
    }
    move(file, target);
    return target;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void truncate(Path file, long length) throws IOException {
    if (!Files.exists(file)) return;
    try (var ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    scanner.shutdown();
    try {
      scanner.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kafka.close();
    LOG.info(
        "Inbox watcher stopped: {} files, {} records accepted, {} lines rejected",
        files.sum(),
        records.sum(),
        rejectedLines.sum());
  }
}
