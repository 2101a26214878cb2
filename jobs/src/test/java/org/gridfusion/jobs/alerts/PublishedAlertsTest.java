package org.gridfusion.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.codec.AvroCodec;
import org.junit.jupiter.api.Test;

/**
 * The sink's memory of published updates: an update is claimed once, by identity alone (a replay
 * has a new detectedAt), and what is older than the lookback is forgotten, so memory stays bounded.
 */
class PublishedAlertsTest {
  private static final AvroCodec<Alert> CODEC = AvroCodec.of(Alert.class);
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void aReplayedUpdateIsClaimedOnceAndAnotherCountOrStatusIsNot() {
    PublishedAlerts published = new PublishedAlerts();
    published.remember(record(alert(2, "OPEN"), T0));

    assertThat(published.claim(alert(1, "OPEN"))).isFalse();
    assertThat(published.claim(alert(2, "CLOSED"))).isFalse();
    assertThat(
            published.claim(
                Alert.newBuilder(alert(2, "OPEN")).setDetectedAt(T0.plusSeconds(60)).build()))
        .isTrue();
    assertThat(published.claim(alert(2, "OPEN"))).isFalse();
  }

  @Test
  void updatesOlderThanTheLookbackAreForgotten() {
    PublishedAlerts published = new PublishedAlerts();
    published.remember(record(alert(1, "OPEN"), T0));
    published.remember(record(alert(2, "OPEN"), T0.plusSeconds(600)));

    published.forgetBefore(T0.plusSeconds(1));

    assertThat(published.size()).isEqualTo(1);
    assertThat(published.claim(alert(1, "OPEN"))).isFalse();
    assertThat(published.claim(alert(2, "OPEN"))).isTrue();
  }

  private static ConsumerRecord<byte[], byte[]> record(Alert a, Instant at) {
    byte[] value = CODEC.encode(a);
    return new ConsumerRecord<>(
        "gf.alerts",
        0,
        0L,
        at.toEpochMilli(),
        TimestampType.CREATE_TIME,
        0,
        value.length,
        null,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static Alert alert(int count, String status) {
    return Alert.newBuilder()
        .setAlertId("FALL.G-1." + T0.toEpochMilli())
        .setRuleId("FALL")
        .setRuleVersion("1")
        .setTitle("test")
        .setSeverity(Severity.values()[0])
        .setGridId("G-1")
        .setLat(30.0)
        .setLon(120.0)
        .setFirstSeen(T0)
        .setLastSeen(T0)
        .setCount(count)
        .setEvidence(List.of("r-1"))
        .setStatus(status)
        .setDetectedAt(T0)
        .build();
  }
}
