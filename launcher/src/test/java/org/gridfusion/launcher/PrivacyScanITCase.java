package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.simulator.district.Address;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Writes records carrying known personal identifiers through the whole pipeline, then reads every
 * document of every GridFusion index: none of the identifiers may appear (contract §4).
 */
@ExtendWith(EmbeddedStackExtension.class)
class PrivacyScanITCase {
  private static final String ID_CARD = "150502198807154321";
  private static final String OLD_ID_CARD = "150502880715432";
  private static final String NAME = "巴特尔";
  private static final String PHONE = "13947501234";
  private static final String WATCHED = "P-WANTED-7781";

  @Test
  void noPersonalIdentifierReachesElasticsearch() throws Exception {
    TestPipeline gf = TestPipeline.get();
    Address home = gf.district.addresses().get(5);
    Instant now = Instant.now();
    gf.departmentFile(
        List.of(
            "{\"recordId\":\"privacy-1\",\"department\":\"JUSTICE\",\"recordType\":\"COMMUNITY_CORRECTION\",\"ts\":\""
                + now
                + "\",\"addressCode\":\""
                + home.addressCode()
                + "\",\"subjectId\":\""
                + ID_CARD
                + "\",\"attributes\":{\"name\":\""
                + NAME
                + "\",\"phone\":\""
                + PHONE
                + "\",\"note\":\"also known under "
                + OLD_ID_CARD
                + ", call "
                + PHONE
                + "\"}}"));
    Device camera = gf.district.cameras().get(3);
    assertThat(
            gf.postCameraEvents(
                    "{\"eventId\":\"privacy-cam-1\",\"cameraId\":\""
                        + camera.deviceId()
                        + "\",\"type\":\"WATCHLIST_MATCH\",\"ts\":\""
                        + now
                        + "\",\"confidence\":0.97,\"attributes\":{\"personId\":\""
                        + WATCHED
                        + "\",\"idNumber\":\""
                        + ID_CARD
                        + "\",\"name\":\""
                        + NAME
                        + "\"}}")
                .statusCode())
        .isEqualTo(202);

    String es = gf.stack.elasticsearchUrl();
    ElasticsearchProbe.awaitHits(
        es,
        "gf-records",
        "{\"query\":{\"terms\":{\"recordId\":[\"DEPARTMENT:privacy-1\",\"CAMERA:privacy-cam-1\"]}}}",
        2,
        TestPipeline.WITHIN);

    ElasticsearchProbe.refresh(es, "gf-*");
    ElasticsearchProbe.Hits all =
        ElasticsearchProbe.search(es, "gf-*", "{\"size\":10000,\"query\":{\"match_all\":{}}}");
    assertThat(all.total()).isLessThanOrEqualTo(10000).isGreaterThan(1);
    for (JsonNode doc : all.sources()) {
      assertThat(doc.toString()).doesNotContain(ID_CARD, OLD_ID_CARD, NAME, PHONE, WATCHED);
    }
    JsonNode dep =
        ElasticsearchProbe.search(
                es, "gf-records", "{\"query\":{\"term\":{\"recordId\":\"DEPARTMENT:privacy-1\"}}}")
            .sources()
            .get(0);
    assertThat(dep.get("subjectRef").asText()).startsWith("sr-");
  }

  /**
   * Inputs the connectors accept but the job cannot place (an address nobody registered, a camera
   * nobody registered and no coordinates) are dead-lettered by the job: with their contract
   * structure, and as pseudonymised as the records (contract §3, §4).
   */
  @Test
  void theJobsDeadLettersCarryNoPersonalIdentifierInClear() throws Exception {
    TestPipeline gf = TestPipeline.get();
    Instant now = Instant.now();
    gf.departmentFile(
        List.of(
            "{\"recordId\":\"privacy-dl-1\",\"department\":\"JUSTICE\",\"recordType\":\"COMMUNITY_CORRECTION\",\"ts\":\""
                + now
                + "\",\"addressCode\":\"NO-SUCH-ADDRESS\",\"subjectId\":\""
                + ID_CARD
                + "\",\"attributes\":{\"name\":\""
                + NAME
                + "\",\"phone\":\""
                + PHONE
                + "\"}}"));
    assertThat(
            gf.postCameraEvents(
                    "{\"eventId\":\"privacy-dl-cam\",\"cameraId\":\"NO-SUCH-CAMERA\",\"type\":\"WATCHLIST_MATCH\",\"ts\":\""
                        + now
                        + "\",\"confidence\":0.97,\"attributes\":{\"personId\":\""
                        + WATCHED
                        + "\",\"idNumber\":\""
                        + OLD_ID_CARD
                        + "\"}}")
                .statusCode())
        .isEqualTo(202);
    var letters =
        KafkaProbe.readUntil(
            gf.stack.kafkaBootstrap(),
            Topics.DEADLETTER,
            rs ->
                rs.stream().map(KafkaProbe::text).anyMatch(t -> t.contains("privacy-dl-1"))
                    && rs.stream()
                        .map(KafkaProbe::text)
                        .anyMatch(t -> t.contains("privacy-dl-cam")),
            TestPipeline.WITHIN);
    for (var r : letters) {
      assertThat(KafkaProbe.text(r)).doesNotContain(ID_CARD, OLD_ID_CARD, NAME, PHONE, WATCHED);
    }
    JsonNode dep =
        letters.stream()
            .map(KafkaProbe::text)
            .filter(t -> t.contains("privacy-dl-1"))
            .map(TestPipeline::json)
            .findFirst()
            .orElseThrow();
    assertThat(dep.get("reason").asText()).isEqualTo("UNKNOWN_ADDRESS");
    JsonNode payload = TestPipeline.json(dep.get("payload").asText());
    assertThat(payload.get("subjectRef").asText()).startsWith("sr-");
    assertThat(payload.get("addressCode").asText()).isEqualTo("NO-SUCH-ADDRESS");
  }
}
