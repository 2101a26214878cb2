package org.gridfusion.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.junit.jupiter.api.Test;

class AlertUpdatesTest {
  private final AlertUpdates updates = new AlertUpdates();

  @Test
  void anUpdateRepeatedAfterARestartIsNotNewButEveryStepForwardIs() {
    assertThat(updates.isNew(alert("A-1", 1, "OPEN"))).isTrue();
    assertThat(updates.isNew(alert("A-1", 1, "OPEN"))).isFalse(); // replayed
    assertThat(updates.isNew(alert("A-1", 2, "OPEN"))).isTrue();
    assertThat(updates.isNew(alert("A-1", 1, "OPEN"))).isFalse(); // older, late
    assertThat(updates.isNew(alert("A-1", 2, "CLOSED"))).isTrue();
    assertThat(updates.isNew(alert("A-1", 2, "CLOSED"))).isFalse();
    assertThat(updates.isNew(alert("A-2", 1, "OPEN"))).isTrue(); // another alert
  }

  private static Alert alert(String id, int count, String status) {
    Instant t = Instant.parse("2026-12-04T10:00:00Z");
    return Alert.newBuilder()
        .setAlertId(id)
        .setRuleId("FALL_DETECTED")
        .setRuleVersion("1")
        .setTitle("Person fallen")
        .setSeverity(Severity.IMPORTANT)
        .setGridId("G-1")
        .setLat(0)
        .setLon(0)
        .setFirstSeen(t)
        .setLastSeen(t.plusSeconds(count))
        .setCount(count)
        .setEvidence(List.of("CAMERA:" + count))
        .setStatus(status)
        .setDetectedAt(t)
        .build();
  }
}
