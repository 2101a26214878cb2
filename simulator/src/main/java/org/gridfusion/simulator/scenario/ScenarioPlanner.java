package org.gridfusion.simulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * Places a {@link ScenarioSpec} in a district at a start time.
 *
 * <p>Entries about the same rule go to different grids: the alert of §5 is one per rule and grid
 * until 30 minutes of quiet, so two of them in one grid could blur into one alert, and a near miss
 * beside an incident could complete it. FIRE_CONFIRMED and FIRE_SUSPECTED count as one rule here,
 * as they share their evidence. Entries about different rules may share a grid.
 *
 * <p>An entry without grid or device gets the last device of the type it needs that fits (the right
 * grid kind for a severity, a camera beside a smoke detector) and whose grid is still free for its
 * rule: from the end of the district's lists, leaving the first devices to hand-written tests and
 * demos. {@code avoid} keeps automatic placement away from rules in grids that are busy otherwise
 * (an alert of the same rule already open there would absorb the scenario's alert).
 */
public final class ScenarioPlanner {
  /** The gridId of a feed's alert (contract §10): about no one grid. */
  public static final String FEED_GRID = "*";

  private final District district;
  private final Set<RuleGrid> avoid;
  private final Map<String, Set<String>> gridsByFamily = new HashMap<>();
  private final Set<String> devicesUsed = new HashSet<>();
  private final List<String> problems = new ArrayList<>();

  private ScenarioPlanner(District district, Set<RuleGrid> avoid) {
    this.district = district;
    this.avoid = avoid;
  }

  public static ScenarioPlan plan(ScenarioSpec spec, District district, Instant now) {
    return plan(spec, district, now, Set.of());
  }

  /**
   * @throws ScenarioException naming every entry that cannot be placed
   */
  public static ScenarioPlan plan(
      ScenarioSpec spec, District district, Instant now, Set<RuleGrid> avoid) {
    return new ScenarioPlanner(district, avoid).place(spec, spec.start().resolve(now));
  }

  private ScenarioPlan place(ScenarioSpec spec, Instant start) {
    List<ScenarioSpec.Entry> all = new ArrayList<>(spec.incidents());
    all.addAll(spec.nearMisses());
    Map<ScenarioSpec.Entry, Device> devices = new HashMap<>();
    // Explicit places first, so that automatic ones keep clear of them.
    for (ScenarioSpec.Entry e : all) {
      if (e.gridId() == null && e.deviceId() == null) continue;
      Device d = explicit(e);
      if (d != null && claim(e, d)) devices.put(e, d);
    }
    for (ScenarioSpec.Entry e : all) {
      if (e.gridId() != null || e.deviceId() != null) continue;
      Device d = automatic(e);
      if (d != null) {
        claim(e, d);
        devices.put(e, d);
      }
    }
    List<ScenarioStep> steps = new ArrayList<>();
    for (ScenarioSpec.Entry e : all) {
      Device d = devices.get(e);
      if (d == null) continue;
      Duration skew = e.skew() == null ? Duration.ZERO : e.skew();
      Duration late = e.late() == null ? Duration.ZERO : e.late();
      // a skewed clock: the inputs are what the device would send at `at` + skew, delivered at
      // `at`
      Instant at = start.plus(e.at()).plus(skew);
      try {
        ScenarioStep step =
            e.incident() != null
                ? ScenarioStep.of(e.path() + e.conditions(), e.incident().build(district, d, at))
                : ScenarioStep.of(e.path() + e.conditions(), e.nearMiss().build(district, d, at));
        steps.add(step.delivered(skew, late));
      } catch (IllegalArgumentException x) {
        problems.add(e.path() + ": " + x.getMessage());
      }
    }
    List<ScenarioStep> outages = new ArrayList<>();
    for (ScenarioSpec.FeedOutage o : spec.feedOutages()) {
      ScenarioStep step = feedOutage(o, start, steps);
      if (step != null) outages.add(step);
    }
    steps.addAll(outages);
    if (!problems.isEmpty())
      throw new ScenarioException(spec.name() + " in district " + district.name(), problems);
    steps.sort(Comparator.comparing(ScenarioStep::firstEventTime));
    Instant from =
        steps.stream()
            .map(ScenarioStep::firstEventTime)
            .min(Comparator.naturalOrder())
            .orElse(start);
    Instant to =
        steps.stream()
            .map(ScenarioStep::lastEventTime)
            .max(Comparator.naturalOrder())
            .orElse(start);
    for (ScenarioStep s : steps) {
      if (s.expected().isPresent() && s.expected().get().detectableAt().isAfter(to))
        to = s.expected().get().detectableAt();
    }
    return new ScenarioPlan(spec.name(), start, steps, from, to);
  }

  /**
   * A feed outage's step: every sensor of the feed but doors (allowed a longer silence of their
   * own) reports a harmless reading at the outage's start and again at its end, so that all pass
   * their allowance together, and the pipeline raises one alert for the feed, gridId {@code *},
   * dated when the allowance passed. Its slot is reserved: an entry whose sensor inputs come within
   * {@link ScenarioStep#QUIET_BEFORE} of it, or a dead device whose outage would begin while the
   * feed is down (its alert would be the feed's), is refused. A device is left out of the outage
   * only when its readings at the start and at the end both fall in the quiet an entry keeps it in
   * (a dead device before the slot: silent anyway, and heard again it would be back). A device kept
   * quiet only near the slot (an entry starting 20 min after the feed returns) reports with the
   * rest: a harmless reading outside its quiet is one background could send, whereas left out it
   * would stay silent from before the slot to its entry and be raised alone after the return.
   */
  private ScenarioStep feedOutage(
      ScenarioSpec.FeedOutage o, Instant start, List<ScenarioStep> steps) {
    Instant from = start.plus(o.at());
    Instant to = from.plus(o.lasting());
    Instant near = from.minus(ScenarioStep.QUIET_BEFORE);
    Instant far = to.plus(ScenarioStep.QUIET_BEFORE);
    Instant feedDown = from.plus(Incidents.SENSOR_SILENCE).minus(Incidents.FEED_GRACE);
    Map<String, List<Instant[]>> quiet = new HashMap<>();
    int before = problems.size();
    for (ScenarioStep s : steps) {
      for (TrafficItem i : s.items()) {
        if (i.source() == TrafficSource.SENSOR
            && !i.eventTime().isBefore(near)
            && !i.eventTime().isAfter(far)) {
          problems.add(
              o.path()
                  + ": "
                  + s.label()
                  + " sends a sensor input at "
                  + i.eventTime()
                  + ", while the feed is to be silent ("
                  + from
                  + " to "
                  + to
                  + ")");
          break;
        }
      }
      if (s.expected().isPresent() && s.expected().get().ruleId().equals("DEVICE_OFFLINE")) {
        Instant off = s.expected().get().eventTime();
        if (!off.isBefore(feedDown) && !off.isAfter(to.plus(Incidents.FEED_GRACE)))
          problems.add(
              o.path()
                  + ": "
                  + s.label()
                  + " goes offline at "
                  + off
                  + ", while the feed is down: its outage would be part of the feed's");
      }
      for (String d : s.deviceIds())
        quiet
            .computeIfAbsent(d, k -> new ArrayList<>())
            .add(new Instant[] {s.quietFrom(), s.quietTo(d)});
    }
    List<TrafficItem> items = new ArrayList<>();
    for (Device d : district.sensors()) {
      if (d.sensorType() == SensorType.DOOR) continue;
      List<Instant[]> spans = quiet.getOrDefault(d.deviceId(), List.of());
      boolean quietAtStart = within(spans, from);
      if (quietAtStart != within(spans, to)) {
        // silent through the slot but back at its end, or heard at its start and then kept quiet
        // at its return: either way the device's silence would not be the feed's
        problems.add(
            o.path()
                + ": an entry keeps "
                + d.deviceId()
                + " quiet at the feed's "
                + (quietAtStart ? "start but not at its return" : "return but not at its start"));
        continue;
      }
      if (quietAtStart) continue;
      String value = Incidents.harmless(d.sensorType());
      items.add(Incidents.reading(d, from, value));
      items.add(Incidents.reading(d, to, value));
    }
    if (problems.size() > before) return null;
    if (items.isEmpty()) {
      problems.add(o.path() + ": district " + district.name() + " has no sensor to silence");
      return null;
    }
    Instant offline = from.plus(Incidents.SENSOR_SILENCE);
    return new ScenarioStep(
        o.label(),
        FEED_GRID,
        items,
        Optional.of(
            new GroundTruth(
                "DEVICE_OFFLINE",
                FEED_GRID,
                Severity.GENERAL,
                offline,
                offline.plus(Incidents.FEED_GRACE))),
        List.of());
  }

  /** Whether {@code t} falls in one of the spans (ends included, as background leaves them). */
  private static boolean within(List<Instant[]> spans, Instant t) {
    for (Instant[] s : spans) if (!t.isBefore(s[0]) && !t.isAfter(s[1])) return true;
    return false;
  }

  private Device explicit(ScenarioSpec.Entry e) {
    if (e.deviceId() != null) {
      Device d = district.device(e.deviceId()).orElse(null);
      if (d == null) {
        problems.add(
            e.path() + ".device: no device " + e.deviceId() + " in district " + district.name());
      } else if (!accepts(e, d)) {
        problems.add(
            e.path()
                + ".device: "
                + d.deviceId()
                + " ("
                + d.type()
                + " in "
                + d.gridId()
                + ") cannot carry "
                + e.label());
        return null;
      }
      return d;
    }
    if (district.grid(e.gridId()).isEmpty()) {
      problems.add(e.path() + ".grid: no grid " + e.gridId() + " in district " + district.name());
      return null;
    }
    List<Device> fitting =
        district.devicesIn(e.gridId()).stream().filter(d -> accepts(e, d)).toList();
    if (fitting.isEmpty()) {
      problems.add(
          e.path()
              + ".grid: "
              + e.gridId()
              + " has no "
              + e.device()
              + " that can carry "
              + e.label());
      return null;
    }
    return fitting.stream()
        .filter(d -> !devicesUsed.contains(d.deviceId()))
        .findFirst()
        .orElse(fitting.get(0));
  }

  private Device automatic(ScenarioSpec.Entry e) {
    List<Device> all = district.devices();
    boolean anyFits = false;
    for (int i = all.size() - 1; i >= 0; i--) {
      Device d = all.get(i);
      if (!accepts(e, d)) continue;
      anyFits = true;
      if (devicesUsed.contains(d.deviceId()) || !free(e.rule(), d.gridId())) continue;
      return d;
    }
    problems.add(
        e.path()
            + ": "
            + (anyFits
                ? "every grid with a "
                    + e.device()
                    + " that can carry "
                    + e.label()
                    + " is taken by another entry about "
                    + family(e.rule())
                    + (avoid.isEmpty() ? "" : " or to be avoided")
                : "district "
                    + district.name()
                    + " has no "
                    + e.device()
                    + " that can carry "
                    + e.label()));
    return null;
  }

  private boolean accepts(ScenarioSpec.Entry e, Device d) {
    return e.incident() != null
        ? e.incident().accepts(district, d)
        : e.nearMiss().accepts(district, d);
  }

  private boolean free(String rule, String gridId) {
    String family = family(rule);
    if (gridsByFamily.getOrDefault(family, Set.of()).contains(gridId)) return false;
    return avoid.stream()
        .noneMatch(a -> a.gridId().equals(gridId) && family(a.ruleId()).equals(family));
  }

  private boolean claim(ScenarioSpec.Entry e, Device d) {
    if (!gridsByFamily.computeIfAbsent(family(e.rule()), k -> new HashSet<>()).add(d.gridId())) {
      problems.add(
          e.path()
              + ": grid "
              + d.gridId()
              + " already has an entry about "
              + family(e.rule())
              + "; its alerts would blur into one");
      return false;
    }
    devicesUsed.add(d.deviceId());
    return true;
  }

  /** Rules that share evidence count as one when keeping entries apart. */
  static String family(String rule) {
    return rule.startsWith("FIRE_") ? "FIRE" : rule;
  }
}
