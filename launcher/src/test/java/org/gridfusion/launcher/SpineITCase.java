package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The vertical slice through real components: MQTT, HTTP and inbox inputs through the connectors,
 * the fusion job on a MiniCluster, out to Kafka and Elasticsearch.
 */
@ExtendWith(EmbeddedStackExtension.class)
class SpineITCase {
  private static final Duration WITHIN = TestPipeline.WITHIN;

  private TestPipeline gf;
  private Endpoints stack;
  private District district;

  @BeforeEach
  void start() throws Exception {
    gf = TestPipeline.get();
    stack = gf.stack;
    district = gf.district;
  }

  private void publish(String topic, String payload) throws Exception {
    gf.publish(topic, payload);
  }

  @Test
  void waterLevelOf55BecomesAnUrgentWaterloggingAlertForItsGrid() throws Exception {
    Device sensor = district.sensors(SensorType.WATER_LEVEL).get(0);
    publish(
        "gf/sensors/WATER_LEVEL/" + sensor.deviceId(),
        "{\"ts\":\"" + Instant.now() + "\",\"value\":55,\"battery\":80}");

    String query =
        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\"WATERLOGGING\"}},"
            + "{\"term\":{\"gridId\":\""
            + sensor.gridId()
            + "\"}}]}}}";
    ElasticsearchProbe.Hits hits =
        ElasticsearchProbe.awaitHits(stack.elasticsearchUrl(), "gf-alerts", query, 1, WITHIN);
    JsonNode alert = hits.sources().get(0);
    assertThat(alert.get("severity").asText()).isEqualTo("URGENT");
    assertThat(alert.get("gridId").asText()).isEqualTo(sensor.gridId());
    assertThat(alert.get("evidence").get(0).asText()).startsWith("SENSOR:" + sensor.deviceId());

    // the record itself, in Kafka (exactly-once, visible at the next checkpoint) and in
    // Elasticsearch
    AvroCodec<Record> codec = AvroCodec.of(Record.class);
    KafkaProbe.readUntil(
        stack.kafkaBootstrap(),
        Topics.RECORDS,
        rs ->
            rs.stream()
                .anyMatch(
                    r -> {
                      try {
                        return codec.decode(r.value()).getDeviceId().equals(sensor.deviceId());
                      } catch (Exception e) {
                        return false;
                      }
                    }),
        WITHIN);
    ElasticsearchProbe.awaitHits(
        stack.elasticsearchUrl(),
        "gf-records",
        "{\"query\":{\"term\":{\"deviceId\":\"" + sensor.deviceId() + "\"}}}",
        1,
        WITHIN);
  }

  @Test
  void aMalformedPayloadLandsInTheDeadLetterTopicWithItsReason() throws Exception {
    publish("gf/sensors/GAS/GAS-SPINE", "{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":");
    var letters =
        KafkaProbe.readUntil(
            stack.kafkaBootstrap(),
            Topics.DEADLETTER,
            rs -> rs.stream().anyMatch(r -> KafkaProbe.text(r).contains("GAS-SPINE")),
            WITHIN);
    JsonNode letter =
        letters.stream()
            .map(KafkaProbe::text)
            .filter(t -> t.contains("GAS-SPINE"))
            .map(SpineITCase::json)
            .findFirst()
            .orElseThrow();
    assertThat(letter.get("source").asText()).isEqualTo("sensor");
    assertThat(letter.get("reason").asText()).isEqualTo("MALFORMED");
    assertThat(letter.get("payload").asText())
        .isEqualTo("{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":");
  }

  @Test
  void aCameraEventOverHttpIsPlacedInItsGrid() throws Exception {
    Device camera = district.cameras().get(0);
    String body =
        "[{\"eventId\":\"spine-cam-1\",\"cameraId\":\""
            + camera.deviceId()
            + "\",\"type\":\"FALL_DETECTED\","
            + "\"ts\":\""
            + Instant.now()
            + "\",\"confidence\":0.91}, {\"eventId\":\"bad\",\"type\":\"UFO\"}]";
    HttpResponse<String> r = gf.postCameraEvents(body);
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode answer = json(r.body());
    assertThat(answer.get("accepted").asInt()).isEqualTo(1);
    assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);

    JsonNode doc =
        ElasticsearchProbe.awaitHits(
                stack.elasticsearchUrl(),
                "gf-records",
                "{\"query\":{\"term\":{\"recordId\":\"CAMERA:spine-cam-1\"}}}",
                1,
                WITHIN)
            .sources()
            .get(0);
    assertThat(doc.get("gridId").asText()).isEqualTo(camera.gridId());
    ElasticsearchProbe.awaitHits(
        stack.elasticsearchUrl(),
        "gf-alerts",
        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"ruleId\":\"FALL_DETECTED\"}},{\"term\":{\"gridId\":\""
            + camera.gridId()
            + "\"}}]}}}",
        1,
        WITHIN);
  }

  @Test
  void aDepartmentFileInTheInboxIsStoredAndMovedToDone() throws Exception {
    var address = district.addresses().get(0);
    String line =
        "{\"recordId\":\"spine-pol-1\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\","
            + "\"ts\":\""
            + Instant.now()
            + "\",\"addressCode\":\""
            + address.addressCode()
            + "\","
            + "\"subjectId\":\"110101199001011234\",\"attributes\":{\"name\":\"张三\"}}\n";
    Path tmp = gf.pipeline.inboxDir().resolve(".police.tmp");
    Files.writeString(tmp, line + "not json\n");
    Files.move(tmp, gf.pipeline.inboxDir().resolve("police.jsonl"));

    JsonNode doc =
        ElasticsearchProbe.awaitHits(
                stack.elasticsearchUrl(),
                "gf-records",
                "{\"query\":{\"term\":{\"recordId\":\"DEPARTMENT:spine-pol-1\"}}}",
                1,
                WITHIN)
            .sources()
            .get(0);
    assertThat(doc.get("gridId").asText()).isEqualTo(address.gridId());
    assertThat(doc.toString()).doesNotContain("110101199001011234").doesNotContain("张三");
    assertThat(gf.pipeline.inboxDir().resolve("done/police.jsonl")).exists();
    assertThat(gf.pipeline.inboxDir().resolve("done/police.jsonl.rejected.jsonl")).exists();
  }

  private static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
