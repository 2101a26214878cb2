package org.gridfusion.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.Records.BEGINNING;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.gridfusion.jobs.Records;
import org.gridfusion.schema.Record;
import org.junit.jupiter.api.Test;

class DeduplicateTest {
  @Test
  void aRecordIdSeenBeforeIsDroppedAndForgottenAfterTheTtl() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, Record, Record> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new Deduplicate(Duration.ofMinutes(10)), Record::getGridId, Types.STRING)) {
      Record r = Records.sensor("WL", "WATER_LEVEL", 31, BEGINNING, "G-1");
      Record other = Records.sensor("WL", "WATER_LEVEL", 31, BEGINNING.plusSeconds(1), "G-1");
      h.setProcessingTime(0);
      h.processElement(new StreamRecord<>(r, 0));
      h.processElement(new StreamRecord<>(r, 0)); // an MQTT redelivery
      h.processElement(new StreamRecord<>(other, 0));
      assertThat(h.extractOutputValues()).extracting(Record::getRecordId).containsExactly(r.getRecordId(), other.getRecordId());

      h.setProcessingTime(Duration.ofMinutes(9).toMillis());
      h.processElement(new StreamRecord<>(r, 0)); // a late redelivery, still within the TTL
      assertThat(h.extractOutputValues()).hasSize(2);

      h.setProcessingTime(Duration.ofMinutes(11).toMillis());
      assertThat(h.numKeyedStateEntries()).as("swept: nothing remembered past its TTL").isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
      h.processElement(new StreamRecord<>(r, 0)); // long after: remembered no more
      assertThat(h.extractOutputValues()).hasSize(3);
    }
  }
}
