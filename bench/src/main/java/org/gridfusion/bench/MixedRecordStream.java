package org.gridfusion.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * A deterministic, realistic stream of normalised records over {@value #GRIDS} grids for the rule
 * engine: mostly sensor readings of every contract type below their thresholds, camera events, a
 * few department records (context and events), and about one record in a thousand crossing a
 * threshold. Event time advances by about 50 ms a record with up to 2 s of disorder, so 1,000,000
 * records span some 14 hours and cover a night (NIGHT_NOISE's window).
 *
 * <p>Assumes the contract's default rule thresholds (contract §5); grid ids are {@code G-000} ..
 * {@code G-199}, every twentieth grid being a SCHOOL.
 */
final class MixedRecordStream {
  static final int GRIDS = 200;
  static final Instant START = Instant.parse("2026-11-24T06:00:00Z");

  private static final String[] SENSORS = {
    "SMOKE",
    "GAS",
    "WATER_LEVEL",
    "MANHOLE_TILT",
    "NOISE",
    "DOOR",
    "TEMPERATURE",
    "PM25",
    "ELECTRIC_CURRENT"
  };

  /**
   * Camera event types in percent of camera events; street vending is rare enough not to fire
   * constantly.
   */
  private static final String[] CAMERAS = new String[100];

  private static final String[] DEPARTMENT_EVENTS = {
    "INCIDENT_REPORT", "PETITION_FILED", "DISPUTE_REPORTED", "INSPECTION_FAILED", "CASE_REPORTED"
  };
  private static final String[] GRID_IDS = new String[GRIDS];
  private static final String[] GRID_KINDS = new String[GRIDS];

  static {
    fill(CAMERAS, 0, 30, "CROWD");
    fill(CAMERAS, 30, 60, "ILLEGAL_PARKING");
    fill(CAMERAS, 60, 76, "GARBAGE_OVERFLOW");
    fill(CAMERAS, 76, 88, "INTRUSION");
    fill(CAMERAS, 88, 93, "FALL_DETECTED");
    fill(CAMERAS, 93, 97, "FIRE_SMOKE");
    fill(CAMERAS, 97, 98, "FIGHT");
    fill(CAMERAS, 98, 100, "STREET_VENDING");
    for (int g = 0; g < GRIDS; g++) {
      GRID_IDS[g] = String.format("G-%03d", g);
      GRID_KINDS[g] = g % 20 == 0 ? "SCHOOL" : "BASIC";
    }
  }

  private static void fill(String[] table, int from, int to, String type) {
    Arrays.fill(table, from, to, type);
  }

  private final SplittableRandom random;
  private long seq;
  private long clock;

  MixedRecordStream(long seed) {
    this(seed, START);
  }

  MixedRecordStream(long seed, Instant start) {
    random = new SplittableRandom(seed);
    clock = start.toEpochMilli();
  }

  static String gridId(int grid) {
    return GRID_IDS[grid];
  }

  static String gridKind(int grid) {
    return GRID_KINDS[grid];
  }

  /** The event time the stream has reached; a watermark a few seconds below it is safe. */
  long clock() {
    return clock;
  }

  Record next() {
    seq++;
    clock += 1 + random.nextInt(100);
    long ts = clock - random.nextInt(2_000);
    int grid = random.nextInt(GRIDS);
    boolean crossing = random.nextInt(1_000) == 0;
    int kind = random.nextInt(100);
    if (kind < 70) return sensor(grid, ts, crossing);
    if (kind < 96) return camera(grid, ts, crossing);
    return department(grid, ts);
  }

  private Record.Builder base(int grid, long ts, String recordId, Source source, String type) {
    Instant t = Instant.ofEpochMilli(ts);
    return Record.newBuilder()
        .setRecordId(recordId)
        .setSource(source)
        .setType(type)
        .setTs(t)
        .setLat(43.62 + grid * 0.0003)
        .setLon(122.20 + grid * 0.0005)
        .setGridId(GRID_IDS[grid])
        .setGridKind(GRID_KINDS[grid])
        .setStreet("S" + (grid / 10))
        .setCommunity("S" + (grid / 10) + "-C" + (grid % 10))
        .setAttributes(Map.of())
        .setReceivedAt(t.plusMillis(200));
  }

  private Record sensor(int grid, long ts, boolean crossing) {
    String type = SENSORS[random.nextInt(SENSORS.length)];
    // Four devices of each type per grid, so consecutive-reading rules see real device sequences.
    String device = type + "-" + GRID_IDS[grid] + "-" + random.nextInt(4);
    double value =
        switch (type) {
          case "SMOKE" -> crossing ? 12 : random.nextDouble(0, 3);
          case "GAS" -> crossing ? 25 : random.nextDouble(0, 10);
          case "WATER_LEVEL" -> crossing ? 35 : random.nextDouble(0, 20);
          case "MANHOLE_TILT" -> crossing ? 18 : random.nextDouble(0, 5);
          case "NOISE" -> crossing ? 75 : random.nextDouble(35, 65);
          case "DOOR" -> random.nextInt(2);
          case "TEMPERATURE" -> random.nextDouble(-15, 5);
          case "PM25" -> random.nextDouble(10, 80);
          default -> random.nextDouble(0, 40);
        };
    return base(grid, ts, "SENSOR:" + device + ":" + ts + ":" + seq, Source.SENSOR, type)
        .setValue(value)
        .setBattery(60 + random.nextInt(40))
        .setDeviceId(device)
        .build();
  }

  private Record camera(int grid, long ts, boolean crossing) {
    String type = CAMERAS[random.nextInt(CAMERAS.length)];
    double confidence = crossing ? 0.9 : random.nextDouble(0.3, 0.65);
    Record.Builder b =
        base(grid, ts, "CAMERA:e-" + seq, Source.CAMERA, type)
            .setConfidence(confidence)
            .setDeviceId("CAM-" + GRID_IDS[grid] + "-" + random.nextInt(3));
    if (type.equals("CROWD")) b.setObjectCount(crossing ? 60 : random.nextInt(45));
    return b.build();
  }

  private Record department(int grid, long ts) {
    int pick = random.nextInt(10);
    if (pick < 2) {
      // A standing fact: an elderly person living alone, watched by a door sensor of that grid.
      return base(grid, ts, "DEPARTMENT:ca-" + seq, Source.DEPARTMENT, "ELDERLY_LIVING_ALONE")
          .setDepartment("CIVIL_AFFAIRS")
          .setSubjectRef("sr-" + Long.toHexString(seq))
          .setAttributes(
              Map.of(
                  "doorSensorId", "DOOR-" + GRID_IDS[grid] + "-" + random.nextInt(4), "name", "W*"))
          .build();
    }
    if (pick < 3) {
      return base(grid, ts, "DEPARTMENT:em-" + seq, Source.DEPARTMENT, "HAZARDOUS_ENTERPRISE")
          .setDepartment("EMERGENCY_MANAGEMENT")
          .build();
    }
    String type = DEPARTMENT_EVENTS[random.nextInt(DEPARTMENT_EVENTS.length)];
    return base(grid, ts, "DEPARTMENT:ev-" + seq, Source.DEPARTMENT, type)
        .setDepartment("POLICE")
        .setSubjectRef("sr-" + Long.toHexString(seq))
        .setAttributes(type.equals("DISPUTE_REPORTED") ? Map.of("category", "FAMILY") : Map.of())
        .build();
  }
}
