package org.gridfusion.embedded;

import java.time.Duration;
import java.util.Locale;

/** Start-up times as people read them in a log line ("2.1 s"). */
final class Timing {
  private Timing() {}

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
