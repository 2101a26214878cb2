package org.gridfusion.simulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario file, parsed and checked but not yet placed in a district (see {@link ScenarioParser}
 * for the format and {@link ScenarioPlanner} for the placing).
 *
 * @param incidents entries that must each raise one alert
 * @param nearMisses entries that must not raise their rule's alert
 * @param feedOutages whole feeds silent together, each one feed alert
 */
public record ScenarioSpec(
    String name,
    String description,
    Start start,
    List<Entry> incidents,
    List<Entry> nearMisses,
    List<FeedOutage> feedOutages) {

  public ScenarioSpec {
    incidents = List.copyOf(incidents);
    nearMisses = List.copyOf(nearMisses);
    feedOutages = List.copyOf(feedOutages);
  }

  public ScenarioSpec(
      String name, String description, Start start, List<Entry> incidents, List<Entry> nearMisses) {
    this(name, description, start, incidents, nearMisses, List.of());
  }

  /**
   * A whole feed silent together (contract §10: one alert for the feed, gridId {@code *}): every
   * device of the feed reports at {@code at}, then none until {@code at + lasting}, when they all
   * report again. Only the sensor feed: cameras send detections, none of which is harmless.
   *
   * @param path where it is in the file, {@code feedOutages[0]}, for messages
   * @param at offset of the last reports before the silence from the start
   * @param lasting how long the feed is silent; longer than the sensors' allowance and the grace
   */
  public record FeedOutage(String path, String feed, Duration at, Duration lasting) {
    public String label() {
      return path + " " + feed + " feed silent for " + lasting.toMinutes() + "m";
    }
  }

  /**
   * When the scenario's event time begins: a fixed instant, or {@code ago} before the moment it is
   * played, optionally moved to a local time of day ({@code -5d@21:00}: five days ago at 21:00).
   */
  public record Start(Instant fixed, Duration ago, LocalTime timeOfDay, ZoneId zone) {

    /**
     * The start for a scenario played at {@code now}, in whole seconds (department records carry no
     * more).
     */
    public Instant resolve(Instant now) {
      if (fixed != null) return fixed;
      Instant t = now.minus(ago);
      if (timeOfDay != null)
        t = t.atZone(zone).toLocalDate().atTime(timeOfDay).atZone(zone).toInstant();
      return t.truncatedTo(ChronoUnit.SECONDS);
    }
  }

  /**
   * One incident ({@code incident} set) or near miss ({@code nearMiss} set).
   *
   * @param path where it is in the file, {@code incidents[2]}, for messages
   * @param at offset of the entry's deciding input from the start
   * @param gridId the grid to place it in, or null
   * @param deviceId the device to build it around, or null; both null: chosen by the planner
   * @param skew how far the device's clock is off (its inputs carry {@code ts} + skew but are
   *     delivered on time), or null
   * @param late how long after its {@code ts} each input of the entry is delivered, or null
   */
  public record Entry(
      String path,
      IncidentKind incident,
      NearMissKind nearMiss,
      Duration at,
      String gridId,
      String deviceId,
      Duration skew,
      Duration late) {

    public Entry(
        String path,
        IncidentKind incident,
        NearMissKind nearMiss,
        Duration at,
        String gridId,
        String deviceId) {
      this(path, incident, nearMiss, at, gridId, deviceId, null, null);
    }

    /** The rule the entry is about: the one it raises, or the one it must not raise. */
    public String rule() {
      return incident != null ? incident.rule() : nearMiss.rule();
    }

    /** The device type it is built around. */
    public String device() {
      return incident != null ? incident.device() : nearMiss.device();
    }

    public String label() {
      return path + " " + (incident != null ? incident.label() : nearMiss.name()) + conditions();
    }

    /** {@code " (skew +8m, late 20m)"}, or empty. */
    public String conditions() {
      if (skew == null && late == null) return "";
      List<String> c = new ArrayList<>();
      if (skew != null) c.add("skew " + signed(skew));
      if (late != null) c.add("late " + late.toMinutes() + "m");
      return " (" + String.join(", ", c) + ")";
    }

    private static String signed(Duration d) {
      return (d.isNegative() ? "-" : "+") + d.abs().toMinutes() + "m";
    }
  }
}
