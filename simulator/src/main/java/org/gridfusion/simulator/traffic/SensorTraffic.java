package org.gridfusion.simulator.traffic;

import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.format.Timestamps;

/**
 * Sensor readings as real devices send them: each sensor reports on its own schedule, every {@code
 * interval} of event time with +-20% jitter, so every device is heard from regularly rather than at
 * random. The interval is set so that all sensors but the doors together make the configured rate.
 * DOOR sensors report on the household's events ({@link DoorHabits}: openings from morning to late
 * evening, shut and silent at night) and at least every {@link TrafficConfig#doorReportInterval()},
 * so an elderly person's door never goes silent for 24 h by accident. Values follow the hour
 * (noise, current) and the district's {@link Weather} (water levels).
 */
final class SensorTraffic {
  private static final long DAY_MS = 86_400_000L;

  private record Slot(long ts, int device) {}

  private final List<Device> sensors;
  private final SensorType[] types;
  private final double[] resting;
  private final int[] batteryAtStart;
  private final boolean[] doorOpen;
  private final long[] interval;
  private final long startMs;
  private long doorHeartbeat;
  private final PriorityQueue<Slot> queue =
      new PriorityQueue<>(
          (a, b) -> a.ts != b.ts ? Long.compare(a.ts, b.ts) : Integer.compare(a.device, b.device));
  private final SplittableRandom random;
  private final Weather weather;

  SensorTraffic(List<Device> sensors, TrafficConfig config, SplittableRandom random) {
    this.sensors = sensors;
    this.random = random;
    this.weather = new Weather(config.seed());
    this.startMs = config.start().toEpochMilli();
    int n = sensors.size();
    types = new SensorType[n];
    resting = new double[n];
    batteryAtStart = new int[n];
    doorOpen = new boolean[n];
    interval = new long[n];
    double goodPerEventSecond =
        config.sensorReadingsPerSecond() * config.goodShare() / config.speedUp();
    if (n == 0 || goodPerEventSecond <= 0) return;
    long scheduled = sensors.stream().filter(d -> d.sensorType() != SensorType.DOOR).count();
    long base = (long) Math.max(1, Math.max(1, scheduled) * 1000.0 / goodPerEventSecond);
    doorHeartbeat = config.doorReportInterval().toMillis();
    for (int i = 0; i < n; i++) {
      types[i] = sensors.get(i).sensorType();
      resting[i] = BackgroundValues.restingLevel(types[i], random);
      batteryAtStart[i] = 35 + random.nextInt(66);
      interval[i] = base;
      long first =
          types[i] == SensorType.DOOR
              ? DoorHabits.next(startMs, false, doorHeartbeat, random)
              : startMs + (long) (random.nextDouble() * interval[i]);
      queue.add(new Slot(first, i));
    }
  }

  /** Event time of the next reading, or {@link Long#MAX_VALUE} when sensors are off. */
  long peekTime() {
    Slot s = queue.peek();
    return s == null ? Long.MAX_VALUE : s.ts;
  }

  TrafficItem next() {
    Slot s = queue.poll();
    int i = s.device;
    Device d = sensors.get(i);
    SensorType type = types[i];
    Instant ts = Instant.ofEpochMilli(s.ts);
    int localHour = DailyRhythm.localHour(s.ts);
    if (type == SensorType.DOOR) {
      // an open door closes; a shut one opens while the household is up, else it is a heartbeat
      doorOpen[i] = !doorOpen[i] && DailyRhythm.doorsActive(localHour);
      queue.add(new Slot(DoorHabits.next(s.ts, doorOpen[i], doorHeartbeat, random), i));
    } else {
      queue.add(
          new Slot(
              s.ts + Math.max(1, (long) (interval[i] * (0.8 + random.nextDouble() * 0.4))), i));
    }
    double wetness = type == SensorType.WATER_LEVEL ? weather.wetness(s.ts) : 0;
    double v = BackgroundValues.value(type, resting[i], localHour, doorOpen[i], wetness, random);
    StringBuilder payload =
        new StringBuilder(64)
            .append("{\"ts\":\"")
            .append(Timestamps.chinaMillis(ts))
            .append("\",\"value\":")
            .append(BackgroundValues.text(type, v));
    if (BackgroundValues.hasBattery(type)) {
      // Batteries drain about one point every three days.
      long days = Math.max(0, (s.ts - startMs) / DAY_MS);
      payload.append(",\"battery\":").append(Math.max(5, batteryAtStart[i] - days / 3));
    }
    payload.append('}');
    return new TrafficItem(
        TrafficSource.SENSOR,
        ts,
        topic(type.name(), d.deviceId()),
        payload.toString(),
        Quality.GOOD,
        null,
        d.gridId(),
        type.name());
  }

  static String topic(String type, String deviceId) {
    return "gf/sensors/" + type + "/" + deviceId;
  }
}
