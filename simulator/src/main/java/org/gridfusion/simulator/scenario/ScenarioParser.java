package org.gridfusion.simulator.scenario;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridfusion.simulator.format.Timestamps;

/**
 * Reads scenario files: YAML, or JSON (which is YAML too). Every problem is reported at once, each
 * with its place in the file ({@code incidents[2].at: ...}).
 *
 * <pre>{@code
 * name: default-rules                 # required
 * description: ...                    # optional
 * start: "-5d@21:00"                  # ISO instant (2026-11-20T08:00:00Z), or relative to when it is
 *                                     # played: now, -3h, -5d, -1d12h, optionally @HH:mm local time
 * zone: Asia/Shanghai                 # zone of @HH:mm (default Asia/Shanghai, as time.zone)
 * incidents:                          # each must raise exactly one alert
 *   - rule: WATERLOGGING              # a default rule of contract §5
 *     severity: URGENT                # optional: picks the variant (default: the rule's base severity)
 *     at: +10m                        # offset from start of the deciding input (d, h, m, s)
 *     grid: auto                      # auto (default), a gridId, or instead
 *     device: WL-0003                 # the device to build it around
 * nearMisses:                         # each must raise nothing (or only what its kind says)
 *   - kind: WATERLOGGING_BELOW_THRESHOLD
 *     at: +20m
 * feedOutages:                        # optional: each must raise one DEVICE_OFFLINE for the feed
 *   - feed: SENSOR                    # every sensor but doors reports at `at`, then none for `for`
 *     at: +12h
 *     for: 4h                         # longer than the sensors' 3 h allowance and 2 min grace
 * }</pre>
 */
public final class ScenarioParser {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Set<String> TOP_KEYS =
      Set.of("name", "description", "start", "zone", "incidents", "nearMisses", "feedOutages");
  private static final Set<String> FEED_OUTAGE_KEYS = Set.of("feed", "at", "for");
  private static final Set<String> INCIDENT_KEYS =
      Set.of("rule", "severity", "kind", "at", "grid", "device", "skew", "late");
  private static final Set<String> NEAR_MISS_KEYS =
      Set.of("kind", "at", "grid", "device", "skew", "late");
  private static final Pattern SKEW = Pattern.compile("([+-])((?:\\d+[hms])+)");
  private static final Pattern RELATIVE =
      Pattern.compile("(now|-((?:\\d+[dhms])+))(?:@(\\d{1,2}:\\d{2}))?");
  private static final Pattern OFFSET = Pattern.compile("\\+?((?:\\d+[dhms])+)");
  private static final Pattern OFFSET_PART = Pattern.compile("(\\d+)([dhms])");

  private final List<String> problems = new ArrayList<>();

  private ScenarioParser() {}

  /** The scenario shipped with the simulator that covers every default rule and its near misses. */
  public static final String DEFAULT_RULES = "default-rules";

  /** A scenario shipped in {@code scenarios/NAME.yaml} on the class path. */
  public static ScenarioSpec builtIn(String name) {
    String resource = "scenarios/" + name + ".yaml";
    try (var in = ScenarioParser.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no built-in scenario " + name);
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ScenarioSpec parse(Path file) throws IOException {
    return parse(Files.readString(file), file.getFileName().toString());
  }

  /**
   * @param origin the file's name, for messages
   * @throws ScenarioException naming every problem
   */
  public static ScenarioSpec parse(String text, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new ScenarioException(
          origin,
          List.of(
              "not YAML or JSON: "
                  + e.getOriginalMessage()
                  + (e.getLocation() == null
                      ? ""
                      : " (line " + e.getLocation().getLineNr() + ")")));
    } catch (IOException e) {
      throw new ScenarioException(origin, List.of("unreadable: " + e.getMessage()));
    }
    ScenarioParser p = new ScenarioParser();
    ScenarioSpec spec = p.scenario(root);
    if (!p.problems.isEmpty()) throw new ScenarioException(origin, p.problems);
    return spec;
  }

  private ScenarioSpec scenario(JsonNode root) {
    if (root == null || !root.isObject()) {
      problems.add("expected a mapping with " + sorted(TOP_KEYS));
      return null;
    }
    unknownKeys(root, "", TOP_KEYS);
    String name = text(root, "name", "name", true);
    String description = text(root, "description", "description", false);
    ZoneId zone = Timestamps.LOCAL_ZONE;
    String zoneText = text(root, "zone", "zone", false);
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        problems.add("zone: unknown time zone '" + zoneText + "'");
      }
    }
    ScenarioSpec.Start start = start(text(root, "start", "start", true), zone);
    List<ScenarioSpec.Entry> incidents = entries(root, "incidents", true);
    List<ScenarioSpec.Entry> nearMisses = entries(root, "nearMisses", false);
    List<ScenarioSpec.FeedOutage> feedOutages = feedOutages(root);
    if (incidents.isEmpty() && nearMisses.isEmpty() && problems.isEmpty()) {
      problems.add("no incidents and no nearMisses: nothing to play");
    }
    return problems.isEmpty()
        ? new ScenarioSpec(name, description, start, incidents, nearMisses, feedOutages)
        : null;
  }

  private List<ScenarioSpec.FeedOutage> feedOutages(JsonNode root) {
    List<ScenarioSpec.FeedOutage> out = new ArrayList<>();
    JsonNode list = root.get("feedOutages");
    if (list == null || list.isNull()) return out;
    if (!list.isArray()) {
      problems.add("feedOutages: expected a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "feedOutages[" + i + "]";
      JsonNode e = list.get(i);
      if (!e.isObject()) {
        problems.add(path + ": expected a mapping with " + sorted(FEED_OUTAGE_KEYS));
        continue;
      }
      int before = problems.size();
      unknownKeys(e, path + ".", FEED_OUTAGE_KEYS);
      String feed = text(e, "feed", path + ".feed", true);
      if (feed != null && !feed.equals("SENSOR"))
        problems.add(
            path
                + ".feed: '"
                + feed
                + "' is not SENSOR (cameras send only detections, none of them harmless)");
      Duration at = offset(text(e, "at", path + ".at", true), path + ".at");
      Duration lasting = offset(text(e, "for", path + ".for", true), path + ".for");
      Duration least = Incidents.SENSOR_SILENCE.plus(Incidents.FEED_GRACE);
      if (lasting != null && lasting.compareTo(least) <= 0)
        problems.add(
            path
                + ".for: "
                + lasting.toMinutes()
                + "m is no outage: a sensor is allowed "
                + Incidents.SENSOR_SILENCE.toMinutes()
                + "m of silence and the feed's verdict waits "
                + Incidents.FEED_GRACE.toMinutes()
                + "m more");
      if (problems.size() == before) out.add(new ScenarioSpec.FeedOutage(path, feed, at, lasting));
    }
    return out;
  }

  private ScenarioSpec.Start start(String text, ZoneId zone) {
    if (text == null) return null;
    Matcher m = RELATIVE.matcher(text.trim());
    if (m.matches()) {
      Duration ago = m.group(2) == null ? Duration.ZERO : duration(m.group(2));
      LocalTime at = null;
      if (m.group(3) != null) {
        try {
          at = LocalTime.parse(m.group(3).length() == 4 ? "0" + m.group(3) : m.group(3));
        } catch (DateTimeException e) {
          problems.add("start: '" + m.group(3) + "' is no time of day (HH:mm)");
        }
      }
      return new ScenarioSpec.Start(null, ago, at, zone);
    }
    try {
      return new ScenarioSpec.Start(
          OffsetDateTime.parse(text.trim()).toInstant(), null, null, zone);
    } catch (DateTimeException e) {
      problems.add(
          "start: '"
              + text
              + "' is neither an ISO-8601 instant with offset (2026-11-20T08:00:00Z) nor relative"
              + " (now, -3h, -5d, -5d@21:00)");
      return null;
    }
  }

  private List<ScenarioSpec.Entry> entries(JsonNode root, String key, boolean incidents) {
    List<ScenarioSpec.Entry> out = new ArrayList<>();
    JsonNode list = root.get(key);
    if (list == null || list.isNull()) return out;
    if (!list.isArray()) {
      problems.add(key + ": expected a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      JsonNode e = list.get(i);
      if (!e.isObject()) {
        problems.add(
            path
                + ": expected a mapping with "
                + sorted(incidents ? INCIDENT_KEYS : NEAR_MISS_KEYS));
        continue;
      }
      int before = problems.size();
      unknownKeys(e, path + ".", incidents ? INCIDENT_KEYS : NEAR_MISS_KEYS);
      IncidentKind incident = incidents ? incidentKind(e, path) : null;
      NearMissKind nearMiss = incidents ? null : nearMissKind(e, path);
      Duration at = offset(text(e, "at", path + ".at", true), path + ".at");
      String grid = text(e, "grid", path + ".grid", false);
      String device = text(e, "device", path + ".device", false);
      if (grid != null && device != null) {
        problems.add(path + ": give grid or device, not both");
      }
      if ("auto".equals(grid)) grid = null;
      Duration skew = skew(text(e, "skew", path + ".skew", false), path + ".skew");
      String lateText = text(e, "late", path + ".late", false);
      Duration late = lateText == null ? null : offset(lateText, path + ".late");
      if (late != null && late.isZero()) late = null;
      if (problems.size() == before)
        out.add(new ScenarioSpec.Entry(path, incident, nearMiss, at, grid, device, skew, late));
    }
    return out;
  }

  /**
   * A device clock's offset, {@code +8m} or {@code -5m}: within the contract's 10 minutes (§3),
   * since a clock further ahead is refused (the near miss CLOCK_AHEAD_BEYOND_TOLERANCE).
   */
  private Duration skew(String text, String path) {
    if (text == null) return null;
    Matcher m = SKEW.matcher(text);
    if (!m.matches()) {
      problems.add(path + ": '" + text + "' is no clock offset; use e.g. +8m or -5m");
      return null;
    }
    Duration d = duration(m.group(2));
    if (d.compareTo(Incidents.MAX_FUTURE) > 0) {
      problems.add(
          path
              + ": "
              + text
              + " is beyond the 10-minute tolerance of contract §3 (a clock that far ahead is"
              + " refused: use the near miss CLOCK_AHEAD_BEYOND_TOLERANCE)");
      return null;
    }
    if (d.isZero()) return null;
    return m.group(1).equals("-") ? d.negated() : d;
  }

  private IncidentKind incidentKind(JsonNode e, String path) {
    String kind = text(e, "kind", path + ".kind", false);
    if (kind != null) {
      if (e.has("rule") || e.has("severity")) {
        problems.add(path + ": give rule (and severity) or kind, not both");
        return null;
      }
      try {
        return IncidentKind.valueOf(kind);
      } catch (IllegalArgumentException x) {
        problems.add(
            path
                + ".kind: unknown incident '"
                + kind
                + "'; known: "
                + String.join(", ", Arrays.stream(IncidentKind.values()).map(Enum::name).toList()));
        return null;
      }
    }
    String rule = text(e, "rule", path + ".rule", true);
    if (rule == null) return null;
    List<IncidentKind> kinds = IncidentKind.of(rule);
    if (kinds.isEmpty()) {
      problems.add(
          path
              + ".rule: unknown rule '"
              + rule
              + "'; default rules: "
              + String.join(", ", IncidentKind.rules()));
      return null;
    }
    String severity = text(e, "severity", path + ".severity", false);
    if (severity == null) return kinds.get(0);
    for (IncidentKind k : kinds) if (k.severity().name().equals(severity)) return k;
    problems.add(
        path
            + ".severity: "
            + rule
            + " can be "
            + String.join(" or ", kinds.stream().map(k -> k.severity().name()).toList())
            + ", not '"
            + severity
            + "'");
    return null;
  }

  private NearMissKind nearMissKind(JsonNode e, String path) {
    String kind = text(e, "kind", path + ".kind", true);
    if (kind == null) return null;
    try {
      return NearMissKind.valueOf(kind);
    } catch (IllegalArgumentException x) {
      problems.add(
          path
              + ".kind: unknown near miss '"
              + kind
              + "'; known: "
              + String.join(", ", Arrays.stream(NearMissKind.values()).map(Enum::name).toList()));
      return null;
    }
  }

  private Duration offset(String text, String path) {
    if (text == null) return null;
    Matcher m = OFFSET.matcher(text.trim());
    if (!m.matches()) {
      problems.add(path + ": '" + text + "' is no offset from start; use e.g. +10m, +3h30m, +1d");
      return null;
    }
    return duration(m.group(1));
  }

  private static Duration duration(String parts) {
    Duration d = Duration.ZERO;
    Matcher m = OFFSET_PART.matcher(parts);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
    }
    return d;
  }

  private String text(JsonNode node, String key, String path, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) problems.add(path + ": missing");
      return null;
    }
    if (!v.isValueNode()) {
      problems.add(path + ": expected a single value");
      return null;
    }
    String s = v.asText().trim();
    if (s.isEmpty()) {
      if (required) problems.add(path + ": empty");
      return null;
    }
    return s;
  }

  private void unknownKeys(JsonNode node, String prefix, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k))
        problems.add(prefix + k + ": unknown key; expected " + sorted(allowed));
    }
  }

  private static String sorted(Set<String> keys) {
    return String.join(", ", keys.stream().sorted().toList());
  }
}
