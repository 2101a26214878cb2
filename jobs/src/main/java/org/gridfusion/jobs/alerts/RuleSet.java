package org.gridfusion.jobs.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridfusion.schema.Severity;

/**
 * A versioned set of rules read from YAML (format in the README, defaults in
 * {@code rules/default-rules.yaml}). Every problem is reported with the rule and field it concerns.
 */
public record RuleSet(String version, List<ThresholdRule> thresholds) implements Serializable {
  private static final Set<String> FIELDS = Set.of("value", "confidence", "objectCount");

  public static RuleSet defaults() {
    try (InputStream in = RuleSet.class.getResourceAsStream("/rules/default-rules.yaml")) {
      return parse(in, "default-rules.yaml");
    } catch (IOException e) {
      throw new IllegalStateException("default rules missing from the jar", e);
    }
  }

  public static RuleSet parse(InputStream in, String origin) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
    if (root == null || !root.isObject()) throw new InvalidRuleSet(origin + ": must be a YAML mapping with version and rules");
    String version = root.path("version").asText("");
    if (version.isBlank()) throw new InvalidRuleSet(origin + ": 'version' is required");
    List<ThresholdRule> thresholds = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode r : root.path("rules")) {
      i++;
      String id = r.path("id").asText("");
      String where = origin + ": rule #" + i + (id.isBlank() ? "" : " (" + id + ")");
      if (id.isBlank()) throw new InvalidRuleSet(where + ": 'id' is required");
      if (!ids.add(id)) throw new InvalidRuleSet(where + ": id appears twice");
      String kind = r.path("kind").asText("");
      if (!kind.equals("threshold")) {
        throw new InvalidRuleSet(where + ": kind '" + kind + "' is not supported (supported: threshold)");
      }
      String field = r.path("field").asText("value");
      if (!FIELDS.contains(field)) throw new InvalidRuleSet(where + ": field '" + field + "' must be one of " + FIELDS);
      if (!r.path("atLeast").isNumber()) throw new InvalidRuleSet(where + ": 'atLeast' must be a number");
      List<ThresholdRule.Escalation> escalate = new ArrayList<>();
      for (JsonNode e : r.path("escalate")) {
        if (!e.path("atLeast").isNumber()) throw new InvalidRuleSet(where + ": escalate.atLeast must be a number");
        escalate.add(new ThresholdRule.Escalation(e.path("atLeast").asDouble(), severity(e, where + ": escalate")));
      }
      String source = r.path("match").path("source").asText("");
      String type = r.path("match").path("type").asText("");
      if (source.isBlank() || type.isBlank()) throw new InvalidRuleSet(where + ": match.source and match.type are required");
      thresholds.add(new ThresholdRule(id, r.path("title").asText(id), source, type, field,
          r.path("atLeast").asDouble(), severity(r, where), List.copyOf(escalate)));
    }
    if (thresholds.isEmpty()) throw new InvalidRuleSet(origin + ": no rules");
    return new RuleSet(version, List.copyOf(thresholds));
  }

  private static Severity severity(JsonNode n, String where) {
    String s = n.path("severity").asText("");
    try {
      return Severity.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidRuleSet(where + ": severity '" + s + "' must be GENERAL, IMPORTANT or URGENT");
    }
  }

  /** A rule set that cannot be used; the message says which rule and field, and why. */
  public static final class InvalidRuleSet extends RuntimeException {
    public InvalidRuleSet(String message) {
      super(message);
    }
  }
}
