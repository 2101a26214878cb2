package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.district.Address;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.format.Timestamps;

/**
 * Invalid inputs of the kinds field systems really produce (contract §3), each with the dead-letter
 * reason the pipeline should give it: truncated JSON, unknown types and departments, coordinates
 * out of range or outside the district, unregistered devices without coordinates, missing ids,
 * impossible values, timestamps beyond the 30-day horizon, unknown address codes. Values in them
 * stay harmless should a pipeline wrongly accept one.
 */
final class BadRecords {
  /** Tiananmen Square: valid coordinates, far outside any grid. */
  private static final BigDecimal OUTSIDE_LAT = new BigDecimal("39.904200");

  private static final BigDecimal OUTSIDE_LON = new BigDecimal("116.407400");

  /** Older than the contract's default 30-day horizon, whatever the receipt time. */
  private static final Duration TOO_OLD = Duration.ofDays(60);

  private final List<Device> sensors;
  private final List<Device> cameras;
  private final List<Address> addresses;
  private final SplittableRandom random;
  private final String runId;
  private long sequence;

  BadRecords(District district, String runId, SplittableRandom random) {
    this.sensors = district.sensors();
    this.cameras = district.cameras();
    this.addresses = district.addresses();
    this.random = random;
    this.runId = runId;
  }

  TrafficItem next(TrafficSource source, Instant ts) {
    return switch (source) {
      case SENSOR -> sensor(ts);
      case CAMERA -> camera(ts);
      case DEPARTMENT -> department(ts.truncatedTo(ChronoUnit.SECONDS));
    };
  }

  private TrafficItem sensor(Instant ts) {
    Device d = sensors.get(random.nextInt(sensors.size()));
    String type = d.type();
    String topic = SensorTraffic.topic(type, d.deviceId());
    String good = "{\"ts\":\"" + Timestamps.chinaMillis(ts) + "\",\"value\":0.5,\"battery\":80}";
    return switch (random.nextInt(7)) {
      case 0 -> sensorItem(ts, topic, good.substring(0, good.length() / 2), Reason.MALFORMED, type);
      case 1 ->
          sensorItem(
              ts,
              SensorTraffic.topic("RADIATION", "RADIATION-" + id()),
              good,
              Reason.UNKNOWN_TYPE,
              "RADIATION");
      case 2 ->
          sensorItem(
              ts, "gf/sensor/" + type + "/" + d.deviceId(), good, Reason.UNKNOWN_TOPIC, type);
      case 3 ->
          sensorItem(
              ts, SensorTraffic.topic(type, type + "-X" + id()), good, Reason.UNKNOWN_DEVICE, type);
      case 4 ->
          sensorItem(
              ts,
              topic,
              "{\"ts\":\"" + Timestamps.chinaMillis(ts) + "\",\"battery\":80}",
              Reason.MISSING_FIELD,
              type);
      case 5 ->
          sensorItem(
              ts,
              topic,
              "{\"ts\":\"" + Timestamps.chinaMillis(ts) + "\",\"value\":0.5,\"battery\":140}",
              Reason.INVALID_FIELD,
              type);
      default ->
          sensorItem(
              ts,
              topic,
              "{\"ts\":\""
                  + Timestamps.chinaMillis(ts.minus(TOO_OLD))
                  + "\",\"value\":0.5,\"battery\":80}",
              Reason.TS_TOO_OLD,
              type);
    };
  }

  private TrafficItem camera(Instant ts) {
    Device c = cameras.get(random.nextInt(cameras.size()));
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("eventId", "bad-" + runId + "-" + id());
    o.put("cameraId", c.deviceId());
    o.put("type", "GARBAGE_OVERFLOW");
    o.put("ts", Timestamps.utcMillis(ts));
    o.put("confidence", new BigDecimal("0.66"));
    o.put("objectCount", 0);
    Reason reason;
    switch (random.nextInt(8)) {
      case 0 -> {
        String text = Json.write(o);
        return cameraItem(
            ts, text.substring(0, text.length() - 7), Reason.MALFORMED, "GARBAGE_OVERFLOW");
      }
      case 1 -> {
        o.put("type", "TRAFFIC_JAM");
        reason = Reason.UNKNOWN_TYPE;
      }
      case 2 -> {
        o.put("lat", new BigDecimal("143.650000"));
        o.put("lon", new BigDecimal("122.250000"));
        reason = Reason.COORDINATES_OUT_OF_RANGE;
      }
      case 3 -> {
        o.put("lat", OUTSIDE_LAT);
        o.put("lon", OUTSIDE_LON);
        reason = Reason.OUT_OF_AREA;
      }
      case 4 -> {
        o.put("cameraId", "CAM-X" + id());
        reason = Reason.UNKNOWN_DEVICE;
      }
      case 5 -> {
        o.remove("eventId");
        reason = Reason.MISSING_FIELD;
      }
      case 6 -> {
        o.put("confidence", new BigDecimal("1.70"));
        reason = Reason.INVALID_FIELD;
      }
      default -> {
        o.put("ts", Timestamps.utcMillis(ts.minus(TOO_OLD)));
        reason = Reason.TS_TOO_OLD;
      }
    }
    return cameraItem(ts, Json.write(o), reason, o.path("type").asText());
  }

  private TrafficItem department(Instant ts) {
    Address a = addresses.get(random.nextInt(addresses.size()));
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("recordId", "bad-" + runId + "-" + id());
    o.put("department", "URBAN_MANAGEMENT");
    o.put("recordType", "CASE_REPORTED");
    o.put("ts", Timestamps.chinaSeconds(ts));
    o.put("addressCode", a.addressCode());
    o.putObject("attributes").put("caseType", "LITTERING");
    Reason reason;
    switch (random.nextInt(7)) {
      case 0 -> {
        String text = Json.write(o);
        return departmentItem(ts, text.substring(0, text.length() / 2), Reason.MALFORMED);
      }
      case 1 -> {
        o.put("department", "TAX_BUREAU");
        reason = Reason.UNKNOWN_DEPARTMENT;
      }
      case 2 -> {
        o.remove("addressCode");
        o.put("lat", new BigDecimal("95.100000"));
        o.put("lon", new BigDecimal("122.250000"));
        reason = Reason.COORDINATES_OUT_OF_RANGE;
      }
      case 3 -> {
        o.remove("addressCode");
        o.put("lat", OUTSIDE_LAT);
        o.put("lon", OUTSIDE_LON);
        reason = Reason.OUT_OF_AREA;
      }
      case 4 -> {
        o.remove("recordId");
        reason = Reason.MISSING_FIELD;
      }
      case 5 -> {
        o.put("addressCode", "150502-999-" + id());
        reason = Reason.UNKNOWN_ADDRESS;
      }
      default -> {
        o.put("ts", Timestamps.chinaSeconds(ts.minus(TOO_OLD)));
        reason = Reason.TS_TOO_OLD;
      }
    }
    return departmentItem(ts, Json.write(o), reason);
  }

  private String id() {
    return String.format(Locale.ROOT, "%06d", ++sequence);
  }

  private static TrafficItem sensorItem(
      Instant ts, String topic, String payload, Reason reason, String type) {
    return new TrafficItem(
        TrafficSource.SENSOR, ts, topic, payload, Quality.BAD, reason, null, type);
  }

  private static TrafficItem cameraItem(Instant ts, String payload, Reason reason, String type) {
    return new TrafficItem(
        TrafficSource.CAMERA, ts, null, payload, Quality.BAD, reason, null, type);
  }

  private static TrafficItem departmentItem(Instant ts, String payload, Reason reason) {
    return new TrafficItem(
        TrafficSource.DEPARTMENT, ts, null, payload, Quality.BAD, reason, null, "CASE_REPORTED");
  }
}
