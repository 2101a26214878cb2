package org.gridfusion.launcher.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the offered load enters GridFusion: shares of sensor readings over MQTT, camera events over
 * HTTP and department records through the inbox ({@code mqtt=70,http=20,inbox=10}), or {@code
 * kafka}: the same 70/20/10 mix written straight into the raw topics, as the connectors would, to
 * measure the job without the connectors in front of it.
 *
 * @param sensorShare share of the offered records that are sensor readings (0..1)
 * @param cameraShare share that are camera events
 * @param departmentShare share that are department records
 * @param kafka true to bypass MQTT, HTTP and the inbox
 */
public record IngressMix(
    double sensorShare, double cameraShare, double departmentShare, boolean kafka) {
  public static final IngressMix DEFAULT = new IngressMix(0.7, 0.2, 0.1, false);
  public static final IngressMix KAFKA = new IngressMix(0.7, 0.2, 0.1, true);

  public IngressMix {
    if (sensorShare < 0
        || cameraShare < 0
        || departmentShare < 0
        || Math.abs(sensorShare + cameraShare + departmentShare - 1) > 1e-9) {
      throw new IllegalArgumentException("--ingress shares must be >= 0 and add up to 100");
    }
  }

  /**
   * {@code kafka}, or {@code mqtt=N,http=N,inbox=N} in any order (missing parts are 0), weights
   * summing to 100.
   */
  public static IngressMix parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("kafka")) return KAFKA;
    Map<String, Double> parts = new LinkedHashMap<>(Map.of("mqtt", 0.0, "http", 0.0, "inbox", 0.0));
    for (String part : t.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || !parts.containsKey(kv[0].trim())) {
        throw new IllegalArgumentException(
            "--ingress: expected kafka or mqtt=N,http=N,inbox=N, got '" + text + "'");
      }
      try {
        parts.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--ingress: '" + kv[1].trim() + "' is not a number in '" + text + "'");
      }
    }
    double sum = parts.values().stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(sum - 100) > 1e-6)
      throw new IllegalArgumentException("--ingress weights must add up to 100, got " + sum);
    return new IngressMix(
        parts.get("mqtt") / 100, parts.get("http") / 100, parts.get("inbox") / 100, false);
  }

  /** For file names and tables: {@code kafka} or {@code mqtt70-http20-inbox10}. */
  public String label() {
    if (kafka) return "kafka";
    return String.format(
        Locale.ROOT,
        "mqtt%.0f-http%.0f-inbox%.0f",
        sensorShare * 100,
        cameraShare * 100,
        departmentShare * 100);
  }
}
