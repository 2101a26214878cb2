package org.gridfusion.console;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridfusion.jobs.elasticsearch.EsWrite;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskFactor;
import org.gridfusion.schema.RiskLevel;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.Source;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.schema.codec.AvroCodec;

/**
 * The console's test data, built as the job builds it (Avro records, turned into documents by the
 * job's own {@code Documents}), and a two-grid map.
 */
final class Fixtures {
  static final String GRID_A = "G-A";
  static final String GRID_B = "G-B";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Fixtures() {}

  static Path gridMap(Path dir) throws Exception {
    Path file = dir.resolve("grids.geojson");
    Files.writeString(
        file,
        """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"gridId":"G-A","name":"Heping 1","kind":"BASIC","district":"D","street":"S01",
          "streetName":"Hongxing Street","community":"S01-C01","communityName":"Heping Community","households":400,"population":1000},
          "geometry":{"type":"Polygon","coordinates":[[[122.20,43.60],[122.21,43.60],[122.21,43.61],[122.20,43.61],[122.20,43.60]]]}},
         {"type":"Feature","properties":{"gridId":"G-B","name":"No. 1 Primary School","kind":"SCHOOL","district":"D","street":"S01",
          "streetName":"Hongxing Street","community":"S01-C01","communityName":"Heping Community","households":0,"population":800},
          "geometry":{"type":"Polygon","coordinates":[[[122.21,43.60],[122.22,43.60],[122.22,43.61],[122.21,43.61],[122.21,43.60]]]}}
        ]}
        """);
    return file;
  }

  static Alert alert(
      String alertId, String ruleId, String gridId, Severity severity, Instant firstSeen) {
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setRuleId(ruleId)
        .setRuleVersion("contract-5@1")
        .setTitle(ruleId + " in " + gridId)
        .setSeverity(severity)
        .setGridId(gridId)
        .setGridKind("BASIC")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setLat(43.605)
        .setLon(122.205)
        .setFirstSeen(firstSeen)
        .setLastSeen(firstSeen.plusSeconds(60))
        .setCount(2)
        .setEvidence(List.of("sensor:SMOKE-1:" + firstSeen.toEpochMilli()))
        .setStatus("OPEN")
        .setDetectedAt(firstSeen.plusSeconds(61))
        .build();
  }

  static WorkOrder workOrder(String orderId, String alertId, String gridId, Instant created) {
    List<WorkOrderEvent> history = new ArrayList<>();
    history.add(new WorkOrderEvent("REPORTED", null, null, created, "opened"));
    return WorkOrder.newBuilder()
        .setOrderId(orderId)
        .setAlertId(alertId)
        .setRuleId("WATERLOGGING")
        .setLevel(Severity.URGENT)
        .setCategory("URGENT")
        .setStatus(WorkOrderStatus.REPORTED)
        .setGridId(gridId)
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setAssignee(null)
        .setDepartments(new ArrayList<>())
        .setHistory(history)
        .setCreatedAt(created)
        .setDueAt(created.plusSeconds(7200))
        .setGrabDeadline(created.plusSeconds(300))
        .setOverdue(false)
        .setRating(null)
        .build();
  }

  static RiskScore risk(String gridId, Instant ts, double score, RiskLevel level) {
    return RiskScore.newBuilder()
        .setGridId(gridId)
        .setTs(ts)
        .setScore(score)
        .setLevel(level)
        .setFactors(
            List.of(
                new RiskFactor("alert:WATERLOGGING", score - 2),
                new RiskFactor("grid:population", 2.0)))
        .setOpenAlerts(1)
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setLat(43.605)
        .setLon(122.205)
        .setGridName("Heping 1")
        .setGridKind("BASIC")
        .build();
  }

  static Record record(String recordId, Source source, String type, String gridId, Instant ts) {
    return Record.newBuilder()
        .setRecordId(recordId)
        .setSource(source)
        .setType(type)
        .setDepartment(source == Source.DEPARTMENT ? "CIVIL_AFFAIRS" : null)
        .setTs(ts)
        .setLat(43.605)
        .setLon(122.205)
        .setGridId(gridId)
        .setGridKind("BASIC")
        .setDistrict("D")
        .setStreet("S01")
        .setCommunity("S01-C01")
        .setValue(source == Source.SENSOR ? 42.5 : null)
        .setDeviceId(source == Source.DEPARTMENT ? null : "DEV-" + recordId)
        .setSubjectRef(source == Source.DEPARTMENT ? "ref-" + recordId : null)
        .setAttributes(
            source == Source.DEPARTMENT ? Map.of("category", "=HYPERLINK(\"x\")") : Map.of())
        .setReceivedAt(ts.plusMillis(20))
        .build();
  }

  /** Writes a document as the job's sink would (same index and id), searchable at once. */
  static void index(String elasticsearchUrl, EsWrite w) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        elasticsearchUrl
                            + "/"
                            + w.index()
                            + "/_doc/"
                            + URLEncoder.encode(w.id(), StandardCharsets.UTF_8)
                            + "?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(w.json()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2)
      throw new IllegalStateException("cannot index " + w.id() + ": " + r.body());
  }

  /** Publishes Avro records as the job does (single-object encoding), waiting for Kafka's ack. */
  @SafeVarargs
  static <T extends SpecificRecordBase> void publish(
      String bootstrap, String topic, Class<T> type, T... values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroCodec<T> codec = AvroCodec.of(type);
    try (var producer =
        new KafkaProducer<String, byte[]>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (T v : values) producer.send(new ProducerRecord<>(topic, null, codec.encode(v))).get();
    }
  }
}
