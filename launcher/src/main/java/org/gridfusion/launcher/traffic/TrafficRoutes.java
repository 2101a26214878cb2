package org.gridfusion.launcher.traffic;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.simulator.traffic.HttpTrafficSink;
import org.gridfusion.simulator.traffic.InboxTrafficSink;
import org.gridfusion.simulator.traffic.JdbcTrafficSink;
import org.gridfusion.simulator.traffic.MqttTrafficSink;
import org.gridfusion.simulator.traffic.RoutingTrafficSink;
import org.gridfusion.simulator.traffic.TrafficSink;

/**
 * Which interface each simulated source goes through, from {@code --via}: {@code mqtt} carries
 * sensor readings, {@code http} camera events, {@code inbox} or {@code jdbc} department records
 * (contract §2), and {@code kafka} every source not named otherwise, written straight into the raw
 * topics as the connectors would (load tests). A source no route carries is not sent. Default
 * {@code mqtt,http,inbox}.
 */
public record TrafficRoutes(Route sensors, Route cameras, Route departments) {
  public static final String DEFAULT = "mqtt,http,inbox";

  public enum Route {
    MQTT,
    HTTP,
    INBOX,
    JDBC,
    KAFKA
  }

  public static TrafficRoutes parse(String text) {
    Route sensors = null;
    Route cameras = null;
    Route departments = null;
    boolean kafka = false;
    for (String part : text.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "mqtt" -> sensors = Route.MQTT;
        case "http" -> cameras = Route.HTTP;
        case "inbox", "jdbc" -> {
          if (departments != null)
            throw new IllegalArgumentException(
                "--via: department records go through inbox or jdbc, not both");
          departments = name.equals("inbox") ? Route.INBOX : Route.JDBC;
        }
        case "kafka" -> kafka = true;
        default ->
            throw new IllegalArgumentException(
                "--via: '"
                    + part.trim()
                    + "' is not one of mqtt, http, inbox, jdbc, kafka (e.g. --via mqtt,http,jdbc or --via kafka)");
      }
    }
    if (kafka) {
      if (sensors == null) sensors = Route.KAFKA;
      if (cameras == null) cameras = Route.KAFKA;
      if (departments == null) departments = Route.KAFKA;
    }
    return new TrafficRoutes(sensors, cameras, departments);
  }

  /**
   * Opens one sink per route, from the configuration's endpoints ({@code mqtt.url} with {@code
   * mqtt.username}/{@code mqtt.password}: GridFusion's MQTT endpoint or a district's broker, {@code
   * ingest.http.*}, {@code ingest.inbox}, {@code ingest.jdbc.*}, {@code kafka.bootstrap}).
   *
   * @param name MQTT and Kafka client id, inbox file prefix
   * @param httpUrl base URL of the HTTP ingest, or null for 127.0.0.1 and {@code ingest.http.port}
   */
  /**
   * The dead letters' pseudonymiser: with {@code privacy.hmacSecret} when configured (refs then
   * match gf-records'), else with a secret made for this run only — a simulator run should not need
   * the production secret, and its dead letters are still never in clear.
   */
  static PayloadPseudonymiser privacy(Config config) {
    if (config.isSet(GridFusionOptions.PRIVACY_HMAC_SECRET)) {
      return PayloadPseudonymiser.from(config);
    }
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return new PayloadPseudonymiser(HexFormat.of().formatHex(b));
  }

  public RoutingTrafficSink open(Config config, String name, String httpUrl) {
    List<TrafficSink> opened = new ArrayList<>();
    try {
      KafkaTrafficSink kafka =
          uses(Route.KAFKA)
              ? add(
                  opened,
                  new KafkaTrafficSink(
                      KafkaConnection.from(config, "for --via kafka"), name, privacy(config)))
              : null;
      TrafficSink s =
          sensors == Route.MQTT
              ? add(
                  opened,
                  MqttTrafficSink.connect(
                      config.require(GridFusionOptions.MQTT_URL, "to publish readings"),
                      name,
                      MqttTrafficSink.DEFAULT_MAX_INFLIGHT,
                      config.get(GridFusionOptions.MQTT_USERNAME),
                      config.get(GridFusionOptions.MQTT_PASSWORD)))
              : sensors == Route.KAFKA ? kafka : null;
      TrafficSink c =
          cameras == Route.HTTP
              ? add(
                  opened,
                  new HttpTrafficSink(
                      httpUrl != null
                          ? httpUrl
                          : "http://127.0.0.1:" + config.get(GridFusionOptions.INGEST_HTTP_PORT),
                      config
                          .require(GridFusionOptions.INGEST_HTTP_TOKENS, "to post camera events")
                          .get(0)))
              : cameras == Route.KAFKA ? kafka : null;
      TrafficSink d =
          departments == Route.INBOX
              ? add(
                  opened,
                  new InboxTrafficSink(
                      Path.of(
                          config.require(
                              GridFusionOptions.INGEST_INBOX, "to drop department records")),
                      name))
              : departments == Route.JDBC
                  ? add(opened, jdbc(config))
                  : departments == Route.KAFKA ? kafka : null;
      return new RoutingTrafficSink(s, c, d);
    } catch (RuntimeException e) {
      opened.forEach(TrafficSink::close);
      throw e;
    }
  }

  private boolean uses(Route route) {
    return sensors == route || cameras == route || departments == route;
  }

  private static JdbcTrafficSink jdbc(Config config) {
    String url =
        config.require(
            GridFusionOptions.INGEST_JDBC_URL, "for --via jdbc: the department database");
    String table =
        config.require(
            GridFusionOptions.INGEST_JDBC_TABLE, "for --via jdbc: the table ingest-jdbc polls");
    String position =
        config.require(GridFusionOptions.INGEST_JDBC_POSITION_COLUMN, "for --via jdbc");
    try {
      return JdbcTrafficSink.connect(
          url,
          config.get(GridFusionOptions.INGEST_JDBC_USER),
          config.get(GridFusionOptions.INGEST_JDBC_PASSWORD),
          table,
          position);
    } catch (SQLException e) {
      throw new ConfigException(
          GridFusionOptions.INGEST_JDBC_URL.key(),
          "cannot insert into " + table + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(GridFusionOptions.INGEST_JDBC_TABLE.key(), e.getMessage());
    }
  }

  private static <T extends TrafficSink> T add(List<TrafficSink> opened, T sink) {
    opened.add(sink);
    return sink;
  }

  /** For messages: {@code sensors→mqtt cameras→http departments→inbox}. */
  public String describe() {
    return "sensors→"
        + name(sensors)
        + " cameras→"
        + name(cameras)
        + " departments→"
        + name(departments);
  }

  private static String name(Route r) {
    return r == null ? "(not sent)" : r.name().toLowerCase(Locale.ROOT);
  }
}
