package org.gridfusion.common.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.csv.Csv;
import org.gridfusion.common.json.Json;

/**
 * Pseudonymises what a dead letter carries (contract §3 payload and detail) the way every other
 * output is pseudonymised (contract §4), keeping the payload's shape so an operator can still see
 * what was wrong with it:
 *
 * <ul>
 *   <li>a JSON payload is walked field by field: {@code subjectId} becomes {@code subjectRef} (the
 *       same HMAC as in gf-records), other person fields ({@code personId}, {@code idNumber}...)
 *       their ref, names and phones are masked, and ID-card and phone numbers inside any other text
 *       or number are replaced — at any depth, so the person in a {@code WATCHLIST_MATCH}'s
 *       attributes is covered wherever a camera platform puts it;
 *   <li>a CSV line is treated the same way column by column ({@link #csvLine});
 *   <li>text that does not parse (truncated JSON, binary garbage) cannot be walked: quoted JSON
 *       fields with a personal name ({@code "personId":"..."}) and ID-card and phone numbers are
 *       replaced where found, everything else is kept as received. The README's Security section
 *       says how long {@code gf.deadletter} keeps it and how to restrict who reads it.
 * </ul>
 *
 * <p>Used by every connector (through their Kafka publisher) and by the fusion job's dead-letter
 * sink, with the same {@code privacy.hmacSecret}. Thread-safe; dead letters are rare, so one lock
 * around the {@link Pseudonymiser}'s MAC is cheaper than a MAC per thread.
 */
public final class PayloadPseudonymiser {
  /**
   * {@code "key" : "value"} or {@code "key" : 123} for a personal key, in text that is not JSON.
   */
  private static final Pattern QUOTED_FIELD =
      Pattern.compile(
          "\"("
              + alternatives()
              + ")\"(\\s*:\\s*)(\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"?|-?[0-9][0-9.eE+-]*+)",
          Pattern.CASE_INSENSITIVE);

  private final Pseudonymiser pseudonymiser;

  public PayloadPseudonymiser(String hmacSecret) {
    this.pseudonymiser = new Pseudonymiser(hmacSecret);
  }

  /** With {@code privacy.hmacSecret}, which every connector therefore needs (contract §7). */
  public static PayloadPseudonymiser from(Config c) {
    return new PayloadPseudonymiser(
        c.require(
            GridFusionOptions.PRIVACY_HMAC_SECRET,
            "to pseudonymise dead letters like every other output (at least 16 characters)"));
  }

  /** The letter with its payload and detail pseudonymised; source, reason and times unchanged. */
  public DeadLetter apply(DeadLetter letter) {
    return new DeadLetter(
        letter.source(),
        letter.reason(),
        letter.detail() == null ? null : text(letter.detail()),
        letter.payload() == null ? null : payload(letter.payload()),
        letter.receivedAt(),
        letter.origin());
  }

  /** A payload as received: JSON walked field by field, anything else treated as {@link #text}. */
  public synchronized String payload(String payload) {
    Parsed<JsonNode> json = InputParsers.json(payload);
    if (json instanceof Parsed.Ok<JsonNode> ok && (ok.value().isContainerNode())) {
      JsonNode safe = node(null, ok.value());
      // Nothing personal found: the text stays byte for byte as received (replays, diffs).
      return safe.equals(ok.value()) ? payload : Json.write(safe);
    }
    return textLocked(payload);
  }

  /** A JSON value made safe, for callers that hold the tree already. */
  public synchronized JsonNode json(JsonNode node) {
    return node(null, node);
  }

  /**
   * Text that is not JSON: quoted personal fields, ID-card and phone numbers replaced where found.
   */
  public synchronized String text(String text) {
    return textLocked(text);
  }

  /**
   * One CSV line of an inbox file, column by column by the header's names ({@code subjectId} keeps
   * its column but holds the ref; {@code attributes}, a JSON object as text, is walked); a line
   * that does not split is treated as {@link #text}.
   */
  public synchronized String csvLine(List<String> header, String line) {
    List<String> values;
    try {
      values = Csv.split(line);
    } catch (IllegalArgumentException e) {
      return textLocked(line);
    }
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      String column = i < header.size() ? header.get(i).trim() : "";
      String v = values.get(i);
      if (v.isEmpty()) {
        out.add(v);
      } else if (column.equals("attributes")) {
        Parsed<JsonNode> a = InputParsers.json(v);
        out.add(
            a instanceof Parsed.Ok<JsonNode> ok
                ? Json.write(node(null, ok.value()))
                : textLocked(v));
      } else {
        out.add(pseudonymiser.value(column, v));
      }
    }
    return out.stream().map(Csv::quote).collect(Collectors.joining(","));
  }

  private String textLocked(String text) {
    Matcher m = QUOTED_FIELD.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String raw = m.group(4) != null ? m.group(4) : m.group(3);
      String safe = pseudonymiser.value(key, raw);
      String replacement =
          "\"" + renamed(key) + "\"" + m.group(2) + "\"" + safe.replace("\"", "") + "\"";
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return pseudonymiser.scrub(sb.toString());
  }

  private JsonNode node(String key, JsonNode n) {
    return node(key, n, false);
  }

  /**
   * @param insidePerson under a person field ({@code "person":{"id":...}}): every value there is
   *     the person's, so it is replaced by its ref unless its own name says it is a name or phone
   */
  private JsonNode node(String key, JsonNode n, boolean insidePerson) {
    Pseudonymiser.Kind kind = key == null ? Pseudonymiser.Kind.TEXT : Pseudonymiser.kindOf(key);
    if (n.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      boolean person = insidePerson || kind == Pseudonymiser.Kind.PERSON;
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        out.set(renamed(f.getKey()), node(f.getKey(), f.getValue(), person));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : n) out.add(node(key, item, insidePerson));
      return out;
    }
    if (n.isTextual() || n.isNumber()) {
      String v = n.asText();
      if (kind != Pseudonymiser.Kind.TEXT) return TextNode.valueOf(pseudonymiser.value(key, v));
      if (insidePerson) return TextNode.valueOf(pseudonymiser.subjectRef(v));
      String safe = pseudonymiser.scrub(v);
      return safe.equals(v) ? n : TextNode.valueOf(safe);
    }
    return n; // booleans and nulls hold nothing personal
  }

  /** {@code subjectId} is stored as {@code subjectRef} everywhere else; the dead letter says so. */
  private static String renamed(String key) {
    return key.equalsIgnoreCase("subjectId") ? "subjectRef" : key;
  }

  /**
   * The personal keys as a regex alternation that also matches their camelCase and snake_case
   * spellings ({@code personId}, {@code person_id}).
   */
  private static String alternatives() {
    return Pseudonymiser.personalKeys().stream()
        .map(k -> k.toLowerCase(Locale.ROOT).chars().mapToObj(c -> Character.toString(c) + "_?"))
        .map(s -> s.collect(Collectors.joining()))
        .map(s -> s.substring(0, s.length() - 2))
        .collect(Collectors.joining("|"));
  }
}
