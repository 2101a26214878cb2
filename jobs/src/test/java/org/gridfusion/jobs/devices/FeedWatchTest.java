package org.gridfusion.jobs.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.jobs.Records;
import org.gridfusion.schema.Alert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A feed's device alerts on the operator harness: a device alone after the grace, closed when back;
 * nothing for a device back within the grace; most of the feed silent together is one feed alert,
 * no device alerts; the feed's alert closes once most are back.
 */
class FeedWatchTest {
  static final long T0 = Records.BEGINNING.toEpochMilli();
  static final long MINUTE = 60_000L;

  KeyedOneInputStreamOperatorTestHarness<String, DeviceStatus, Alert> h;

  @BeforeEach
  void setUp() throws Exception {
    DeviceHealth health =
        new DeviceHealth(
            true,
            Map.of("CAMERA", Duration.ofHours(1), "SENSOR", Duration.ofHours(1)),
            0.5,
            3,
            Duration.ofMinutes(2));
    h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new FeedWatch(health), DeviceStatus::source, Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  static DeviceStatus status(DeviceStatus.Change c, String device, long at) {
    return new DeviceStatus(
        c,
        device,
        "SENSOR",
        "GAS",
        "G-" + device,
        "BASIC",
        "S01",
        "C01",
        43.6,
        122.2,
        "SENSOR:" + device + ":GAS:" + T0,
        T0,
        at);
  }

  void in(DeviceStatus.Change c, String device, long at) throws Exception {
    h.processElement(new StreamRecord<>(status(c, device, at), at));
  }

  void watermark(long t) throws Exception {
    h.processWatermark(new Watermark(t));
  }

  List<String> alerts() {
    return h.extractOutputValues().stream()
        .map(a -> a.getGridId() + " " + a.getStatus() + " x" + a.getCount())
        .toList();
  }

  void heard(String... devices) throws Exception {
    for (String d : devices) in(DeviceStatus.Change.HEARD, d, T0);
  }

  @Test
  void oneDeviceOfManyIsItsOwnAlertAfterTheGraceClosedWhenBack() throws Exception {
    heard("A", "B", "C", "D", "E", "F");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", off);
    watermark(off + 2 * MINUTE - 1);
    assertThat(alerts()).isEmpty();
    watermark(off + 2 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1");
    assertThat(h.extractOutputValues().get(0).getFirstSeen().toEpochMilli()).isEqualTo(off);
    in(DeviceStatus.Change.BACK, "A", off + 30 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1", "G-A CLOSED x1");
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).as("the count of devices heard from").isEqualTo(1);
  }

  @Test
  void aBacklogDeliveredLateClosesTheOutageNoEarlierThanItOpened() throws Exception {
    heard("A", "B", "C", "D", "E", "F");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", off);
    watermark(off + 2 * MINUTE);
    // the bridge's backlog: a reading dated inside the silence, arriving after the alert
    in(DeviceStatus.Change.BACK, "A", off - 10 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1", "G-A CLOSED x1");
    assertThat(h.extractOutputValues().get(1).getClosedAt().toEpochMilli()).isEqualTo(off);
  }

  @Test
  void aDeviceBackWithinTheGraceRaisesNothing() throws Exception {
    heard("A", "B", "C", "D");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", off);
    in(DeviceStatus.Change.BACK, "A", off + MINUTE);
    watermark(off + 10 * MINUTE);
    assertThat(alerts()).isEmpty();
  }

  @Test
  void anOutageSeenAfterTheFactIsOneAlertOpenedAtItsVerdictAndClosedWithItsReturn()
      throws Exception {
    // DeviceWatch saw A's outage only with its next record (the watermark held back by another
    // partition): offline and back arrive together, the return 30 minutes after the outage began
    heard("A", "B", "C", "D", "E", "F");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", off);
    in(DeviceStatus.Change.BACK, "A", off + 30 * MINUTE);
    assertThat(alerts()).as("nothing before event time reaches the verdict").isEmpty();
    watermark(off + 2 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1");
    assertThat(h.extractOutputValues().get(0).getFirstSeen().toEpochMilli()).isEqualTo(off);
    watermark(off + 30 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1", "G-A CLOSED x1");
    assertThat(h.extractOutputValues().get(1).getClosedAt().toEpochMilli())
        .isEqualTo(off + 30 * MINUTE);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).as("the count of devices heard from").isEqualTo(1);
  }

  @Test
  void anOutageSeenAfterTheFactShorterThanTheGraceRaisesNothing() throws Exception {
    heard("A", "B", "C", "D", "E", "F");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", off);
    in(DeviceStatus.Change.BACK, "A", off + 2 * MINUTE);
    watermark(off + 30 * MINUTE);
    assertThat(alerts()).isEmpty();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
  }

  @Test
  void aWholeFeedSeenDownAfterTheFactIsOneAlertForTheFeed() throws Exception {
    // four of five show their silence only with their next records, each pair arriving together
    heard("A", "B", "C", "D", "E");
    long off = T0 + 60 * MINUTE;
    for (String d : List.of("D", "A", "C", "B")) {
      in(DeviceStatus.Change.OFFLINE, d, off);
      in(DeviceStatus.Change.BACK, d, off + 20 * MINUTE);
    }
    watermark(off + 2 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4");
    watermark(off + 20 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4", "* CLOSED x4");
    assertThat(h.extractOutputValues().get(1).getClosedAt().toEpochMilli())
        .isEqualTo(off + 20 * MINUTE);
    watermark(off + 60 * MINUTE);
    assertThat(alerts()).as("no alert per device").hasSize(2);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
  }

  @Test
  void aDeviceRaisedAloneBeforeTheFeedWentDownKeepsItsAlertAndIsNotRaisedAgain() throws Exception {
    heard("A", "B", "C", "D", "E");
    long dead = T0 + 30 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "A", dead);
    watermark(dead + 2 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1");
    long off = T0 + 60 * MINUTE;
    for (String d : List.of("B", "C", "D")) in(DeviceStatus.Change.OFFLINE, d, off);
    watermark(off + 2 * MINUTE);
    assertThat(alerts()).containsExactly("G-A OPEN x1", "* OPEN x3");
    assertThat(h.extractOutputValues().get(1).getFirstSeen().toEpochMilli())
        .as("dated by the feed's own outages")
        .isEqualTo(off);
    for (String d : List.of("B", "C", "D")) in(DeviceStatus.Change.BACK, d, off + 20 * MINUTE);
    watermark(off + 60 * MINUTE);
    assertThat(alerts())
        .as("A's outage is still the one alert")
        .containsExactly("G-A OPEN x1", "* OPEN x3", "* CLOSED x3");
  }

  @Test
  void aFewOfManySilentAtOnceAreEachTheirOwnAlert() throws Exception {
    heard("A", "B", "C", "D", "E", "F", "G");
    long off = T0 + 60 * MINUTE;
    in(DeviceStatus.Change.OFFLINE, "B", off + 30_000);
    in(DeviceStatus.Change.OFFLINE, "A", off);
    in(DeviceStatus.Change.OFFLINE, "C", off + MINUTE);
    watermark(off + 2 * MINUTE);
    // three of seven at A's verdict: not most of the feed
    assertThat(alerts()).containsExactly("G-A OPEN x1");
    in(DeviceStatus.Change.BACK, "A", off + 2 * MINUTE + 1);
    watermark(off + 3 * MINUTE);
    assertThat(alerts())
        .containsExactly("G-A OPEN x1", "G-A CLOSED x1", "G-B OPEN x1", "G-C OPEN x1");
  }

  @Test
  void aWholeFeedDownIsOneAlertForTheFeed() throws Exception {
    heard("A", "B", "C", "D", "E");
    long off = T0 + 60 * MINUTE;
    for (String d : List.of("D", "A", "C", "B")) in(DeviceStatus.Change.OFFLINE, d, off);
    watermark(off + 2 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4");
    Alert feed = h.extractOutputValues().get(0);
    assertThat(feed.getAlertId()).isEqualTo("DEVICE_OFFLINE.*.SENSOR." + off);
    assertThat(feed.getEvidence()).hasSize(4);
    // the fifth too: the feed alert grows
    in(DeviceStatus.Change.OFFLINE, "E", off + 10 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4", "* OPEN x5");
    // three back: two of five silent, not most: the feed is back, the rest judged alone
    in(DeviceStatus.Change.BACK, "A", off + 20 * MINUTE);
    in(DeviceStatus.Change.BACK, "B", off + 20 * MINUTE);
    in(DeviceStatus.Change.BACK, "C", off + 20 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4", "* OPEN x5", "* CLOSED x5");
    in(DeviceStatus.Change.BACK, "D", off + 21 * MINUTE);
    watermark(off + 30 * MINUTE);
    assertThat(alerts()).containsExactly("* OPEN x4", "* OPEN x5", "* CLOSED x5", "G-E OPEN x1");
  }
}
