package org.gridfusion.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {
  static final Instant BEGINNING = Instant.parse("2026-11-24T00:00:00Z");
  static final Instant THREE_DAYS_LATER = BEGINNING.plus(Duration.ofDays(3));
  private static final long SEED = 7;

  static District district;

  /**
   * Three days of event time at a low rate with the camera rate high enough to press on the vending
   * limit.
   */
  static List<TrafficItem> threeDays;

  @BeforeAll
  static void generate() {
    district = DistrictGenerator.generate(DistrictSpec.small(11));
    TrafficConfig config =
        TrafficConfig.defaults(SEED, BEGINNING).withRates(0.3, 0.2, 0.05).withShares(0.02, 0.01);
    threeDays = new TrafficGenerator(district, config).until(THREE_DAYS_LATER);
  }

  @Test
  void backgroundSensorValuesStayBelowTheDefaultAlertThresholds() throws IOException {
    Map<SensorType, Double> max = new EnumMap<>(SensorType.class);
    for (TrafficItem item : threeDays) {
      if (item.quality() == Quality.BAD || item.source() != TrafficSource.SENSOR) continue;
      SensorType type = SensorType.valueOf(item.type());
      double v = Json.MAPPER.readTree(item.payload()).path("value").asDouble();
      max.merge(type, v, Math::max);
    }
    assertThat(max.keySet()).containsExactlyInAnyOrder(SensorType.values());
    assertThat(max.get(SensorType.SMOKE)).isLessThan(10).isLessThan(2);
    assertThat(max.get(SensorType.GAS)).isLessThan(20).isLessThanOrEqualTo(5);
    assertThat(max.get(SensorType.WATER_LEVEL)).isLessThan(30);
    assertThat(max.get(SensorType.MANHOLE_TILT)).isLessThan(15).isLessThan(3);
    assertThat(max.get(SensorType.NOISE)).isLessThan(70);
    assertThat(max.get(SensorType.DOOR)).isEqualTo(1.0);
  }

  @Test
  void backgroundCameraEventsStayBelowTheDefaultAlertThresholds() throws IOException {
    Map<String, List<Long>> vending = new HashMap<>();
    Set<String> types = new HashSet<>();
    for (TrafficItem item : threeDays) {
      if (item.quality() == Quality.BAD || item.source() != TrafficSource.CAMERA) continue;
      JsonNode e = Json.MAPPER.readTree(item.payload());
      String type = e.path("type").asText();
      types.add(type);
      double confidence = e.path("confidence").asDouble();
      switch (type) {
        case "FIRE_SMOKE" -> assertThat(confidence).as(item.payload()).isLessThan(0.8);
        case "FALL_DETECTED" -> assertThat(confidence).as(item.payload()).isLessThan(0.7);
        case "CROWD" -> assertThat(e.path("objectCount").asInt()).as(item.payload()).isLessThan(50);
        case "STREET_VENDING" ->
            vending
                .computeIfAbsent(item.gridId(), k -> new ArrayList<>())
                .add(item.eventTime().toEpochMilli());
        default -> {}
      }
    }
    assertThat(types)
        .contains("FIRE_SMOKE", "FALL_DETECTED", "CROWD", "STREET_VENDING", "ILLEGAL_PARKING");
    int busiest = 0;
    for (List<Long> times : vending.values()) {
      for (int i = 0, j = 0; i < times.size(); i++) {
        while (times.get(j) <= times.get(i) - 3_600_000L) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
    }
    assertThat(busiest)
        .as("most STREET_VENDING events in one grid in an hour")
        .isLessThan(5)
        .isPositive();
  }

  @Test
  void valuesFollowTheWeatherAndTheDay() throws IOException {
    // seed 7 keeps these three days dry; 18 brings about five hours of wet streets
    long rainySeed = 18;
    Weather weather = new Weather(rainySeed);
    List<TrafficItem> rainyDays =
        new TrafficGenerator(
                district, TrafficConfig.defaults(rainySeed, BEGINNING).withRates(0.3, 0, 0))
            .until(THREE_DAYS_LATER);
    double wetSum = 0, drySum = 0;
    int wet = 0, dry = 0;
    for (TrafficItem item : rainyDays) {
      if (!item.isGood() || !item.type().equals("WATER_LEVEL")) continue;
      long t = item.eventTime().toEpochMilli();
      double w = weather.wetness(t);
      double level = Json.MAPPER.readTree(item.payload()).path("value").asDouble();
      if (w > 0.4) {
        wetSum += level;
        wet++;
      }
      if (w == 0) {
        drySum += level;
        dry++;
      }
    }
    Map<String, GridKind> kinds = new HashMap<>();
    district.grids().forEach(g -> kinds.put(g.gridId(), g.kind()));
    int marketPeak = 0, night = 0;
    double marketPeakSum = 0, nightSum = 0;
    int doorsOpenAtNight = 0, doorsOpenByDay = 0;
    for (TrafficItem item : threeDays) {
      if (!item.isGood()) continue;
      long t = item.eventTime().toEpochMilli();
      int hour = (int) Math.floorMod((t + 8 * 3_600_000L) / 3_600_000L, 24L);
      JsonNode o = Json.MAPPER.readTree(item.payload());
      switch (item.type()) {
        case "CROWD" -> {
          int people = o.path("objectCount").asInt();
          if (hour < 6 || hour >= 22) {
            nightSum += people;
            night++;
          }
          if (kinds.get(item.gridId()) == GridKind.MARKET && hour >= 7 && hour < 10) {
            marketPeakSum += people;
            marketPeak++;
          }
        }
        case "DOOR" -> {
          boolean open = o.path("value").asInt() == 1;
          if (open && (hour < 6 || hour >= 23)) doorsOpenAtNight++;
          if (open && hour >= 8 && hour < 20) doorsOpenByDay++;
        }
        default -> {}
      }
    }
    assertThat(wet).as("water readings while the streets are wet").isGreaterThan(20);
    assertThat(wetSum / wet).as("mean water level, wet vs dry").isGreaterThan(drySum / dry + 4);
    assertThat(marketPeak).isGreaterThan(5);
    assertThat(marketPeakSum / marketPeak)
        .as("crowds at the market in the morning vs anywhere at night")
        .isGreaterThan(3 * nightSum / night);
    assertThat(doorsOpenAtNight).isZero();
    assertThat(doorsOpenByDay).isPositive();
  }

  @Test
  void everyDoorSensorReportsWellWithinTwentyFourHoursEvenAtALowRate() {
    TrafficConfig sparse = TrafficConfig.defaults(SEED, BEGINNING).withRates(0.005, 0, 0);
    List<TrafficItem> items = new TrafficGenerator(district, sparse).until(THREE_DAYS_LATER);
    Map<String, Long> last = new HashMap<>();
    long longest = 0;
    for (TrafficItem item : items) {
      if (item.quality() != Quality.GOOD || !item.type().equals("DOOR")) continue;
      long t = item.eventTime().toEpochMilli();
      longest = Math.max(longest, t - last.getOrDefault(item.topic(), BEGINNING.toEpochMilli()));
      last.put(item.topic(), t);
    }
    assertThat(last).hasSize(district.sensors(SensorType.DOOR).size());
    for (long t : last.values()) longest = Math.max(longest, THREE_DAYS_LATER.toEpochMilli() - t);
    assertThat(Duration.ofMillis(longest)).isLessThanOrEqualTo(sparse.doorReportInterval());
    // while ordinary sensors at this rate report far less often than every 4 hours
    long smoke = items.stream().filter(i -> "SMOKE".equals(i.type()) && i.isGood()).count();
    assertThat(smoke).isLessThan(3L * 6 * district.sensors(SensorType.SMOKE).size());
  }

  @Test
  void doorsReportTheirHouseholdsDayNotTheSensorSchedule() throws IOException {
    // other sensors report every few minutes at this rate; doors only on their household's events
    TrafficConfig busy = TrafficConfig.defaults(SEED, BEGINNING).withRates(1, 0, 0);
    Map<String, List<long[]>> byDoor = new HashMap<>(); // {ts, value}
    TrafficGenerator generator = new TrafficGenerator(district, busy);
    while (true) {
      TrafficItem item = generator.next();
      if (!item.eventTime().isBefore(THREE_DAYS_LATER)) break;
      if (!item.isGood() || !item.type().equals("DOOR")) continue;
      int value = Json.MAPPER.readTree(item.payload()).path("value").asInt();
      byDoor
          .computeIfAbsent(item.topic(), k -> new ArrayList<>())
          .add(new long[] {item.eventTime().toEpochMilli(), value});
    }
    assertThat(byDoor).hasSize(district.sensors(SensorType.DOOR).size());
    long heartbeat = busy.doorReportInterval().toMillis();
    for (Map.Entry<String, List<long[]>> e : byDoor.entrySet()) {
      List<long[]> reports = e.getValue();
      assertThat(reports.size()).as(e.getKey() + " reports in three days").isBetween(6, 200);
      Set<Long> daysWithOpening = new HashSet<>();
      long previous = BEGINNING.toEpochMilli();
      for (int i = 0; i < reports.size(); i++) {
        long t = reports.get(i)[0];
        assertThat(t - previous).as(e.getKey() + " gap").isLessThanOrEqualTo(heartbeat);
        previous = t;
        if (reports.get(i)[1] != 1) continue;
        int hour = (int) Math.floorMod((t + 8 * 3_600_000L) / 3_600_000L, 24L);
        assertThat(hour).as(e.getKey() + " opened at night").isBetween(6, 22);
        daysWithOpening.add(Math.floorDiv(t + 8 * 3_600_000L, 86_400_000L));
        if (i + 1 < reports.size()) {
          assertThat(reports.get(i + 1)[1]).as(e.getKey() + " closes again").isZero();
          assertThat(reports.get(i + 1)[0] - t).isLessThanOrEqualTo(DoorHabits.OPEN_MAX_MS);
        }
      }
      assertThat(daysWithOpening)
          .as(e.getKey() + " opened on each local day")
          .hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void everyValidMessageIsAcceptedByTheContractAndLandsInTheGridItClaims() {
    ContractCheck check = new ContractCheck(district);
    int checked = 0;
    for (TrafficItem item : threeDays) {
      if (item.quality() == Quality.BAD) continue;
      ContractCheck.Outcome outcome = check.check(item);
      assertThat(outcome.reason()).as(item.payload()).isNull();
      assertThat(outcome.gridId()).as(item.payload()).isEqualTo(item.gridId());
      checked++;
    }
    assertThat(checked).isGreaterThan(100_000);
  }

  @Test
  void everyBadMessageIsRejectedForTheReasonItWasMadeFor() {
    TrafficConfig config =
        TrafficConfig.defaults(SEED, BEGINNING).withRates(100, 50, 50).withShares(0, 0.3);
    List<TrafficItem> items = new TrafficGenerator(district, config).take(20_000);
    ContractCheck check = new ContractCheck(district);
    Map<TrafficSource, Set<Reason>> seen = new EnumMap<>(TrafficSource.class);
    for (TrafficItem item : items) {
      if (item.quality() != Quality.BAD) continue;
      assertThat(check.check(item).reason())
          .as(item.source() + " " + item.topic() + " " + item.payload())
          .isEqualTo(item.expectedReason());
      seen.computeIfAbsent(item.source(), k -> new HashSet<>()).add(item.expectedReason());
    }
    assertThat(seen.get(TrafficSource.SENSOR))
        .contains(
            Reason.MALFORMED,
            Reason.UNKNOWN_TYPE,
            Reason.UNKNOWN_DEVICE,
            Reason.UNKNOWN_TOPIC,
            Reason.MISSING_FIELD,
            Reason.INVALID_FIELD,
            Reason.TS_TOO_OLD);
    assertThat(seen.get(TrafficSource.CAMERA))
        .contains(
            Reason.MALFORMED,
            Reason.COORDINATES_OUT_OF_RANGE,
            Reason.OUT_OF_AREA,
            Reason.UNKNOWN_DEVICE,
            Reason.UNKNOWN_TYPE);
    assertThat(seen.get(TrafficSource.DEPARTMENT))
        .contains(
            Reason.MALFORMED,
            Reason.UNKNOWN_DEPARTMENT,
            Reason.UNKNOWN_ADDRESS,
            Reason.OUT_OF_AREA);
  }

  @Test
  void duplicateAndBadSharesAreRoughlyAsConfigured() {
    TrafficConfig config = TrafficConfig.defaults(SEED, BEGINNING).withShares(0.10, 0.05);
    List<TrafficItem> items = new TrafficGenerator(district, config).take(40_000);
    Map<Quality, Integer> counts = new EnumMap<>(Quality.class);
    items.forEach(i -> counts.merge(i.quality(), 1, Integer::sum));
    assertThat(counts.get(Quality.DUPLICATE) / 40_000.0).isCloseTo(0.10, within(0.015));
    assertThat(counts.get(Quality.BAD) / 40_000.0).isCloseTo(0.05, within(0.01));
    // a duplicate is the same message as the good one right before it
    for (int i = 1; i < items.size(); i++) {
      if (items.get(i).quality() != Quality.DUPLICATE) continue;
      TrafficItem original = items.get(i - 1);
      assertThat(original.quality()).isEqualTo(Quality.GOOD);
      assertThat(items.get(i).payload()).isEqualTo(original.payload());
      assertThat(items.get(i).topic()).isEqualTo(original.topic());
    }
  }

  @Test
  void noDuplicatesOrBadMessagesWhenSharesAreZero() {
    TrafficConfig config = TrafficConfig.defaults(SEED, BEGINNING).withShares(0, 0);
    assertThat(new TrafficGenerator(district, config).take(5_000)).allMatch(TrafficItem::isGood);
  }

  @Test
  void ratesArePerWallSecondAndSpeedUpCompressesEventTime() {
    TrafficConfig config =
        TrafficConfig.defaults(SEED, BEGINNING).withSpeedUp(60).withRates(100, 10, 1);
    // one hour of event time = one minute of wall time at 60x
    List<TrafficItem> hour =
        new TrafficGenerator(district, config).until(BEGINNING.plus(Duration.ofHours(1)));
    Map<TrafficSource, Integer> counts = new EnumMap<>(TrafficSource.class);
    hour.forEach(i -> counts.merge(i.source(), 1, Integer::sum));
    assertThat(counts.get(TrafficSource.SENSOR)).isBetween(5_400, 6_600);
    assertThat(counts.get(TrafficSource.CAMERA)).isBetween(500, 700);
    assertThat(counts.get(TrafficSource.DEPARTMENT)).isBetween(35, 90);
  }

  @Test
  void eventTimeNeverGoesBackwards() {
    for (int i = 1; i < threeDays.size(); i++) {
      assertThat(threeDays.get(i).eventTime()).isAfterOrEqualTo(threeDays.get(i - 1).eventTime());
    }
    assertThat(threeDays.get(0).eventTime()).isAfterOrEqualTo(BEGINNING);
    assertThat(threeDays.get(threeDays.size() - 1).eventTime()).isBefore(THREE_DAYS_LATER);
  }

  @Test
  void sameSeedSameMessagesOtherSeedOtherMessages() {
    TrafficConfig config = TrafficConfig.defaults(SEED, BEGINNING).withShares(0.05, 0.05);
    List<String> a = texts(new TrafficGenerator(district, config).take(5_000));
    List<String> b = texts(new TrafficGenerator(district, config).take(5_000));
    List<String> c =
        texts(
            new TrafficGenerator(
                    district, TrafficConfig.defaults(SEED + 1, BEGINNING).withShares(0.05, 0.05))
                .take(5_000));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void turningTheCameraRateUpLeavesTheSensorReadingsAlone() {
    TrafficConfig quiet = TrafficConfig.defaults(SEED, BEGINNING).withRates(50, 5, 0.5);
    TrafficConfig busy = quiet.withRates(50, 50, 0.5);
    Instant end = BEGINNING.plus(Duration.ofMinutes(10));
    assertThat(goodSensorTexts(new TrafficGenerator(district, busy).until(end)))
        .isEqualTo(goodSensorTexts(new TrafficGenerator(district, quiet).until(end)));
  }

  @Test
  void idsCarryTheRunIdSoRunsDoNotCollide() throws IOException {
    TrafficConfig config = TrafficConfig.defaults(SEED, BEGINNING).withRunId("demo1");
    for (TrafficItem item : new TrafficGenerator(district, config).take(2_000)) {
      if (!item.isGood()) continue;
      if (item.source() == TrafficSource.CAMERA) {
        assertThat(Json.MAPPER.readTree(item.payload()).path("eventId").asText())
            .matches("ce-demo1-\\d{8}");
      } else if (item.source() == TrafficSource.DEPARTMENT) {
        assertThat(Json.MAPPER.readTree(item.payload()).path("recordId").asText())
            .matches("[a-z]{2}-demo1-\\d{8}");
      } else {
        Device d =
            district
                .device(item.topic().substring(item.topic().lastIndexOf('/') + 1))
                .orElseThrow();
        assertThat(item.topic()).isEqualTo("gf/sensors/" + d.type() + "/" + d.deviceId());
      }
    }
  }

  private static List<String> texts(List<TrafficItem> items) {
    return items.stream().map(i -> i.topic() + " " + i.payload()).toList();
  }

  private static List<String> goodSensorTexts(List<TrafficItem> items) {
    return texts(
        items.stream().filter(i -> i.isGood() && i.source() == TrafficSource.SENSOR).toList());
  }
}
