package org.gridfusion.jobs.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.common.config.Durations;
import org.gridfusion.schema.Severity;

/**
 * A versioned set of rules read from YAML or JSON (format in the README; the defaults are {@code
 * rules/default-rules.yaml}). Parsing checks everything a running job would trip over later and
 * names the rule, the field and the reason in its message, so a bad rule set is refused before it
 * replaces a good one.
 */
public record RuleSet(String version, List<Rule> rules, String source, List<GridOverride> overrides)
    implements Serializable {

  public RuleSet(String version, List<Rule> rules, String source) {
    this(version, rules, source, List.of());
  }

  /**
   * One rule's parameters for some grids: {@code rule} (the same id, kind and evidence, other
   * parameters) replaces the rule's base form in the grids named in {@code gridIds} and, failing
   * those, in grids of a kind in {@code gridKinds}.
   */
  public record GridOverride(String ruleId, Set<String> gridIds, Set<String> gridKinds, Rule rule)
      implements Serializable {}

  /**
   * The rules in force in one grid: each rule's override for the grid by id if there is one, else
   * for its kind, else the rule itself.
   */
  public List<Rule> rulesFor(String gridId, String gridKind) {
    if (overrides.isEmpty()) return rules;
    // by rule id: a city's set has hundreds of rules and overrides, and this runs once per grid
    Map<String, List<GridOverride>> byRule = new HashMap<>();
    for (GridOverride o : overrides) {
      byRule.computeIfAbsent(o.ruleId(), k -> new ArrayList<>()).add(o);
    }
    List<Rule> out = new ArrayList<>(rules.size());
    for (Rule base : rules) {
      Rule chosen = null;
      List<GridOverride> mine = byRule.getOrDefault(base.id(), List.of());
      for (GridOverride o : mine) {
        if (o.gridIds().contains(gridId)) {
          chosen = o.rule();
          break;
        }
      }
      if (chosen == null && gridKind != null) {
        for (GridOverride o : mine) {
          if (o.gridKinds().contains(gridKind)) {
            chosen = o.rule();
            break;
          }
        }
      }
      out.add(chosen == null ? base : chosen);
    }
    return List.copyOf(out);
  }

  private static final Set<String> SOURCES = Set.of("CAMERA", "SENSOR", "DEPARTMENT");
  private static final Set<String> FIELDS = Set.of("value", "confidence", "objectCount");
  private static final Set<String> GRID_KINDS =
      Set.of("BASIC", "SCHOOL", "HOSPITAL", "MARKET", "BUSINESS", "PARK", "INDUSTRIAL");

  public static final String DEFAULT_RESOURCE = "/rules/default-rules.yaml";

  public static RuleSet defaults() {
    try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-rules.yaml");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("default rules missing from the jar", e);
    }
  }

  /** Parses and checks a rule set; {@code origin} names it in messages. */
  public static RuleSet parse(String text, String origin) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new InvalidRuleSet(
          origin + ": not valid YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject())
      throw new InvalidRuleSet(origin + ": must be a mapping with 'version' and 'rules'");
    String version = root.path("version").asText("");
    if (version.isBlank())
      throw new InvalidRuleSet(origin + ": 'version' is required (every alert names it)");
    if (!root.path("rules").isArray() || root.path("rules").isEmpty())
      throw new InvalidRuleSet(origin + ": 'rules' must be a non-empty list");
    List<Rule> rules = new ArrayList<>();
    List<GridOverride> overrides = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode r : root.path("rules")) {
      i++;
      Reader rd =
          new Reader(
              r,
              origin
                  + ": rule #"
                  + i
                  + (r.path("id").isTextual() ? " (" + r.path("id").asText() + ")" : ""));
      Rule rule = rd.rule();
      if (!ids.add(rule.id())) throw rd.error("id", "appears twice");
      if (rule instanceof Rule.CoOccurrence c
          && c.unmatched() != null
          && !ids.add(c.unmatched().id())) {
        throw rd.error("unmatched.id", "'" + c.unmatched().id() + "' is already used");
      }
      rules.add(rule);
      overrides.addAll(rd.overrides(rule));
    }
    return new RuleSet(version, List.copyOf(rules), text, List.copyOf(overrides));
  }

  /** Reads one rule, every failure naming the rule and the field. */
  private static final class Reader {
    private final JsonNode n;
    private final String where;

    Reader(JsonNode n, String where) {
      this.n = n;
      this.where = where;
    }

    InvalidRuleSet error(String field, String why) {
      return new InvalidRuleSet(where + ", field '" + field + "': " + why);
    }

    /**
     * The rule's {@code overrides}: each {@code for} (gridId and/or gridKind lists) with a {@code
     * set} of parameters merged into the rule (mappings merged key by key, anything else replaced)
     * and read again as a whole rule, so an override is checked like any rule.
     */
    List<GridOverride> overrides(Rule base) {
      JsonNode list = n.path("overrides");
      if (list.isMissingNode()) return List.of();
      if (!list.isArray()) throw error("overrides", "must be a list of {for, set}");
      List<GridOverride> out = new ArrayList<>();
      int k = 0;
      for (JsonNode o : list) {
        String f = "overrides[" + k++ + "]";
        JsonNode forGrids = o.path("for");
        Set<String> gridIds = Set.copyOf(strings(forGrids.path("gridId")));
        Set<String> kinds = Set.copyOf(strings(forGrids.path("gridKind")));
        if (gridIds.isEmpty() && kinds.isEmpty())
          throw error(f + ".for", "needs gridId or gridKind (a name or a list)");
        for (String g : kinds)
          if (!GRID_KINDS.contains(g))
            throw error(f + ".for.gridKind", "'" + g + "' is not a grid kind " + GRID_KINDS);
        JsonNode set = o.path("set");
        if (!set.isObject() || set.isEmpty())
          throw error(f + ".set", "must be a mapping of the rule's parameters to change");
        for (String fixed : List.of("id", "kind", "overrides", "unmatched"))
          if (set.has(fixed)) throw error(f + ".set." + fixed, "cannot be overridden");
        ObjectNode merged = ((ObjectNode) n).deepCopy();
        merged.remove("overrides");
        merge(merged, (ObjectNode) set);
        Rule variant = new Reader(merged, where + " " + f).rule();
        out.add(new GridOverride(base.id(), gridIds, kinds, variant));
      }
      return out;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
      Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        JsonNode old = into.get(e.getKey());
        if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode v) merge(o, v);
        else into.set(e.getKey(), e.getValue().deepCopy());
      }
    }

    Rule rule() {
      if (!n.isObject()) throw new InvalidRuleSet(where + ": must be a mapping");
      String id = text(n, "id");
      if (!id.matches("[A-Z][A-Z0-9_]{0,63}"))
        throw error("id", "must be upper case letters, digits and _ (e.g. WATERLOGGING)");
      String title = n.path("title").asText(id);
      Severity severity = severity(n, "severity");
      List<Escalation> escalate = escalations();
      String kind = text(n, "kind");
      return switch (kind) {
        case "threshold" ->
            new Rule.Threshold(
                id, title, match(n.path("match"), "match", true), severity, escalate);
        case "consecutive" ->
            new Rule.Consecutive(
                id, title, match(n.path("match"), "match", true), count(2), severity, escalate);
        case "count" ->
            new Rule.Count(
                id,
                title,
                match(n.path("match"), "match", false),
                count(1),
                duration(n, "within"),
                severity,
                escalate);
        case "cooccurrence" -> {
          JsonNode both = n.path("match");
          if (!both.isArray() || both.size() != 2)
            throw error("match", "a cooccurrence rule needs a list of exactly two matches");
          Rule.Unmatched unmatched = null;
          if (n.has("unmatched")) {
            JsonNode u = n.path("unmatched");
            unmatched =
                new Rule.Unmatched(
                    text(u, "unmatched.id"),
                    u.path("title").asText(text(u, "unmatched.id")),
                    severity(u, "unmatched.severity"));
          }
          yield new Rule.CoOccurrence(
              id,
              title,
              match(both.get(0), "match[0]", false),
              match(both.get(1), "match[1]", false),
              duration(n, "within"),
              severity,
              escalate,
              unmatched);
        }
        case "lasting" -> {
          JsonNode h = n.path("localHours");
          LocalTime from = h.isMissingNode() ? LocalTime.MIN : time(h, "from");
          LocalTime to = h.isMissingNode() ? LocalTime.MIN : time(h, "to");
          yield new Rule.Lasting(
              id,
              title,
              match(n.path("match"), "match", true),
              duration(n, "lasting"),
              from,
              to,
              severity,
              escalate);
        }
        case "absence" -> {
          JsonNode s = n.path("subject");
          yield new Rule.Absence(
              id,
              title,
              text(s, "subject.recordType"),
              text(s, "subject.deviceAttribute"),
              match(n.path("match"), "match", false),
              duration(n, "silence"),
              severity,
              escalate);
        }
        default ->
            throw error(
                "kind",
                "'"
                    + kind
                    + "' is not one of threshold, consecutive, count, cooccurrence, lasting, absence");
      };
    }

    private int count(int min) {
      JsonNode c = n.path("count");
      if (!c.isInt() || c.asInt() < min) throw error("count", "must be a whole number ≥ " + min);
      return c.asInt();
    }

    private Match match(JsonNode m, String field, boolean needsThreshold) {
      if (!m.isObject()) throw error(field, "must be a mapping with source and type");
      String source = text(m, field + ".source");
      if (!SOURCES.contains(source))
        throw error(field + ".source", "'" + source + "' must be one of " + SOURCES);
      String type = text(m, field + ".type");
      String valueField = m.has("field") ? m.path("field").asText() : null;
      Double atLeast = null;
      if (m.has("atLeast")) {
        if (!m.path("atLeast").isNumber())
          throw error(field + ".atLeast", "must be a number, got " + m.path("atLeast"));
        atLeast = m.path("atLeast").asDouble();
        if (valueField == null)
          throw error(field + ".field", "is required with atLeast (one of " + FIELDS + ")");
      } else if (needsThreshold) {
        throw error(field + ".atLeast", "is required for this kind of rule");
      }
      if (valueField != null && !FIELDS.contains(valueField))
        throw error(field + ".field", "'" + valueField + "' must be one of " + FIELDS);
      return new Match(source, type, valueField, atLeast);
    }

    private List<Escalation> escalations() {
      List<Escalation> out = new ArrayList<>();
      int k = 0;
      for (JsonNode e : n.path("escalate")) {
        String f = "escalate[" + k++ + "]";
        Severity s = severity(e, f + ".severity");
        JsonNode when = e.path("when");
        if (!when.isObject() || when.isEmpty())
          throw error(f + ".when", "needs at least one of atLeast, gridKind, context, recent");
        Iterator<String> names = when.fieldNames();
        while (names.hasNext()) {
          String name = names.next();
          if (!Set.of("atLeast", "gridKind", "context", "recent").contains(name)) {
            throw error(
                f + ".when." + name, "unknown condition (use atLeast, gridKind, context, recent)");
          }
        }
        Double atLeast = null;
        if (when.has("atLeast")) {
          if (!when.path("atLeast").isNumber())
            throw error(f + ".when.atLeast", "must be a number");
          atLeast = when.path("atLeast").asDouble();
        }
        List<String> kinds = strings(when.path("gridKind"));
        for (String g : kinds)
          if (!GRID_KINDS.contains(g))
            throw error(f + ".when.gridKind", "'" + g + "' is not a grid kind " + GRID_KINDS);
        String context = when.has("context") ? when.path("context").asText() : null;
        List<String> recent = List.of();
        Duration within = null;
        if (when.has("recent")) {
          recent = strings(when.path("recent").path("types"));
          if (recent.isEmpty())
            throw error(f + ".when.recent.types", "needs at least one department record type");
          within = duration(when.path("recent"), "within", f + ".when.recent.within");
        }
        out.add(new Escalation(s, atLeast, kinds, context, recent, within));
      }
      return List.copyOf(out);
    }

    private List<String> strings(JsonNode v) {
      List<String> out = new ArrayList<>();
      if (v.isTextual()) out.add(v.asText());
      else v.forEach(x -> out.add(x.asText()));
      return out;
    }

    private Duration duration(JsonNode m, String field) {
      return duration(m, field, field);
    }

    private Duration duration(JsonNode m, String field, String name) {
      if (!m.path(field).isTextual()) throw error(name, "is required, e.g. 5m, 24h, 7d");
      try {
        Duration d = Durations.parse(m.path(field).asText());
        if (d.isZero() || d.isNegative()) throw error(name, "must be positive");
        return d;
      } catch (IllegalArgumentException e) {
        throw error(name, "'" + m.path(field).asText() + "' is not a duration: " + e.getMessage());
      }
    }

    private LocalTime time(JsonNode m, String field) {
      try {
        return LocalTime.parse(text(m, "localHours." + field));
      } catch (DateTimeParseException e) {
        throw error("localHours." + field, "must be HH:mm");
      }
    }

    private Severity severity(JsonNode m, String field) {
      String s =
          m.path(field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field)
              .asText("");
      try {
        return Severity.valueOf(s);
      } catch (IllegalArgumentException e) {
        throw error(field, "'" + s + "' must be GENERAL, IMPORTANT or URGENT");
      }
    }

    private String text(JsonNode m, String field) {
      JsonNode v =
          m.path(field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field);
      if (!v.isTextual() || v.asText().isBlank()) throw error(field, "is required");
      return v.asText();
    }
  }

  /** A rule set that cannot be used; the message names the rule and the field, and says why. */
  public static final class InvalidRuleSet extends RuntimeException {
    public InvalidRuleSet(String message) {
      super(message);
    }
  }
}
