package org.gridfusion.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.embedded.EmbeddedStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default of {@code up} and {@code demo}: whatever endpoint the configuration leaves
 * unset is started in-process (Kafka) or as a child process (Elasticsearch), and the configuration
 * is completed with its address. MQTT needs no broker: with {@code mqtt.url} unset, the {@link
 * Pipeline} runs GridFusion's own MQTT endpoint, on {@code embedded.mqtt.port} unless {@code
 * ingest.mqtt.port} is set. Secrets the user did not set are generated and said so, because an
 * embedded stack is for trying GridFusion, not for keeping data: the ingest token, the HMAC secret,
 * one console operator token and (when the MQTT endpoint listens beyond loopback) one MQTT user,
 * each kept in {@code <data dir>/secrets/} so a restart keeps them.
 */
final class EmbeddedDefaults {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDefaults.class);

  private EmbeddedDefaults() {}

  /**
   * @param tokenGenerated whether the ingest token was generated here (and may be printed): a token
   *     the operator configured is never printed
   * @param mqttPasswordGenerated whether the MQTT endpoint's one user was generated here (its
   *     password may then be shown, as the demo's token is)
   * @param consoleToken the operator token generated for the console, to print; null when {@code
   *     console.tokens} was configured
   */
  record Started(
      Config config,
      EmbeddedStack stack,
      boolean tokenGenerated,
      boolean mqttPasswordGenerated,
      String consoleToken) {}

  /** The user of the embedded Kafka and Elasticsearch with {@code embedded.secure}. */
  static final String EMBEDDED_USER = "gridfusion";

  static Started start(Config config) throws Exception {
    Path dataDir = Path.of(config.get(GridFusionOptions.DATA_DIR)).toAbsolutePath();
    boolean needKafka = !config.isSet(GridFusionOptions.KAFKA_BOOTSTRAP);
    boolean needEs = !config.isSet(GridFusionOptions.ELASTICSEARCH_URL);
    EmbeddedStack stack = null;
    boolean mqttPasswordGenerated = false;
    if (needKafka || needEs) {
      String dist = config.get(GridFusionOptions.EMBEDDED_ES_DISTRIBUTION);
      EmbeddedStack.Security login = null;
      if (config.get(GridFusionOptions.EMBEDDED_SECURE)) {
        login =
            new EmbeddedStack.Security(
                EMBEDDED_USER, generated(dataDir, "embedded-password", "", 18));
      }
      stack =
          EmbeddedStack.start(
              new EmbeddedStack.Options(
                  dataDir,
                  config.get(GridFusionOptions.EMBEDDED_KAFKA_PORT),
                  config.get(GridFusionOptions.EMBEDDED_ES_PORT),
                  config.get(GridFusionOptions.EMBEDDED_ES_HEAP),
                  config.get(GridFusionOptions.EMBEDDED_ES_USER),
                  dist == null ? null : Path.of(dist),
                  needEs,
                  config.get(GridFusionOptions.EMBEDDED_BIND_ADDRESS),
                  config.get(GridFusionOptions.EMBEDDED_ADVERTISED_HOST),
                  login));
      if (needKafka) {
        config = config.with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.bootstrap());
        if (login != null) {
          config =
              config
                  .with(GridFusionOptions.KAFKA_SECURITY_PROTOCOL, "SASL_PLAINTEXT")
                  .with(GridFusionOptions.KAFKA_SASL_MECHANISM, "SCRAM-SHA-512")
                  .with(GridFusionOptions.KAFKA_SASL_USERNAME, login.username())
                  .with(GridFusionOptions.KAFKA_SASL_PASSWORD, login.password());
        }
      }
      if (needEs) {
        config = config.with(GridFusionOptions.ELASTICSEARCH_URL, stack.elasticsearchUrl());
        if (login != null) {
          config =
              config
                  .with(GridFusionOptions.ELASTICSEARCH_USERNAME, login.username())
                  .with(GridFusionOptions.ELASTICSEARCH_PASSWORD, login.password())
                  .with(
                      GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE,
                      stack.elasticsearch().caCertificate().toString());
        }
      }
      if (login != null) {
        LOG.info(
            "embedded.secure: Kafka takes SASL/SCRAM-SHA-512 logins only, Elasticsearch HTTPS logins"
                + " only; user {}, password in {}",
            login.username(),
            dataDir.resolve("secrets").resolve("embedded-password"));
      }
    }
    if (!config.isSet(GridFusionOptions.MQTT_URL)) {
      config =
          config
              .withDefault(
                  GridFusionOptions.INGEST_MQTT_PORT,
                  config.get(GridFusionOptions.EMBEDDED_MQTT_PORT))
              .withDefault(
                  GridFusionOptions.INGEST_MQTT_BIND,
                  config.get(GridFusionOptions.EMBEDDED_BIND_ADDRESS));
      boolean loopback = isLoopback(config.get(GridFusionOptions.INGEST_MQTT_BIND));
      if (!config.isSet(GridFusionOptions.INGEST_MQTT_USERS)
          && !config.isSet(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS)
          && loopback) {
        // Contract §2.2 sensors carry no credentials, and the embedded stack is for trying
        // GridFusion on one machine: only local clients can reach a loopback endpoint, as with the
        // embedded broker before. Listening further out (ingest.mqtt.bind) needs users.
        config = config.with(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS, true);
        LOG.info(
            "No ingest.mqtt.users configured: the MQTT endpoint accepts anonymous clients on {} only",
            config.get(GridFusionOptions.INGEST_MQTT_BIND));
      } else if (!config.isSet(GridFusionOptions.INGEST_MQTT_USERS)
          && !config.get(GridFusionOptions.INGEST_MQTT_ALLOW_ANONYMOUS)) {
        config =
            config.with(
                GridFusionOptions.INGEST_MQTT_USERS,
                "gridfusion:" + generated(dataDir, "mqtt-password", "", 12));
        mqttPasswordGenerated = true;
        LOG.info(
            "No ingest.mqtt.users configured: sensors log in as user gridfusion with the generated password kept in {}",
            dataDir.resolve("secrets"));
      }
    }
    boolean tokenGenerated = false;
    if (!config.isSet(GridFusionOptions.INGEST_HTTP_TOKENS)
        && !config.isSet(GridFusionOptions.INGEST_HTTP_TOKENS_FILE)) {
      config =
          config.with(
              GridFusionOptions.INGEST_HTTP_TOKENS, generated(dataDir, "ingest-token", "gf-", 16));
      tokenGenerated = true;
      LOG.info(
          "No ingest.http.tokens configured: using the generated token kept in {}",
          dataDir.resolve("secrets"));
    }
    if (!config.isSet(GridFusionOptions.PRIVACY_HMAC_SECRET)) {
      config =
          config.with(
              GridFusionOptions.PRIVACY_HMAC_SECRET, generated(dataDir, "hmac-secret", "", 32));
      LOG.warn(
          "No privacy.hmacSecret configured: using a generated secret kept in {} (set privacy.hmacSecret in production)",
          dataDir.resolve("secrets"));
    }
    String consoleToken = null;
    if (!config.isSet(GridFusionOptions.CONSOLE_TOKENS)) {
      consoleToken = generated(dataDir, "console-token", "gfc-", 16);
      config =
          config.with(
              GridFusionOptions.CONSOLE_TOKENS,
              new ConsoleToken(consoleToken, ConsoleToken.Role.OPERATOR).text());
      LOG.info(
          "No console.tokens configured: using the generated operator token kept in {}",
          dataDir.resolve("secrets"));
    }
    return new Started(config, stack, tokenGenerated, mqttPasswordGenerated, consoleToken);
  }

  /**
   * A secret generated once per data directory, so a restarted stack keeps its subjectRefs and
   * token.
   */
  private static String generated(Path dataDir, String name, String prefix, int bytes)
      throws IOException {
    Path file = dataDir.resolve("secrets").resolve(name);
    if (Files.isRegularFile(file)) {
      return Files.readString(file).trim();
    }
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    String value = prefix + HexFormat.of().formatHex(b);
    Files.createDirectories(file.getParent());
    Files.writeString(file, value + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    return value;
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
