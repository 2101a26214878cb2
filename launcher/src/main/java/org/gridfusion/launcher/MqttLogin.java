package org.gridfusion.launcher;

import java.util.List;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * The user name and password a GridFusion process itself publishes sensor readings with (the demo's
 * and the benchmark's simulated sensors, {@code simulate run}); both null: anonymously.
 *
 * @param username null for none
 * @param password null for none
 */
public record MqttLogin(String username, String password) {
  /**
   * With GridFusion's own endpoint ({@code mqtt.url} unset), the first of {@code
   * ingest.mqtt.users}; with a district's broker, {@code mqtt.username}/{@code mqtt.password}.
   */
  public static MqttLogin forSensors(Config config) {
    List<String> users = config.get(GridFusionOptions.INGEST_MQTT_USERS);
    if (!config.isSet(GridFusionOptions.MQTT_URL) && !users.isEmpty()) {
      String first = users.get(0);
      int colon = first.indexOf(':');
      return new MqttLogin(first.substring(0, colon), first.substring(colon + 1));
    }
    return new MqttLogin(
        config.get(GridFusionOptions.MQTT_USERNAME), config.get(GridFusionOptions.MQTT_PASSWORD));
  }

  /** For an {@code endpoint} line: {@code (user NAME[, password PASSWORD])}, or nothing. */
  String describe(boolean withPassword) {
    if (username == null) return "";
    return " (user " + username + (withPassword ? ", password " + password : "") + ")";
  }
}
