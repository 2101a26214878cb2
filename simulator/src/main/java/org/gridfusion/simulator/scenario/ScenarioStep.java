package org.gridfusion.simulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * One placed entry of a scenario: the inputs to send, the alert they must raise (if any), and the
 * rules they must not raise.
 *
 * <p>An item's {@code eventTime} is when it is delivered; its payload carries the device's own
 * {@code ts}. The two differ for a device whose clock is skewed and for inputs delivered late.
 */
public record ScenarioStep(
    String label,
    String gridId,
    List<TrafficItem> items,
    Optional<GroundTruth> expected,
    List<String> mustNotRaise) {

  public ScenarioStep {
    items = items.stream().sorted(Comparator.comparing(TrafficItem::eventTime)).toList();
    mustNotRaise = List.copyOf(mustNotRaise);
  }

  static ScenarioStep of(String path, Incident i) {
    return new ScenarioStep(
        path + " " + i.name(), i.truth().gridId(), i.items(), Optional.of(i.truth()), List.of());
  }

  static ScenarioStep of(String path, NearMiss m) {
    return new ScenarioStep(
        path + " " + m.name(), m.gridId(), m.items(), m.raises(), m.mustNotRaise());
  }

  /** Margin before a step's first input in which background traffic leaves its devices alone. */
  public static final Duration QUIET_BEFORE = Duration.ofMinutes(20);

  /**
   * The step with its device's clock off by {@code skew} (its items were built {@code skew} late,
   * so they carry the skewed {@code ts}, and are delivered on time) and its inputs delivered {@code
   * late}: the alert, dated by the inputs' {@code ts}, can be known once the last of them has
   * arrived. Department records go through neither.
   */
  ScenarioStep delivered(Duration skew, Duration late) {
    if (skew.isZero() && late.isZero()) return this;
    List<TrafficItem> moved =
        items.stream()
            .map(
                i ->
                    i.source() == TrafficSource.DEPARTMENT
                        ? i
                        : i.deliveredAt(i.eventTime().minus(skew).plus(late)))
            .toList();
    return new ScenarioStep(
        label,
        gridId,
        moved,
        expected.map(
            t ->
                new GroundTruth(
                    t.ruleId(),
                    t.gridId(),
                    t.severity(),
                    t.eventTime(),
                    t.detectableAt().plus(late))),
        mustNotRaise);
  }

  /** The devices whose readings and camera events the step sends. */
  public Set<String> deviceIds() {
    Set<String> ids = new TreeSet<>();
    for (TrafficItem i : items) {
      String id = i.deviceId();
      if (id != null) ids.add(id);
    }
    return ids;
  }

  /**
   * When background traffic must leave the step's devices alone: from {@link #QUIET_BEFORE} before
   * its first device input (a skewed one included) until the later of its last input and the moment
   * its alert can be known (a dead device stays silent until its outage is raised; an elderly
   * person's door for the day of silence). Another reading in that span would change the outcome: a
   * noise reading under the line breaks a lasting noise, a door opening ends a silence.
   */
  public Instant quietFrom() {
    Instant first = null;
    for (TrafficItem i : items) {
      if (i.source() == TrafficSource.DEPARTMENT) continue;
      if (first == null || i.eventTime().isBefore(first)) first = i.eventTime();
    }
    return (first == null ? firstEventTime() : first).minus(QUIET_BEFORE);
  }

  public Instant quietTo(String deviceId) {
    // a dead device is dead: heard again, even after its outage was raised, it would be back
    // (a feed's outage ends with its devices reporting again)
    if (expected.isPresent()
        && expected.get().ruleId().equals("DEVICE_OFFLINE")
        && !ScenarioPlanner.FEED_GRID.equals(gridId)) return Instant.MAX;
    Instant to = null;
    for (TrafficItem i : items) {
      if (deviceId.equals(i.deviceId()) && (to == null || i.eventTime().isAfter(to)))
        to = i.eventTime();
    }
    if (to == null) to = lastEventTime();
    if (expected.isPresent() && expected.get().detectableAt().isAfter(to))
      to = expected.get().detectableAt();
    return to.plus(Duration.ofMinutes(1));
  }

  /** Whether the step is a whole feed's outage (its alert is about the feed, gridId {@code *}). */
  public boolean feedOutage() {
    return ScenarioPlanner.FEED_GRID.equals(gridId);
  }

  public Instant firstEventTime() {
    return items.get(0).eventTime();
  }

  public Instant lastEventTime() {
    return items.get(items.size() - 1).eventTime();
  }
}
