package org.gridfusion.simulator.traffic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops department records into the inbox directory (contract §2.3) as {@code
 * <prefix>-NNNNNN.jsonl} files. Each file is written and synced under a hidden {@code .part} name,
 * which no inbox pattern matches, then renamed into place in one step, so the watcher never sees
 * half a file. Names already taken in the inbox are skipped (a rerun does not overwrite files the
 * watcher has not taken yet). Writes are synchronous: a file counts as acknowledged once it is in
 * place.
 */
public final class InboxTrafficSink implements TrafficSink {
  private static final Logger LOG = LoggerFactory.getLogger(InboxTrafficSink.class);

  private final Path inbox;
  private final String prefix;
  private final SinkCounters counters = new SinkCounters();
  private int fileNumber;

  /**
   * @param prefix start of every file name, e.g. {@code sim-<runId>}
   */
  public InboxTrafficSink(Path inbox, String prefix) {
    if (!prefix.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "file prefix must be letters, digits, '_', '.' or '-', got " + prefix);
    }
    this.inbox = inbox;
    this.prefix = prefix;
  }

  @Override
  public synchronized void sendDepartment(List<String> jsonLines) {
    if (jsonLines.isEmpty()) return;
    int n = jsonLines.size();
    counters.sent(TrafficSource.DEPARTMENT, n);
    StringBuilder body = new StringBuilder();
    for (String line : jsonLines) body.append(line).append('\n');
    try {
      Files.createDirectories(inbox);
      Path written = writeNewFile(body.toString().getBytes(StandardCharsets.UTF_8));
      counters.acknowledged(TrafficSource.DEPARTMENT, n);
      LOG.debug("wrote {} records to {}", n, written);
    } catch (IOException e) {
      counters.failed(TrafficSource.DEPARTMENT, n);
      LOG.warn("could not write {} department records to {}: {}", n, inbox, e.toString());
    }
  }

  private Path writeNewFile(byte[] bytes) throws IOException {
    while (true) {
      String name = String.format(Locale.ROOT, "%s-%06d.jsonl", prefix, ++fileNumber);
      Path target = inbox.resolve(name);
      if (Files.exists(target)) continue;
      Path part = inbox.resolve("." + name + ".part");
      try (FileChannel ch =
          FileChannel.open(
              part,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) ch.write(buffer);
        ch.force(true);
      }
      try {
        // Taken names were skipped above; some platforms also refuse to rename over a file that
        // appeared meanwhile, and then the next name is tried.
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "the inbox file system cannot rename atomically; refusing to write in place", e);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(part);
      }
    }
  }

  @Override
  public void flush() {
    // Writes are synchronous.
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public void close() {}
}
