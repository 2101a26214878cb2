package org.gridfusion.jobs.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.jobs.Records;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.schema.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One device's silences on the operator harness: offline past its allowance, back, not judged. */
class DeviceWatchTest {
  static final Instant T0 = Records.BEGINNING;
  static final String G = "G-1";

  @TempDir Path dir;
  KeyedOneInputStreamOperatorTestHarness<String, Record, DeviceStatus> h;

  ReferenceFiles reference;
  DeviceHealth health;

  @BeforeEach
  void setUp() throws Exception {
    reference =
        District.builder()
            .grid(G, "BASIC", 100)
            .sensor("DOOR-1", "DOOR")
            .sensor("GAS-1", "GAS")
            .build()
            .write(dir);
    health =
        new DeviceHealth(
            true,
            Map.of(
                "CAMERA",
                Duration.ofHours(24),
                "SENSOR",
                Duration.ofHours(1),
                "DOOR",
                Duration.ofHours(12)),
            0.5,
            3,
            Duration.ofMinutes(2));
    h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DeviceWatch(health, reference), Record::getDeviceId, Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  void in(Record r) throws Exception {
    h.processElement(new StreamRecord<>(r, r.getTs().toEpochMilli()));
  }

  void watermark(Instant t) throws Exception {
    h.processWatermark(new Watermark(t.toEpochMilli()));
  }

  List<DeviceStatus.Change> changes() {
    return h.extractOutputValues().stream().map(DeviceStatus::change).toList();
  }

  @Test
  void offlineOnceItsTypesAllowancePassesBackWithItsNextRecord() throws Exception {
    in(Records.sensor("GAS-1", "GAS", 1, T0, G));
    in(Records.sensor("GAS-1", "GAS", 1, T0.plus(Duration.ofMinutes(30)), G));
    assertThat(h.numEventTimeTimers())
        .as("one timer: the first deadline's, moved on when it fires")
        .isEqualTo(1);
    watermark(T0.plus(Duration.ofMinutes(90)).minusMillis(1));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD);
    watermark(T0.plus(Duration.ofMinutes(90)));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE);
    DeviceStatus offline = h.extractOutputValues().get(1);
    assertThat(offline.at()).isEqualTo(T0.plus(Duration.ofMinutes(90)).toEpochMilli());
    assertThat(offline.lastRecordId()).contains("GAS-1");
    assertThat(h.numEventTimeTimers()).isZero();
    watermark(T0.plus(Duration.ofHours(5)));
    assertThat(changes()).as("one outage, one change").hasSize(2);

    in(Records.sensor("GAS-1", "GAS", 1, T0.plus(Duration.ofHours(6)), G));
    assertThat(changes())
        .containsExactly(
            DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE, DeviceStatus.Change.BACK);
    assertThat(h.numEventTimeTimers()).isEqualTo(1);
    assertThat(h.numKeyedStateEntries()).as("the last record; offline cleared").isEqualTo(1);
  }

  @Test
  void aRecordThatArrivesBeforeEventTimeReachedTheDeadlineStillShowsTheOutageBeforeIt()
      throws Exception {
    // Another partition holds the watermark back: GAS-1's next record, three hours after its
    // last, is here before event time reached the one-hour deadline, whose timer it deletes.
    in(Records.sensor("GAS-1", "GAS", 1, T0, G));
    watermark(T0.plus(Duration.ofMinutes(10)));
    in(Records.sensor("GAS-1", "GAS", 1, T0.plus(Duration.ofHours(3)), G));
    assertThat(changes())
        .containsExactly(
            DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE, DeviceStatus.Change.BACK);
    DeviceStatus offline = h.extractOutputValues().get(1);
    assertThat(offline.at())
        .as("dated when the allowance passed")
        .isEqualTo(T0.plus(Duration.ofHours(1)).toEpochMilli());
    assertThat(offline.lastRecordId()).isEqualTo(h.extractOutputValues().get(0).lastRecordId());
    assertThat(h.extractOutputValues().get(2).at())
        .isEqualTo(T0.plus(Duration.ofHours(3)).toEpochMilli());
    assertThat(h.numEventTimeTimers()).as("watched anew from the record").isEqualTo(1);
    assertThat(h.numKeyedStateEntries()).as("the last record; not offline").isEqualTo(1);

    watermark(T0.plus(Duration.ofHours(4)).minusMillis(1));
    assertThat(changes()).as("one outage, raised once").hasSize(3);
    watermark(T0.plus(Duration.ofHours(4)));
    assertThat(changes())
        .as("the next silence")
        .hasSize(4)
        .last()
        .isEqualTo(DeviceStatus.Change.OFFLINE);
  }

  @Test
  void aWatermarkFarPastTheDeadlineDatesTheOutageAtTheDeadline() throws Exception {
    // the pending timer is the first record's; it passes itself on to the second record's
    // deadline within the same watermark
    in(Records.sensor("GAS-1", "GAS", 1, T0, G));
    in(Records.sensor("GAS-1", "GAS", 1, T0.plus(Duration.ofMinutes(30)), G));
    watermark(T0.plus(Duration.ofHours(5)));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE);
    assertThat(h.extractOutputValues().get(1).at())
        .isEqualTo(T0.plus(Duration.ofMinutes(90)).toEpochMilli());
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aShorterAllowanceThanThePendingTimersIsWatchedOnItsOwn() throws Exception {
    // a door's reading allows 12 hours; the same device's next reading, of another type, one
    in(Records.sensor("DOOR-1", "DOOR", 1, T0, G));
    in(Records.sensor("DOOR-1", "GAS", 1, T0.plus(Duration.ofHours(1)), G));
    watermark(T0.plus(Duration.ofHours(2)).minusMillis(1));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD);
    watermark(T0.plus(Duration.ofHours(2)));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE);
    assertThat(h.extractOutputValues().get(1).at())
        .isEqualTo(T0.plus(Duration.ofHours(2)).toEpochMilli());
    watermark(T0.plus(Duration.ofDays(1)));
    assertThat(changes()).as("the door's own timer changes nothing").hasSize(2);
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aRecordDatedExactlyAtTheDeadlineIsNoOutage() throws Exception {
    // on time, it comes before its watermark, so the timer at the deadline never fires before it
    in(Records.sensor("GAS-1", "GAS", 1, T0, G));
    in(Records.sensor("GAS-1", "GAS", 1, T0.plus(Duration.ofHours(1)), G));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD);
  }

  @Test
  void aSilenceBegunBeforeARestoreEndsAfterIt() throws Exception {
    in(Records.sensor("GAS-1", "GAS", 1, T0, G));
    watermark(T0.plus(Duration.ofMinutes(10)));
    var snapshot = h.snapshot(1L, 1L);
    h.close();
    h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new DeviceWatch(health, reference)),
            Record::getDeviceId,
            Types.STRING);
    h.setup();
    h.initializeState(snapshot);
    h.open();
    watermark(T0.plus(Duration.ofMinutes(60)));
    assertThat(changes())
        .as("no HEARD again: the device is known")
        .containsExactly(DeviceStatus.Change.OFFLINE);
  }

  @Test
  void aDoorIsAllowedItsOwnLongerSilence() throws Exception {
    in(Records.sensor("DOOR-1", "DOOR", 1, T0, G));
    watermark(T0.plus(Duration.ofHours(11)));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD);
    watermark(T0.plus(Duration.ofHours(12)));
    assertThat(changes()).containsExactly(DeviceStatus.Change.HEARD, DeviceStatus.Change.OFFLINE);
  }

  @Test
  void anUnregisteredDeviceIsNotJudged() throws Exception {
    in(Records.sensor("GAS-X", "GAS", 1, T0, G));
    watermark(T0.plus(Duration.ofDays(2)));
    assertThat(changes()).isEmpty();
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
  }
}
