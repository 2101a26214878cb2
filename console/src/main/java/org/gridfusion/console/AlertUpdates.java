package org.gridfusion.console;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gridfusion.schema.Alert;

/**
 * Which alert updates from gf.alerts are new: gf.alerts is at-least-once by default, so after a job
 * restart an update may arrive again, identical in {@code alertId}, {@code count} and {@code
 * status}. An update is new when it is further along than the last one seen of its alert (version
 * {@code count × 2 + closed}, the order gf-alerts keeps too). Remembers the newest {@value #KEEP}
 * alerts; an alert forgotten since is shown again, which is harmless.
 */
final class AlertUpdates {
  static final int KEEP = 10_000;

  private final Map<String, Long> seen =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > KEEP;
        }
      };

  /** True the first time an update at this version (or later) of its alert is offered. */
  synchronized boolean isNew(Alert a) {
    long version = a.getCount() * 2L + ("CLOSED".equals(a.getStatus()) ? 1 : 0);
    Long before = seen.get(a.getAlertId());
    if (before != null && before >= version) return false;
    seen.put(a.getAlertId(), version);
    return true;
  }
}
