package org.gridfusion.connectors.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens the HTTP ingest accepts: those of {@code ingest.http.tokens} (fixed) and those
 * of {@code ingest.http.tokensFile}, one per line, re-read when the file changes, so a camera
 * platform's token is added or revoked without a restart (within {@link #CHECK_INTERVAL_NANOS}).
 *
 * <p>Only SHA-256 digests are kept, and a presented token is compared with every one of them with
 * {@link MessageDigest#isEqual} (constant time) and without stopping at a match, so the time an
 * answer takes says nothing about how much of a token was right or which token matched.
 *
 * <p>Fails closed: a file that disappears or cannot be read revokes every token it held (logged); a
 * line shorter than 16 characters is ignored and reported by line number, never by content.
 */
final class BearerTokens {
  private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);
  static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int MIN_LENGTH = 16;

  private final List<byte[]> configured;
  private final Path file;
  private volatile List<byte[]> fromFile = List.of();
  private Object stamp;
  private long nextCheck;

  BearerTokens(List<String> tokens, Path file) {
    this.configured = tokens.stream().map(BearerTokens::digest).toList();
    this.file = file;
    if (file != null) {
      synchronized (this) {
        reloadIfChanged(true);
      }
    }
  }

  /** Whether {@code token} is one of the accepted tokens now. */
  boolean accepts(String token) {
    if (file != null) refresh();
    byte[] presented = digest(token);
    boolean match = false;
    for (byte[] t : configured) match |= MessageDigest.isEqual(t, presented);
    for (byte[] t : fromFile) match |= MessageDigest.isEqual(t, presented);
    return match;
  }

  /** How many tokens are accepted (configured + file). */
  int size() {
    if (file != null) refresh();
    return configured.size() + fromFile.size();
  }

  private synchronized void refresh() {
    long now = System.nanoTime();
    if (now - nextCheck < 0) return;
    nextCheck = now + CHECK_INTERVAL_NANOS;
    reloadIfChanged(false);
  }

  /** Re-reads the file when its inode, size or modification time changed. */
  private void reloadIfChanged(boolean first) {
    Object now;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      now = List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
    } catch (NoSuchFileException e) {
      now = "missing";
    } catch (IOException e) {
      now = "unreadable " + e;
    }
    if (!first && Objects.equals(now, stamp)) return;
    stamp = now;
    List<byte[]> loaded = new ArrayList<>();
    int ignored = 0;
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String t = lines.get(i).strip();
        if (t.isEmpty() || t.startsWith("#")) continue;
        if (t.length() < MIN_LENGTH) {
          ignored++;
          LOG.warn(
              "{} line {}: a token must be at least {} characters; ignored",
              file,
              i + 1,
              MIN_LENGTH);
          continue;
        }
        loaded.add(digest(t));
      }
    } catch (IOException e) {
      fromFile = List.of();
      LOG.error(
          "Cannot read bearer tokens from {} ({}): every token it held is refused until it can",
          file,
          e.toString());
      return;
    }
    fromFile = List.copyOf(loaded);
    LOG.info(
        "Bearer tokens {} from {}: {} accepted{}",
        first ? "loaded" : "reloaded",
        file,
        loaded.size(),
        ignored == 0 ? "" : ", " + ignored + " lines ignored");
  }

  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
