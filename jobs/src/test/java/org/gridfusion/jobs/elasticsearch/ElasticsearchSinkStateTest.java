package org.gridfusion.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

/** The sink's checkpointed buffer keeps every field of a pending write. */
class ElasticsearchSinkStateTest {
  private final ElasticsearchSink.StateSerializer serializer =
      new ElasticsearchSink.StateSerializer();

  @Test
  void everyFieldOfEveryKindOfWriteSurvivesARoundTrip() throws Exception {
    List<EsWrite> writes =
        List.of(
            new EsWrite("gf-records-2026.11", "SENSOR:r-1", "{\"a\":\"ü\"}", false),
            new EsWrite("gf-alerts-2026.11", "A.1", "{\"count\":2}", true),
            EsWrite.latest("gf-grid-status", "G-1", "{\"score\":41.5}", 1_764_000_000_123L));

    BufferedRequestState<EsWrite> back =
        serializer.deserialize(serializer.getVersion(), serializer.serialize(state(writes)));

    assertThat(back.getBufferedRequestEntries())
        .extracting(RequestEntryWrapper::getRequestEntry)
        .containsExactlyElementsOf(writes);
    assertThat(back.getBufferedRequestEntries())
        .extracting(RequestEntryWrapper::getSize)
        .containsExactlyElementsOf(writes.stream().map(EsWrite::sizeInBytes).toList());
  }

  @Test
  void stateWrittenBeforeVersionsWereKeptStillRestores() throws Exception {
    // version 1 wrote index, id, json and upsert only
    byte[] v2 =
        serializer.serialize(state(List.of(new EsWrite("gf-alerts-2026.11", "A.1", "{}", true))));
    // The v2 entry ends with the "no version" flag: without it, it is exactly a v1 entry.
    byte[] v1 = withoutLastByteOfEntry(v2);

    BufferedRequestState<EsWrite> back = serializer.deserialize(1, v1);

    assertThat(back.getBufferedRequestEntries())
        .extracting(RequestEntryWrapper::getRequestEntry)
        .containsExactly(new EsWrite("gf-alerts-2026.11", "A.1", "{}", true));
  }

  private static BufferedRequestState<EsWrite> state(List<EsWrite> writes) {
    List<RequestEntryWrapper<EsWrite>> entries = new ArrayList<>();
    for (EsWrite w : writes) entries.add(new RequestEntryWrapper<>(w, w.sizeInBytes()));
    return new BufferedRequestState<>(entries);
  }

  /** A one-entry state is the header, then the entry; the entry's last byte is the flag. */
  private static byte[] withoutLastByteOfEntry(byte[] oneEntry) {
    byte[] out = new byte[oneEntry.length - 1];
    System.arraycopy(oneEntry, 0, out, 0, out.length);
    assertThat(new String(out, StandardCharsets.ISO_8859_1)).contains("A.1");
    return out;
  }
}
