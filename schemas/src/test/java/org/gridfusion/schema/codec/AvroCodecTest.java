package org.gridfusion.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecordBase;
import org.gridfusion.schema.SampleRecords;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.TopLevelSchemas;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.schema.codec.AvroCodec.SchemaHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec as a consumer meets it: bytes written by a producer on a released schema version (here
 * a generic writer, as a producer in another language would be) decode into today's generated class
 * with every value intact, and bytes of a schema it has never seen are refused.
 */
class AvroCodecTest {
  private static final Instant BEGINNING = Instant.parse("2026-11-24T00:15:30Z");

  static Stream<Arguments> releasedVersions() {
    return TopLevelSchemas.names().stream()
        .flatMap(name -> SchemaHistory.released(name).stream().map(s -> Arguments.of(name, s)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releasedVersions")
  void dataWrittenWithAReleasedSchemaDecodesIntoTheCurrentClass(String name, Schema released)
      throws Exception {
    Class<? extends SpecificRecordBase> type = TopLevelSchemas.generatedClass(name);
    GenericRecord written = SampleRecords.withEveryField(released);
    byte[] bytes = encodeGeneric(released, written);

    SpecificRecordBase decoded = codecFor(type).decode(bytes);

    assertThat(decoded).isInstanceOf(type);
    // Back through the current schema into the released one: a value lost or replaced by a default
    // on
    // the way would differ from what was written.
    GenericRecord readBack = readAs(released, decoded.getSchema(), codecFor(type).encode(decoded));
    assertThat(readBack.toString()).isEqualTo(written.toString());
  }

  @Test
  void aWorkOrderWrittenWithV1KeepsItsTimesEnumsAndHistory() throws Exception {
    Schema v1 = SchemaHistory.released("WorkOrder").get(0);
    GenericRecord written = SampleRecords.withEveryField(v1);
    written.put("createdAt", BEGINNING.toEpochMilli());
    written.put("grabDeadline", BEGINNING.plusSeconds(5 * 60).toEpochMilli());
    written.put("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "SPLIT"));
    byte[] bytes = encodeGeneric(v1, written);

    WorkOrder order = AvroCodec.of(WorkOrder.class).decode(bytes);

    assertThat(order.getCreatedAt()).isEqualTo(BEGINNING);
    assertThat(order.getStatus()).isEqualTo(WorkOrderStatus.SPLIT);
    assertThat(order.getLevel()).isEqualTo(Severity.URGENT);
    assertThat(order.getOverdue()).isTrue();
    assertThat(order.getGrabDeadline()).isEqualTo(BEGINNING.plusSeconds(5 * 60));
    assertThat(order.getHistory())
        .singleElement()
        .extracting(WorkOrderEvent::getAction)
        .isEqualTo("action-value");
  }

  @Test
  void anOlderReleasedVersionIsFoundByItsFingerprintAndResolved() throws Exception {
    Schema v1 = SchemaHistory.released("SchemaProbe").get(0);
    assertThat(SchemaNormalization.parsingFingerprint64(v1))
        .isNotEqualTo(SchemaNormalization.parsingFingerprint64(SchemaProbe.SCHEMA$));
    GenericRecord old = new GenericData.Record(v1);
    old.put("id", "p-1");
    old.put("reading", 42);
    byte[] bytes = encodeGeneric(v1, old);

    SchemaProbe probe = AvroCodec.of(SchemaProbe.class).decode(bytes);

    assertThat(probe.getId()).isEqualTo("p-1");
    assertThat(probe.getReading()).isEqualTo(42L);
    assertThat(probe.getNote()).isEqualTo("none");
  }

  @Test
  void aSchemaThatWasNeverReleasedIsRefused() {
    Schema unknown =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "SchemaProbe", "namespace": "org.gridfusion.schema.codec",
         "fields": [{"name": "id", "type": "string"}, {"name": "reading", "type": "double"}]}""");
    GenericRecord r = new GenericData.Record(unknown);
    r.put("id", "p-2");
    r.put("reading", 1.5);
    byte[] bytes = encodeGeneric(unknown, r);

    assertThatThrownBy(() -> AvroCodec.of(SchemaProbe.class).decode(bytes))
        .isInstanceOf(MissingSchemaException.class);
  }

  @Test
  void bytesWithoutTheMarkerAreRefused() {
    byte[] json = "{\"deviceId\":\"WL-1\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> AvroCodec.of(WorkOrder.class).decode(json))
        .isInstanceOf(BadHeaderException.class);
  }

  @Test
  void currentDataRoundTrips() throws Exception {
    WorkOrder order =
        WorkOrder.newBuilder()
            .setOrderId("wo-1")
            .setAlertId("a-1")
            .setRuleId("GAS_LEAK")
            .setLevel(Severity.IMPORTANT)
            .setCategory("IMPORTANT")
            .setStatus(WorkOrderStatus.REPORTED)
            .setGridId("G-001")
            .setCreatedAt(BEGINNING)
            .setDueAt(BEGINNING.plusSeconds(24 * 3600))
            .setGrabDeadline(BEGINNING.plusSeconds(30 * 60))
            .setHistory(
                List.of(WorkOrderEvent.newBuilder().setAction("OPENED").setTs(BEGINNING).build()))
            .build();
    AvroCodec<WorkOrder> codec = AvroCodec.of(WorkOrder.class);

    assertThat(codec.decode(codec.encode(order))).isEqualTo(order);
    assertThat(order.getDepartments()).isEmpty();
    assertThat(order.getOverdue()).isFalse();
    assertThat(order.getRating()).isNull();
  }

  @Test
  void threadsSharingOneCodecEachKeepTheirOwnScratchBuffer() throws Exception {
    AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);
    codec.decode(codec.encode(reading("first", 0))); // this thread first: the codec's owner
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (String device : List.of("WL-1", "GAS-LONGER-NAME-2")) {
        done.add(
            pool.submit(
                () -> {
                  int same = 0;
                  for (int i = 0; i < 20_000; i++) {
                    SensorReading r = reading(device, i);
                    if (codec.decode(codec.encode(r)).equals(r)) same++;
                  }
                  return same;
                }));
      }
      for (Future<Integer> f : done) assertThat(f.get()).isEqualTo(20_000);
    } finally {
      pool.shutdownNow();
    }
  }

  private static SensorReading reading(String device, int i) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setType("GAS")
        .setTs(BEGINNING.plusMillis(i))
        .setValue(i)
        .setReceivedAt(BEGINNING.plusMillis(i + 1))
        .build();
  }

  private static byte[] encodeGeneric(Schema schema, GenericRecord r) {
    try {
      ByteBuffer buf = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static GenericRecord readAs(Schema reader, Schema writer, byte[] bytes)
      throws IOException {
    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), reader);
    decoder.addSchema(writer);
    return decoder.decode(bytes);
  }

  @SuppressWarnings("unchecked")
  private static AvroCodec<SpecificRecordBase> codecFor(Class<? extends SpecificRecordBase> type) {
    return AvroCodec.of((Class<SpecificRecordBase>) type);
  }
}
