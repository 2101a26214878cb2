package org.gridfusion.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * One incident of each default rule (contract §5) as the records that raise it, plus builders for
 * single records. {@link RuleEngineVsEsper} mixes incidents into its background stream so that
 * every rule fires in the measured run; the parity test builds its scenario set from them and from
 * near-misses.
 *
 * <p>Devices of an incident are its own ({@code tag} in their ids), so background readings of the
 * same grid never interleave with them: a night-noise run is not broken by a background device's
 * quiet reading.
 */
public final class Incidents {
  public static final List<String> RULES =
      List.of(
          "FIRE_CONFIRMED",
          "FIRE_SUSPECTED",
          "GAS_LEAK",
          "WATERLOGGING",
          "MANHOLE_DISPLACED",
          "CROWD_GATHERING",
          "ELDERLY_INACTIVE",
          "NIGHT_NOISE",
          "STREET_VENDING",
          "FALL_DETECTED");

  /**
   * Record ids must be unique across a stream: the rule engine treats a repeated id as a duplicate.
   */
  private static final AtomicLong SEQ = new AtomicLong();

  private Incidents() {}

  /** Where an incident happens: a grid, its kind, and a tag naming its devices. */
  public record Place(String gridId, String gridKind, String tag) {}

  /**
   * The records of one incident of {@code ruleId} starting at {@code t0}, in event-time order. The
   * incident raises its rule at the base severity in a BASIC grid without context records.
   * NIGHT_NOISE raises only if {@code t0} is at least 30 minutes before 06:00 local time
   * (22:00–06:00). ELDERLY_INACTIVE is a registration whose door sensor never reports: it fires 24
   * h later.
   */
  public static List<Record> of(String ruleId, Place p, Instant t0) {
    List<Record> out = new ArrayList<>();
    switch (ruleId) {
      case "FIRE_CONFIRMED" -> {
        out.add(sensor(p, "SMOKE", "SMOKE-" + p.tag(), 12, t0));
        out.add(camera(p, "FIRE_SMOKE", 0.9, t0.plus(Duration.ofMinutes(2))));
      }
      case "FIRE_SUSPECTED" -> out.add(sensor(p, "SMOKE", "SMOKE-" + p.tag(), 12, t0));
      case "GAS_LEAK" -> {
        out.add(sensor(p, "GAS", "GAS-" + p.tag(), 25, t0));
        out.add(sensor(p, "GAS", "GAS-" + p.tag(), 26, t0.plusSeconds(30)));
      }
      case "WATERLOGGING" -> out.add(sensor(p, "WATER_LEVEL", "WL-" + p.tag(), 35, t0));
      case "MANHOLE_DISPLACED" -> out.add(sensor(p, "MANHOLE_TILT", "MH-" + p.tag(), 18, t0));
      case "CROWD_GATHERING" -> {
        for (int m = 0; m <= 6; m += 3) out.add(crowd(p, 60, t0.plus(Duration.ofMinutes(m))));
      }
      case "ELDERLY_INACTIVE" ->
          out.add(
              department(
                  p,
                  "ELDERLY_LIVING_ALONE",
                  t0,
                  Map.of("doorSensorId", "DOOR-" + p.tag(), "name", "W*")));
      case "NIGHT_NOISE" -> {
        for (int m = 0; m <= 30; m += 5)
          out.add(sensor(p, "NOISE", "NOISE-" + p.tag(), 75, t0.plus(Duration.ofMinutes(m))));
      }
      case "STREET_VENDING" -> {
        for (int m = 0; m <= 40; m += 10)
          out.add(camera(p, "STREET_VENDING", 0.8, t0.plus(Duration.ofMinutes(m))));
      }
      case "FALL_DETECTED" -> out.add(camera(p, "FALL_DETECTED", 0.9, t0));
      default -> throw new IllegalArgumentException("not a default rule: " + ruleId);
    }
    out.sort(Comparator.comparing(Record::getTs));
    return out;
  }

  private static Record.Builder base(
      Place p, Source source, String type, Instant ts, String recordId) {
    return Record.newBuilder()
        .setRecordId(recordId)
        .setSource(source)
        .setType(type)
        .setTs(ts)
        .setLat(43.6)
        .setLon(122.2)
        .setGridId(p.gridId())
        .setGridKind(p.gridKind())
        .setStreet("S-" + p.tag())
        .setCommunity("C-" + p.tag())
        .setAttributes(Map.of())
        .setReceivedAt(ts);
  }

  public static Record sensor(Place p, String type, String device, double value, Instant ts) {
    return base(
            p,
            Source.SENSOR,
            type,
            ts,
            "SENSOR:" + device + ":" + ts.toEpochMilli() + ":" + SEQ.incrementAndGet())
        .setValue(value)
        .setDeviceId(device)
        .build();
  }

  public static Record camera(Place p, String type, double confidence, Instant ts) {
    return base(p, Source.CAMERA, type, ts, "CAMERA:" + p.tag() + "-" + SEQ.incrementAndGet())
        .setConfidence(confidence)
        .setDeviceId("CAM-" + p.tag())
        .build();
  }

  public static Record crowd(Place p, int people, Instant ts) {
    return Record.newBuilder(camera(p, "CROWD", 0.9, ts)).setObjectCount(people).build();
  }

  public static Record department(
      Place p, String type, Instant ts, Map<String, String> attributes) {
    long n = SEQ.incrementAndGet();
    return base(p, Source.DEPARTMENT, type, ts, "DEPARTMENT:" + p.tag() + "-" + n)
        .setDepartment(type.equals("ELDERLY_LIVING_ALONE") ? "CIVIL_AFFAIRS" : "POLICE")
        .setSubjectRef("sr-" + p.tag() + "-" + n)
        .setAttributes(attributes)
        .build();
  }
}
