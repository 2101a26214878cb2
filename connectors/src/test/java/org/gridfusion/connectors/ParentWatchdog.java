package org.gridfusion.connectors;

import java.io.IOException;
import java.io.InputStream;

/**
 * For the connector processes tests start: halts this JVM when the test JVM that started it is gone
 * (its standard input reaches end of file), so a child dies with its test even when nobody kills
 * it.
 */
public final class ParentWatchdog {
  private ParentWatchdog() {}

  public static void start() {
    Thread watchdog =
        new Thread(
            () -> {
              awaitEndOf(System.in);
              Runtime.getRuntime().halt(3);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void awaitEndOf(InputStream in) {
    try {
      while (in.read() >= 0) {
        // nothing is ever sent; EOF means the parent is gone
      }
    } catch (IOException e) {
      // a broken pipe means the same
    }
  }
}
