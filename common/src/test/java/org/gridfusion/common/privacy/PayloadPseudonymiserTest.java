package org.gridfusion.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.json.Json;
import org.junit.jupiter.api.Test;

class PayloadPseudonymiserTest {
  private static final String SECRET = "test-secret-0123456789";
  private static final String ID = "150502198807154321";
  private static final String PHONE = "13947501234";
  private static final String NAME = "巴特尔";
  private static final String PERSON = "P-WANTED-7781";

  private final PayloadPseudonymiser privacy = new PayloadPseudonymiser(SECRET);
  private final Pseudonymiser refs = new Pseudonymiser(SECRET);

  @Test
  void aJsonPayloadKeepsItsShapeWithPersonalFieldsLikeInTheRecords() throws Exception {
    String payload =
        "{\"recordId\":\"r-1\",\"subjectId\":\""
            + ID
            + "\",\"ts\":\"2026-11-24T08:00:00Z\",\"attributes\":{\"name\":\""
            + NAME
            + "\",\"phone\":\""
            + PHONE
            + "\",\"note\":\"call "
            + PHONE
            + " about "
            + ID
            + "\",\"doorSensorId\":\"DOOR-1\"},\"lat\":99}";
    JsonNode out = Json.MAPPER.readTree(privacy.payload(payload));
    assertThat(out.toString()).doesNotContain(ID, PHONE, NAME);
    assertThat(out.has("subjectId")).isFalse();
    assertThat(out.get("subjectRef").asText()).isEqualTo(refs.subjectRef(ID));
    assertThat(out.get("recordId").asText()).isEqualTo("r-1");
    assertThat(out.get("lat").asInt()).isEqualTo(99);
    JsonNode a = out.get("attributes");
    assertThat(a.get("name").asText()).isEqualTo("巴**");
    assertThat(a.get("phone").asText()).isEqualTo("139******34");
    assertThat(a.get("note").asText()).contains(refs.subjectRef(ID));
    assertThat(a.get("doorSensorId").asText()).isEqualTo("DOOR-1");
  }

  @Test
  void theWatchlistPersonIsReplacedWhereverTheCameraPlatformPutsIt() {
    String payload =
        "[{\"eventId\":\"e-1\",\"type\":\"WATCHLIST_MATCH\",\"attributes\":{\"personId\":\""
            + PERSON
            + "\",\"matched_person\":{\"id\":\"X-1\",\"name\":\""
            + NAME
            + "\",\"idNumber\":"
            + ID
            + "}}}]";
    String out = privacy.payload(payload);
    assertThat(out).doesNotContain(PERSON, "X-1", NAME, ID).contains(refs.subjectRef(PERSON));
  }

  @Test
  void numbersThatAreIdCardsOrPhonesAreReplacedTooButOtherNumbersStay() {
    String out = privacy.payload("{\"value\":12.5,\"ts\":1764547200000,\"contact\":" + PHONE + "}");
    assertThat(out).doesNotContain(PHONE).contains("12.5").contains("1764547200000");
  }

  @Test
  void unparseableTextKeepsEverythingButQuotedPersonalFieldsAndNumbers() {
    String truncated =
        "{\"eventId\":\"e-9\",\"attributes\":{\"personId\":\""
            + PERSON
            + "\",\"name\":\""
            + NAME
            + "\",\"note\":\"id "
            + ID
            + " tel "
            + PHONE;
    String out = privacy.payload(truncated);
    assertThat(out)
        .doesNotContain(PERSON, NAME, ID, PHONE)
        .startsWith("{\"eventId\":\"e-9\"")
        .contains(refs.subjectRef(PERSON));
    // a person field cut in the middle of its value
    assertThat(privacy.payload("{\"subjectId\":\"1505021988")).doesNotContain("1505021988");
  }

  @Test
  void aPayloadWithNothingPersonalStaysByteForByte() {
    String payload = "{ \"ts\" : \"2026-11-24T08:15:30Z\", \"value\" : 1e3 }";
    assertThat(privacy.payload(payload)).isEqualTo(payload);
    assertThat(privacy.payload("{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":"))
        .isEqualTo("{\"ts\":\"2026-11-24T08:15:30Z\",\"value\":");
  }

  @Test
  void aCsvLineIsPseudonymisedColumnByColumn() {
    List<String> header = List.of("recordId", "subjectId", "attributes", "note");
    String line = "r-2," + ID + ",\"{\"\"name\"\":\"\"" + NAME + "\"\"}\",call " + PHONE;
    String out = privacy.csvLine(header, line);
    assertThat(out).doesNotContain(ID, NAME, PHONE).startsWith("r-2," + refs.subjectRef(ID) + ",");
  }

  @Test
  void aDeadLetterHasPayloadAndDetailPseudonymised() {
    DeadLetter letter =
        new DeadLetter(
            InputSource.DEPARTMENT,
            Reason.INVALID_FIELD,
            "subjectId " + ID + " is odd",
            "{\"subjectId\":\"" + ID + "\"}",
            0,
            "inbox:f.jsonl:3");
    String json = privacy.apply(letter).toJson();
    assertThat(json).doesNotContain(ID).contains("inbox:f.jsonl:3").contains("subjectRef");
  }

  @Test
  void hugeAndDeeplyNestedPayloadsAreHandledInOnePass() {
    String huge = "x".repeat(2_000_000);
    String truncated = "{\"personId\":\"" + huge + "\\\"" + huge;
    assertThat(privacy.payload(truncated)).startsWith("{\"personId\":\"sr-").doesNotContain(huge);
    String deep = "[".repeat(10_000) + "\"" + PHONE + "\"";
    assertThat(privacy.payload(deep)).doesNotContain(PHONE);
  }
}
