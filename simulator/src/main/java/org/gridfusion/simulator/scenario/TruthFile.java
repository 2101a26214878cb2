package org.gridfusion.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.gridfusion.common.json.Json;

/**
 * The ground truth of a played scenario, as {@code gridfusion evaluate --truth} reads it: one JSON
 * document.
 *
 * <pre>{@code
 * {"scenario":"default-rules","createdAt":"...","window":{"from":"...","to":"..."},"rules":["CROWD_GATHERING",...],
 *  "expected":[{"ruleId":"WATERLOGGING","gridId":"G-S01-C01-B01","severity":"URGENT",
 *               "firstSeen":"...","detectableAt":"...","sentAt":"...","source":"incidents[4] ...",
 *               "evidenceFrom":"..."}],
 *  "nearMisses":[{"label":"nearMisses[0] ...","gridId":"...","at":"...","mustNotRaise":["WATERLOGGING"],"sentAt":"..."}]}
 * }</pre>
 *
 * {@code window} is the event-time span of the scenario: the evaluator judges the alerts whose
 * {@code firstSeen} falls in it. {@code firstSeen} is the event time the alert must carry, {@code
 * detectableAt} the event time from which the pipeline can know it, {@code sentAt} the wall time at
 * which the simulator had the last input of the incident acknowledged. {@code rules} (derived,
 * written for readers) are the rules judged.
 */
public record TruthFile(
    String scenario,
    Instant createdAt,
    Instant from,
    Instant to,
    List<Expected> expected,
    List<NearMissNote> nearMisses) {

  /**
   * The rules the truth speaks about: those of the expected alerts and those the near misses must
   * not raise. Alerts of other rules (a work order overdue, §6, follows from an alert but is not a
   * detection) are not the scenario's to judge.
   */
  public SortedSet<String> rules() {
    SortedSet<String> rules = new TreeSet<>();
    expected.forEach(e -> rules.add(e.ruleId()));
    nearMisses.forEach(m -> rules.addAll(m.mustNotRaise()));
    return rules;
  }

  /** Same rule, same grid, less quiet than this: one alert (contract §5). */
  public static final Duration ALERT_QUIET = Duration.ofMinutes(30);

  public TruthFile {
    expected = List.copyOf(expected);
    nearMisses = List.copyOf(nearMisses);
  }

  /**
   * @param evidenceFrom event time of the incident's first input: rules judge inputs in arrival
   *     order, and inputs that overtake each other (a crowd's third sighting before its second)
   *     date the alert by whichever completed the evidence, anywhere from here to {@code firstSeen}
   */
  public record Expected(
      String ruleId,
      String gridId,
      Severity severity,
      Instant firstSeen,
      Instant detectableAt,
      Instant sentAt,
      String source,
      Instant evidenceFrom) {

    /**
     * The wall time the alert could have been raised at the earliest: the input was in, and event
     * time had come.
     */
    public Instant decidedAt() {
      return sentAt == null || detectableAt.isAfter(sentAt) ? detectableAt : sentAt;
    }
  }

  public record NearMissNote(
      String label, String gridId, Instant at, List<String> mustNotRaise, Instant sentAt) {}

  /** Collects the truth while a scenario (or a demo) is played; thread-safe. */
  public static final class Builder {
    private final String scenario;
    private final List<Expected> expected = new ArrayList<>();
    private final List<Instant> lastFirings = new ArrayList<>();
    private final List<NearMissNote> nearMisses = new ArrayList<>();
    private Instant from;
    private Instant to;

    public Builder(String scenario) {
      this.scenario = scenario;
    }

    /**
     * An expected alert. One that follows an expected alert of the same rule and grid within {@link
     * #ALERT_QUIET} is the same alert (§5): it is folded into it (highest severity), not counted
     * twice.
     */
    public Builder expect(GroundTruth t, Instant sentAt, String source) {
      return expect(t, t.eventTime(), sentAt, source);
    }

    public synchronized Builder expect(
        GroundTruth truth, Instant evidenceFrom, Instant sentAt, String source) {
      // Inputs carry event time to the millisecond, and so do the alerts; an instant with more
      // would
      // put its own alert just outside the window.
      GroundTruth t =
          new GroundTruth(
              truth.ruleId(),
              truth.gridId(),
              truth.severity(),
              millis(truth.eventTime()),
              millis(truth.detectableAt()));
      evidenceFrom = millis(evidenceFrom);
      for (int i = 0; i < expected.size(); i++) {
        Expected e = expected.get(i);
        if (e.ruleId().equals(t.ruleId())
            && e.gridId().equals(t.gridId())
            && !t.eventTime().isBefore(e.firstSeen())
            && !t.eventTime().isAfter(lastFirings.get(i).plus(ALERT_QUIET))) {
          Severity s = t.severity().compareTo(e.severity()) > 0 ? t.severity() : e.severity();
          // The alert's document is overwritten as it grows: its detectedAt is the wall time of
          // its latest update, so the delay is measured from the decision of the latest input
          // folded in (measured from the first, it was the time between the two incidents)
          Expected folded =
              new Expected(
                  e.ruleId(), e.gridId(), s, t.eventTime(), t.detectableAt(), sentAt, "", null);
          boolean later = e.sentAt() != null && folded.decidedAt().isAfter(e.decidedAt());
          expected.set(
              i,
              new Expected(
                  e.ruleId(),
                  e.gridId(),
                  s,
                  e.firstSeen(),
                  later ? t.detectableAt() : e.detectableAt(),
                  later ? sentAt : e.sentAt(),
                  e.source() + " + " + source,
                  e.evidenceFrom()));
          if (t.eventTime().isAfter(lastFirings.get(i))) lastFirings.set(i, t.eventTime());
          cover(t.eventTime(), t.detectableAt());
          return this;
        }
      }
      expected.add(
          new Expected(
              t.ruleId(),
              t.gridId(),
              t.severity(),
              t.eventTime(),
              t.detectableAt(),
              sentAt,
              source,
              evidenceFrom.isAfter(t.eventTime()) ? t.eventTime() : evidenceFrom));
      lastFirings.add(t.eventTime());
      cover(t.eventTime(), t.detectableAt());
      return this;
    }

    public synchronized Builder nearMiss(
        String label, String gridId, Instant at, List<String> mustNotRaise, Instant sentAt) {
      at = millis(at);
      nearMisses.add(new NearMissNote(label, gridId, at, mustNotRaise, sentAt));
      cover(at, at);
      return this;
    }

    /** Widens the event-time window to include {@code first} to {@code last}. */
    public synchronized Builder cover(Instant first, Instant last) {
      first = millis(first);
      last = millis(last);
      if (from == null || first.isBefore(from)) from = first;
      if (to == null || last.isAfter(to)) to = last;
      return this;
    }

    private static Instant millis(Instant t) {
      return t.truncatedTo(ChronoUnit.MILLIS);
    }

    public synchronized boolean isEmpty() {
      return expected.isEmpty() && nearMisses.isEmpty();
    }

    public synchronized TruthFile build() {
      Instant now = Instant.now();
      return new TruthFile(
          scenario, now, from == null ? now : from, to == null ? now : to, expected, nearMisses);
    }
  }

  public String toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("scenario", scenario);
    o.put("createdAt", createdAt.toString());
    o.putObject("window").put("from", from.toString()).put("to", to.toString());
    rules().forEach(o.putArray("rules")::add);
    ArrayNode ex = o.putArray("expected");
    for (Expected e : expected) {
      ObjectNode n =
          ex.addObject()
              .put("ruleId", e.ruleId())
              .put("gridId", e.gridId())
              .put("severity", e.severity().name())
              .put("firstSeen", e.firstSeen().toString())
              .put("detectableAt", e.detectableAt().toString());
      if (e.sentAt() != null) n.put("sentAt", e.sentAt().toString());
      n.put("source", e.source());
      n.put("evidenceFrom", e.evidenceFrom().toString());
    }
    ArrayNode nm = o.putArray("nearMisses");
    for (NearMissNote m : nearMisses) {
      ObjectNode n =
          nm.addObject()
              .put("label", m.label())
              .put("gridId", m.gridId())
              .put("at", m.at().toString());
      m.mustNotRaise().forEach(n.putArray("mustNotRaise")::add);
      if (m.sentAt() != null) n.put("sentAt", m.sentAt().toString());
    }
    return Json.write(o);
  }

  /** Writes the file atomically (a reader never sees half of it). */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    Files.writeString(tmp, toJson() + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static TruthFile read(Path file) throws IOException {
    try {
      return parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static TruthFile parse(String json) throws IOException {
    JsonNode o = Json.MAPPER.readTree(json);
    if (o == null
        || !o.isObject()
        || !o.path("window").isObject()
        || !o.path("expected").isArray()) {
      throw new IllegalArgumentException("not a ground-truth file (needs window and expected)");
    }
    List<Expected> expected = new ArrayList<>();
    for (JsonNode n : o.get("expected")) {
      expected.add(
          new Expected(
              required(n, "ruleId"),
              required(n, "gridId"),
              Severity.valueOf(required(n, "severity")),
              instant(n, "firstSeen"),
              n.has("detectableAt") ? instant(n, "detectableAt") : instant(n, "firstSeen"),
              n.has("sentAt") ? instant(n, "sentAt") : null,
              n.path("source").asText(""),
              n.has("evidenceFrom") ? instant(n, "evidenceFrom") : instant(n, "firstSeen")));
    }
    List<NearMissNote> nearMisses = new ArrayList<>();
    for (JsonNode n : o.path("nearMisses")) {
      List<String> rules = new ArrayList<>();
      n.path("mustNotRaise").forEach(r -> rules.add(r.asText()));
      nearMisses.add(
          new NearMissNote(
              n.path("label").asText(""),
              required(n, "gridId"),
              instant(n, "at"),
              rules,
              n.has("sentAt") ? instant(n, "sentAt") : null));
    }
    return new TruthFile(
        o.path("scenario").asText(""),
        o.has("createdAt") ? instant(o, "createdAt") : null,
        instant(o.get("window"), "from"),
        instant(o.get("window"), "to"),
        expected,
        nearMisses);
  }

  private static String required(JsonNode n, String key) {
    if (!n.hasNonNull(key)) throw new IllegalArgumentException("missing " + key + " in " + n);
    return n.get(key).asText();
  }

  private static Instant instant(JsonNode n, String key) {
    return Instant.parse(required(n, key));
  }
}
