package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.CameraEventType;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.SyntheticPeople;
import org.gridfusion.simulator.format.Coordinates;
import org.gridfusion.simulator.format.Timestamps;

/**
 * Everyday camera analytics events (contract §2.1) as a Poisson stream over all cameras, the event
 * type depending on where the camera is (vendors at markets, crowds at school gates, intrusions in
 * industrial plots) and on the hour (intrusions at night; crowd sizes follow {@link DailyRhythm}).
 *
 * <p>Kept below every rule of §5: FIRE_SMOKE confidence under 0.8 (steam from heating plants and
 * barbecues), FALL_DETECTED under 0.7, CROWD under 50 people, and at most {@link
 * #MAX_VENDING_PER_GRID_HOUR} STREET_VENDING events per grid in any hour of event time, duplicates
 * included (the rule needs 5).
 */
final class CameraTraffic {
  static final int MAX_VENDING_PER_GRID_HOUR = 3;
  private static final long HOUR_MS = 3_600_000L;
  private static final CameraEventType[] TYPES = CameraEventType.values();
  private static final Map<GridKind, int[]> WEIGHTS = new EnumMap<>(GridKind.class);
  private static final String PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

  static {
    // Order: FIRE_SMOKE, CROWD, INTRUSION, ILLEGAL_PARKING, STREET_VENDING, GARBAGE_OVERFLOW,
    // FALL_DETECTED, FIGHT, WATCHLIST_MATCH.
    WEIGHTS.put(GridKind.BASIC, new int[] {3, 10, 4, 30, 8, 25, 3, 2, 1});
    WEIGHTS.put(GridKind.SCHOOL, new int[] {2, 35, 10, 25, 10, 10, 3, 4, 1});
    WEIGHTS.put(GridKind.HOSPITAL, new int[] {2, 30, 2, 35, 3, 10, 8, 3, 2});
    WEIGHTS.put(GridKind.MARKET, new int[] {3, 25, 1, 15, 30, 25, 2, 2, 1});
    WEIGHTS.put(GridKind.BUSINESS, new int[] {2, 25, 5, 35, 3, 15, 2, 1, 3});
    WEIGHTS.put(GridKind.PARK, new int[] {3, 25, 5, 5, 15, 25, 8, 3, 1});
    WEIGHTS.put(GridKind.INDUSTRIAL, new int[] {15, 5, 20, 25, 0, 15, 2, 1, 0});
  }

  private final List<Device> cameras;
  private final Map<String, GridKind> gridKinds = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> vendingTimes = new HashMap<>();
  private final SplittableRandom random;
  private final SyntheticPeople people;
  private final String runId;
  private long sequence;

  CameraTraffic(District district, String runId, SplittableRandom random) {
    this.cameras = district.cameras();
    this.random = random;
    this.people = new SyntheticPeople(random.split());
    this.runId = runId;
    district.grids().forEach(g -> gridKinds.put(g.gridId(), g.kind()));
  }

  boolean hasCameras() {
    return !cameras.isEmpty();
  }

  TrafficItem next(Instant ts) {
    Device camera = cameras.get(random.nextInt(cameras.size()));
    GridKind kind = gridKinds.get(camera.gridId());
    CameraEventType type = pickType(kind, ts);
    if (type == CameraEventType.STREET_VENDING
        && !countVending(camera.gridId(), ts.toEpochMilli())) {
      type = CameraEventType.GARBAGE_OVERFLOW;
    }
    String eventId = String.format(Locale.ROOT, "ce-%s-%08d", runId, ++sequence);
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("eventId", eventId);
    o.put("cameraId", camera.deviceId());
    o.put("type", type.name());
    o.put("ts", Timestamps.utcMillis(ts));
    o.put("confidence", confidence(type));
    o.put("objectCount", objectCount(type, kind, DailyRhythm.localHour(ts.toEpochMilli())));
    // Some platforms send the camera's position, others rely on the registry (§1).
    if (random.nextInt(10) < 6) {
      o.put("lat", Coordinates.decimal(camera.lat()));
      o.put("lon", Coordinates.decimal(camera.lon()));
    }
    ObjectNode attributes = o.putObject("attributes");
    switch (type) {
      case ILLEGAL_PARKING -> attributes.put("plate", plate());
      case WATCHLIST_MATCH -> attributes.put("personId", people.idNumber(1960, 2005));
      case INTRUSION ->
          attributes.put("zone", random.nextBoolean() ? "perimeter" : "restricted-area");
      case GARBAGE_OVERFLOW ->
          attributes.put("binId", String.format(Locale.ROOT, "BIN-%05d", random.nextInt(100_000)));
      default -> {}
    }
    return new TrafficItem(
        TrafficSource.CAMERA,
        ts,
        null,
        Json.write(o),
        Quality.GOOD,
        null,
        camera.gridId(),
        type.name());
  }

  /**
   * Counts a STREET_VENDING event (or a duplicate of one) against its grid's hourly allowance.
   *
   * @return false, counting nothing, when the grid has had its allowance in the last hour
   */
  boolean countVending(String gridId, long ts) {
    ArrayDeque<Long> times = vendingTimes.computeIfAbsent(gridId, k -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= ts - HOUR_MS) times.pollFirst();
    if (times.size() >= MAX_VENDING_PER_GRID_HOUR) return false;
    times.addLast(ts);
    return true;
  }

  private CameraEventType pickType(GridKind kind, Instant ts) {
    int[] w = WEIGHTS.get(kind).clone();
    int hour = DailyRhythm.localHour(ts.toEpochMilli());
    boolean night = hour < 6 || hour >= 22;
    if (night) {
      w[CameraEventType.INTRUSION.ordinal()] *= 3;
      w[CameraEventType.STREET_VENDING.ordinal()] = 0;
      w[CameraEventType.CROWD.ordinal()] /= 3;
    }
    int total = 0;
    for (int x : w) total += x;
    int pick = random.nextInt(total);
    for (int i = 0; i < w.length; i++) {
      pick -= w[i];
      if (pick < 0) return TYPES[i];
    }
    return CameraEventType.GARBAGE_OVERFLOW;
  }

  private BigDecimal confidence(CameraEventType type) {
    double[] range =
        switch (type) {
          case FIRE_SMOKE -> new double[] {0.30, 0.78};
          case FALL_DETECTED -> new double[] {0.20, 0.68};
          case FIGHT -> new double[] {0.30, 0.75};
          case WATCHLIST_MATCH -> new double[] {0.50, 0.79};
          case INTRUSION -> new double[] {0.50, 0.95};
          default -> new double[] {0.55, 0.99};
        };
    double c = range[0] + random.nextDouble() * (range[1] - range[0]);
    return BigDecimal.valueOf(Math.round(c * 100), 2);
  }

  private int objectCount(CameraEventType type, GridKind kind, int localHour) {
    return switch (type) {
      // at most 45 (the crowd rule counts 50 and more), larger where and when the place is busy
      case CROWD ->
          3
              + (int)
                  (DailyRhythm.busyness(kind, localHour) * 42 * (0.4 + 0.6 * random.nextDouble()));
      case FIGHT -> 2 + random.nextInt(3);
      case STREET_VENDING -> 1 + random.nextInt(3);
      case ILLEGAL_PARKING, FALL_DETECTED, WATCHLIST_MATCH -> 1;
      case INTRUSION -> 1 + random.nextInt(2);
      default -> 0;
    };
  }

  /** Tongliao plates: 蒙G, a letter, four more characters. */
  private String plate() {
    StringBuilder p =
        new StringBuilder("蒙G·")
            .append(PLATE_LETTERS.charAt(random.nextInt(PLATE_LETTERS.length())));
    for (int i = 0; i < 4; i++) p.append(random.nextInt(10));
    return p.toString();
  }
}
