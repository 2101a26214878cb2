package org.gridfusion.jobs.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.privacy.PayloadPseudonymiser;

/**
 * The last step before {@code gf.deadletter}: every dead letter of the job — whichever operator
 * refused what — gets its payload and detail pseudonymised like every other output (contract §4),
 * with the same HMAC secret as the records, so a dead letter of a parseable but invalid input
 * carries no ID-card number, person id, name or phone in clear. One place, so an operator added
 * later cannot forget it.
 *
 * <p>Rule sets refused from {@code gf.rules} are left as they are: operators write them, they hold
 * no personal data, and masking a rule's {@code name:} would only make the refusal harder to read.
 */
public final class DeadLetterPrivacy extends RichMapFunction<String, String> {
  static final String RULES_ORIGIN = "gf.rules";

  private final String hmacSecret;
  private transient PayloadPseudonymiser privacy;

  public DeadLetterPrivacy(String hmacSecret) {
    this.hmacSecret = hmacSecret;
  }

  @Override
  public void open(OpenContext ctx) {
    privacy = new PayloadPseudonymiser(hmacSecret);
  }

  /** {@link #open} then {@link #map}: for tests without a Flink runtime. */
  String mapOpened(String letter) throws Exception {
    if (privacy == null) open(null);
    return map(letter);
  }

  @Override
  public String map(String letter) throws Exception {
    JsonNode n = Json.MAPPER.readTree(letter);
    if (!(n instanceof ObjectNode o) || RULES_ORIGIN.equals(o.path("origin").asText())) {
      return letter;
    }
    if (o.hasNonNull("payload")) o.put("payload", privacy.payload(o.get("payload").asText()));
    if (o.hasNonNull("detail")) o.put("detail", privacy.text(o.get("detail").asText()));
    return Json.write(o);
  }
}
