package org.gridfusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * A rule file at city scale (issue 16): the nine entries of the default rule file (ten rules with
 * FIRE_CONFIRMED's unmatched complement FIRE_SUSPECTED) in many parameter sets, as a city tunes a
 * rule per district or purpose. Entry {@code i} is default entry {@code i % 9} in parameter set
 * {@code k = i / 9}: set 0 is the defaults themselves; set {@code k > 0} has ids suffixed {@code
 * _k} and is stricter — every threshold ({@code atLeast} of a value or object count, escalations
 * included) times {@code 1 + 0.02 k}, confidences {@code + 0.002 k} (at most 0.99), counts {@code +
 * k % 3}, silences {@code 24h + k % 24 h} — and every fifth set from the first carries a per-kind
 * override (SCHOOL grids: URGENT), every fifth from the second a per-grid one (grid {@code G-<k %
 * 200>}: GENERAL). Written as YAML text and read by {@link RuleSet#parse}, as a pushed file is.
 */
public final class CityRuleSet {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CityRuleSet() {}

  /** The rule file with {@code entries} rule entries. */
  public static String yaml(int entries) {
    try {
      JsonNode defaults;
      try (InputStream in = RuleSet.class.getResourceAsStream(RuleSet.DEFAULT_RESOURCE)) {
        defaults = YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      ArrayNode templates = (ArrayNode) defaults.path("rules");
      ObjectNode root = YAML.createObjectNode();
      root.put("version", "city-" + entries);
      ArrayNode rules = root.putArray("rules");
      for (int i = 0; i < entries; i++) {
        rules.add(parameterSet((ObjectNode) templates.get(i % templates.size()), i / 9));
      }
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parsed rule set of {@link #yaml}. */
  public static RuleSet of(int entries) {
    return RuleSet.parse(yaml(entries), "city-" + entries);
  }

  private static ObjectNode parameterSet(ObjectNode template, int k) {
    ObjectNode r = template.deepCopy();
    if (k == 0) return r;
    r.put("id", r.path("id").asText() + "_" + k);
    if (r.has("unmatched")) {
      ObjectNode u = (ObjectNode) r.get("unmatched");
      u.put("id", u.path("id").asText() + "_" + k);
    }
    JsonNode match = r.path("match");
    if (match.isArray()) match.forEach(m -> stricter((ObjectNode) m, k));
    else if (match.isObject()) stricter((ObjectNode) match, k);
    for (JsonNode e : r.path("escalate")) {
      if (e.path("when").has("atLeast")) stricter((ObjectNode) e.get("when"), k);
    }
    if (r.has("count")) r.put("count", r.path("count").asInt() + k % 3);
    if (r.has("silence")) r.put("silence", (24 + k % 24) + "h");
    if (k % 5 == 1) {
      ObjectNode o = r.putArray("overrides").addObject();
      o.putObject("for").put("gridKind", "SCHOOL");
      o.putObject("set").put("severity", "URGENT");
    } else if (k % 5 == 2) {
      ObjectNode o = r.putArray("overrides").addObject();
      o.putObject("for").put("gridId", MixedRecordStream.gridId(k % MixedRecordStream.GRIDS));
      o.putObject("set").put("severity", "GENERAL");
    }
    return r;
  }

  private static void stricter(ObjectNode m, int k) {
    if (!m.has("atLeast")) return;
    double at = m.path("atLeast").asDouble();
    String field = m.path("field").asText();
    if ("confidence".equals(field)) {
      m.put("atLeast", Math.min(0.99, round(at + 0.002 * k)));
    } else if ("objectCount".equals(field)) {
      m.put("atLeast", (long) Math.ceil(at * (1 + 0.02 * k)));
    } else {
      m.put("atLeast", round(at * (1 + 0.02 * k)));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
