package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.simulator.district.Address;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Smoke tests of the real ingress and stores: one input through each path (MQTT, HTTP, inbox,
 * database table, gf.rules) reaches the fusion job and comes out where the contract says, in Kafka
 * and in Elasticsearch. What the job makes of its inputs is tested exactly by the jobs module's
 * ITCases.
 */
@ExtendWith(EmbeddedStackExtension.class)
class IngressSmokeITCase {
  private TestPipeline gf;

  @BeforeEach
  void start() throws Exception {
    gf = TestPipeline.get();
  }

  @Test
  void aReadingOverMqttIsARecordAnAlertAndAScoreInKafkaAndElasticsearch() throws Exception {
    Device gauge = gf.district.sensors(SensorType.WATER_LEVEL).get(0);
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    gf.publish(
        "gf/sensors/WATER_LEVEL/" + gauge.deviceId(),
        "{\"ts\":\"" + ts + "\",\"value\":55,\"battery\":80}");
    String recordId = "SENSOR:" + gauge.deviceId() + ":WATER_LEVEL:" + ts.toEpochMilli();

    // the record: gf.records (transactional, visible at the next checkpoint) and gf-records
    Record record =
        gf.awaitOnKafka(Topics.RECORDS, Record.class, r -> r.getRecordId().equals(recordId));
    assertThat(record.getGridId()).isEqualTo(gauge.gridId());
    assertThat(gf.awaitDocument("gf-records", "recordId", recordId).get("gridId").asText())
        .isEqualTo(gauge.gridId());

    // its alert: gf.alerts and gf-alerts
    Alert alert =
        gf.awaitOnKafka(Topics.ALERTS, Alert.class, a -> a.getEvidence().contains(recordId));
    assertThat(alert.getRuleId()).isEqualTo("WATERLOGGING");
    assertThat(alert.getSeverity().name()).isEqualTo("URGENT");
    JsonNode document = gf.awaitDocument("gf-alerts", "alertId", alert.getAlertId());
    assertThat(document.get("gridId").asText()).isEqualTo(gauge.gridId());
    assertThat(document.get("evidence").get(0).asText()).isEqualTo(recordId);

    // the grid's score: gf.risk, gf-grid-risk and gf-grid-status
    RiskScore score =
        gf.awaitOnKafka(
            Topics.RISK,
            RiskScore.class,
            r -> r.getGridId().equals(gauge.gridId()) && r.getOpenAlerts() > 0);
    assertThat(score.getLevel().name()).isIn("HIGH", "CRITICAL");
    gf.awaitDocument("gf-grid-risk", "gridId", gauge.gridId());
    assertThat(gf.awaitDocument("gf-grid-status", "gridId", gauge.gridId()).get("location"))
        .isNotNull();
  }

  @Test
  void aCameraEventOverHttpIsPlacedInItsGridAndAnItemThatIsNoneIsRefused() throws Exception {
    Device camera = gf.district.cameras().get(0);
    HttpResponse<String> r =
        gf.postCameraEvents(
            "[{\"eventId\":\"smoke-cam-1\",\"cameraId\":\""
                + camera.deviceId()
                + "\",\"type\":\"INTRUSION\",\"ts\":\""
                + Instant.now()
                + "\",\"confidence\":0.91}, {\"eventId\":\"bad\",\"type\":\"UFO\"}]");
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode answer = TestPipeline.json(r.body());
    assertThat(answer.get("accepted").asInt()).isEqualTo(1);
    assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(
            gf.awaitDocument("gf-records", "recordId", "CAMERA:smoke-cam-1").get("gridId").asText())
        .isEqualTo(camera.gridId());
  }

  @Test
  void aDepartmentFileInTheInboxIsStoredAndMovedToDoneWithItsRejectedLine() throws Exception {
    Address address = gf.district.addresses().get(0);
    String line =
        "{\"recordId\":\"smoke-pol-1\",\"department\":\"POLICE\",\"recordType\":\"INCIDENT_REPORT\","
            + "\"ts\":\""
            + Instant.now()
            + "\",\"addressCode\":\""
            + address.addressCode()
            + "\",\"subjectId\":\"110101199001011234\",\"attributes\":{\"name\":\"张三\"}}\n";
    Path tmp = gf.pipeline.inboxDir().resolve(".police.tmp");
    Files.writeString(tmp, line + "not json\n");
    Files.move(tmp, gf.pipeline.inboxDir().resolve("police.jsonl"));

    JsonNode doc = gf.awaitDocument("gf-records", "recordId", "DEPARTMENT:smoke-pol-1");
    assertThat(doc.get("gridId").asText()).isEqualTo(address.gridId());
    assertThat(doc.toString()).doesNotContain("110101199001011234").doesNotContain("张三");
    assertThat(gf.pipeline.inboxDir().resolve("done/police.jsonl")).exists();
    assertThat(gf.pipeline.inboxDir().resolve("done/police.jsonl.rejected.jsonl")).exists();
  }

  @Test
  void aDepartmentRowInTheDatabaseIsStored() throws Exception {
    Address address = gf.district.addresses().get(1);
    gf.departmentRow(
        "smoke-jdbc-1", "HOUSING", "DANGEROUS_BUILDING", Instant.now(), address.addressCode());
    assertThat(
            gf.awaitDocument("gf-records", "recordId", "DEPARTMENT:smoke-jdbc-1")
                .get("gridId")
                .asText())
        .isEqualTo(address.gridId());
  }

  @Test
  void aMalformedReadingIsADeadLetterWithItsReasonAndPayload() throws Exception {
    gf.publish("gf/sensors/GAS/GAS-SMOKE", "{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":");
    JsonNode letter = gf.awaitDeadLetter("GAS-SMOKE");
    assertThat(letter.get("source").asText()).isEqualTo("sensor");
    assertThat(letter.get("reason").asText()).isEqualTo("MALFORMED");
    assertThat(letter.get("payload").asText())
        .isEqualTo("{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":");
  }

  @Test
  void aRuleSetOnGfRulesReachesTheRunningJobWhichRefusesABrokenOne() throws Exception {
    // a broken set changes nothing in force, so other tests are not affected
    RulePublisher.publishUnchecked(
        gf.stack.kafka(),
        "version: smoke-broken\nrules:\n  - id: WATERLOGGING\n    kind: threshold\n");
    JsonNode letter = gf.awaitDeadLetter("smoke-broken");
    assertThat(letter.get("reason").asText()).isEqualTo("INVALID_RULE_SET");
    assertThat(letter.get("source").asText()).isEqualTo("command");
    assertThat(letter.get("detail").asText()).contains("rule #1 (WATERLOGGING)");
  }
}
