package org.gridfusion.common.config;

import static org.gridfusion.common.config.ConfigOption.bool;
import static org.gridfusion.common.config.ConfigOption.decimal;
import static org.gridfusion.common.config.ConfigOption.duration;
import static org.gridfusion.common.config.ConfigOption.durations;
import static org.gridfusion.common.config.ConfigOption.integer;
import static org.gridfusion.common.config.ConfigOption.list;
import static org.gridfusion.common.config.ConfigOption.objects;
import static org.gridfusion.common.config.ConfigOption.properties;
import static org.gridfusion.common.config.ConfigOption.string;
import static org.gridfusion.common.config.ConfigOption.weights;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.kafka.KafkaConnection;

/**
 * Every configuration key GridFusion reads. Keys marked (contract) are named in contract §7 and
 * never change; the others are the project's own (documented in the README's configuration table,
 * which {@code gridfusion config --list} prints from here).
 */
public final class GridFusionOptions {
  private GridFusionOptions() {}

  // --- reference data (contract §1)
  public static final ConfigOption<String> REFERENCE_GRID_MAP =
      string(
              "reference.gridMap",
              null,
              "(contract) GeoJSON grid map; default in up/demo: the generated demo district")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> REFERENCE_DEVICES =
      string("reference.devices", null, "(contract) device registry CSV deviceId,kind,type,lat,lon")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> REFERENCE_ADDRESSES =
      string(
              "reference.addresses",
              null,
              "(contract) address registry CSV addressCode,lat,lon,label")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> REFERENCE_SOURCE =
      string(
              "reference.source",
              "files",
              "where the job reads reference data: files (reference.* paths, on every TaskManager) or kafka"
                  + " (the compacted topic gf.reference that `reference push` fills; what a cluster uses)")
          .checkedBy(Checks.oneOf("files", "kafka"));
  public static final ConfigOption<Duration> REFERENCE_RELOAD_INTERVAL =
      duration(
              "reference.reloadInterval",
              Duration.ofSeconds(10),
              "how often the job checks the reference files for changes")
          .checkedBy(Checks.positive());

  // --- endpoints
  public static final ConfigOption<String> KAFKA_BOOTSTRAP =
      string(
              "kafka.bootstrap",
              null,
              "(contract) Kafka bootstrap servers; default in up/demo: the embedded broker")
          .checkedBy(Checks.hostPorts());
  public static final ConfigOption<Integer> KAFKA_PARTITIONS =
      integer("kafka.partitions", 2, "partitions of the topics `setup` creates")
          .checkedBy(Checks.range(1, 10_000));
  public static final ConfigOption<Integer> KAFKA_REPLICATION =
      integer("kafka.replicationFactor", 1, "replication factor of the topics `setup` creates")
          .checkedBy(Checks.range(1, Short.MAX_VALUE));
  public static final ConfigOption<Duration> KAFKA_DEADLETTER_RETENTION =
      duration(
              "kafka.deadletterRetention",
              Duration.ofDays(7),
              "how long gf.deadletter keeps a dead letter (retention.ms, set by setup); an unparseable"
                  + " payload is kept as received for this long")
          .checkedBy(Checks.between(Duration.ofMinutes(1), Duration.ofDays(3650)));
  // Kafka client security: one set of settings for every Kafka client GridFusion creates
  // (connectors, the jobs' sources and sinks, setup, rules push, simulator, probes); see
  // KafkaConnection and the README's Security section.
  public static final ConfigOption<String> KAFKA_SECURITY_PROTOCOL =
      string(
              "kafka.security.protocol",
              "PLAINTEXT",
              "how Kafka clients connect: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
          .checkedBy(Checks.oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"));
  public static final ConfigOption<String> KAFKA_SASL_MECHANISM =
      string(
              "kafka.sasl.mechanism",
              "SCRAM-SHA-512",
              "SASL mechanism with SASL_PLAINTEXT/SASL_SSL: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN")
          .checkedBy(Checks.oneOf("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"));
  public static final ConfigOption<String> KAFKA_SASL_USERNAME =
      string("kafka.sasl.username", null, "SASL user of every GridFusion Kafka client");
  public static final ConfigOption<String> KAFKA_SASL_PASSWORD =
      string("kafka.sasl.password", null, "SASL password of kafka.sasl.username").secret();
  public static final ConfigOption<String> KAFKA_SSL_TRUSTSTORE_LOCATION =
      string(
              "kafka.ssl.truststore.location",
              null,
              "trust store with the brokers' CA (SSL/SASL_SSL); default: the JVM's trusted CAs")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> KAFKA_SSL_TRUSTSTORE_PASSWORD =
      string("kafka.ssl.truststore.password", null, "password of the trust store").secret();
  public static final ConfigOption<String> KAFKA_SSL_TRUSTSTORE_TYPE =
      string("kafka.ssl.truststore.type", null, "PKCS12, JKS or PEM; default: Kafka's (JKS)")
          .checkedBy(Checks.oneOf("PKCS12", "JKS", "PEM"));
  public static final ConfigOption<String> KAFKA_SSL_KEYSTORE_LOCATION =
      string(
              "kafka.ssl.keystore.location",
              null,
              "client certificate and key for brokers that require TLS client authentication")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> KAFKA_SSL_KEYSTORE_PASSWORD =
      string("kafka.ssl.keystore.password", null, "password of the key store").secret();
  public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES =
      properties(
              "kafka.properties",
              "further Kafka client properties for every client (e.g. ssl.endpoint.identification.algorithm,"
                  + " sasl.jaas.config for OAUTHBEARER); names are checked against the Kafka client's")
          .secret();

  public static final ConfigOption<String> MQTT_URL =
      string(
              "mqtt.url",
              null,
              "(contract) MQTT broker URL, e.g. tcp://127.0.0.1:1883; default in up/demo: the embedded broker")
          .checkedBy(Checks.url("tcp", "ssl", "ws", "wss"));
  public static final ConfigOption<String> ELASTICSEARCH_URL =
      string(
              "elasticsearch.url",
              null,
              "(contract) Elasticsearch URL; default in up/demo: the embedded node")
          .checkedBy(Checks.url("http", "https"));
  public static final ConfigOption<Integer> ELASTICSEARCH_SHARDS =
      integer("elasticsearch.shards", 1, "primary shards per index (1 suits one node)")
          .checkedBy(Checks.range(1, 1024));
  public static final ConfigOption<Integer> ELASTICSEARCH_REPLICAS =
      integer("elasticsearch.replicas", 0, "replicas per index (0 on one node, 1+ on a cluster)")
          .checkedBy(Checks.range(0, 32));

  public static final ConfigOption<String> ELASTICSEARCH_USERNAME =
      string("elasticsearch.username", null, "Elasticsearch user (basic authentication)");
  public static final ConfigOption<String> ELASTICSEARCH_PASSWORD =
      string("elasticsearch.password", null, "password of elasticsearch.username").secret();
  public static final ConfigOption<String> ELASTICSEARCH_API_KEY =
      string(
              "elasticsearch.apiKey",
              null,
              "Elasticsearch API key (the encoded form the create-API-key call returns), instead of a user")
          .secret();
  public static final ConfigOption<String> ELASTICSEARCH_CA_CERTIFICATE =
      string(
              "elasticsearch.caCertificate",
              null,
              "PEM file with the CA that signed the cluster's HTTP certificate (e.g. Elasticsearch's"
                  + " http_ca.crt); default: the JVM's trusted CAs")
          .checkedBy(Checks.readableFile());

  // --- HTTP camera ingest (contract §2.1)
  public static final ConfigOption<Integer> INGEST_HTTP_PORT =
      integer("ingest.http.port", 8088, "(contract) HTTP camera ingest port")
          .checkedBy(Checks.port());
  public static final ConfigOption<String> INGEST_HTTP_BIND =
      string(
              "ingest.http.bind",
              "127.0.0.1",
              "address the HTTP ingest listens on (0.0.0.0 for all)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<List<String>> INGEST_HTTP_TOKENS =
      list(
              "ingest.http.tokens",
              List.of(),
              "(contract) accepted bearer tokens; up/demo generate and print one")
          .checkedBy(Checks.eachMinLength(16))
          .secret();
  public static final ConfigOption<String> INGEST_HTTP_TOKENS_FILE =
      string(
              "ingest.http.tokensFile",
              null,
              "file of accepted bearer tokens, one per line (# comments); re-read when it changes,"
                  + " so a token is added or revoked without a restart")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_HTTP_TLS_KEYSTORE =
      string(
              "ingest.http.tls.keystore",
              null,
              "PKCS12 key store with the HTTPS certificate and key; the ingest serves HTTPS only when set"
                  + " (or the PEM pair below)")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_HTTP_TLS_KEYSTORE_PASSWORD =
      string("ingest.http.tls.keystorePassword", null, "password of the key store").secret();
  public static final ConfigOption<String> INGEST_HTTP_TLS_CERTIFICATE =
      string(
              "ingest.http.tls.certificate",
              null,
              "PEM certificate chain for HTTPS (with ingest.http.tls.key), instead of a key store")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_HTTP_TLS_KEY =
      string(
              "ingest.http.tls.key",
              null,
              "PEM private key (PKCS#8, unencrypted) of ingest.http.tls.certificate")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<Integer> INGEST_HTTP_MAX_BODY =
      integer("ingest.http.maxBodyBytes", 1_048_576, "largest request body; larger gets 413")
          .checkedBy(Checks.range(1024, 256 * 1024 * 1024));
  public static final ConfigOption<Integer> INGEST_HTTP_MAX_ITEMS =
      integer("ingest.http.maxItems", 1000, "most events in one request")
          .checkedBy(Checks.range(1, 100_000));
  public static final ConfigOption<Duration> INGEST_HTTP_ACK_TIMEOUT =
      duration(
              "ingest.http.ackTimeout",
              Duration.ofSeconds(10),
              "wait this long for Kafka's acknowledgement before answering 503")
          .checkedBy(Checks.positive());
  public static final ConfigOption<Integer> INGEST_HTTP_THREADS =
      integer("ingest.http.threads", 16, "request handler threads (each waits for Kafka acks)")
          .checkedBy(Checks.range(1, 1024));

  // --- MQTT bridge (contract §2.2)
  public static final ConfigOption<String> MQTT_CLIENT_ID =
      string(
              "mqtt.clientId",
              "gridfusion-bridge-1",
              "fixed client id: the broker keeps the session (and unacked messages) under it")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<String> MQTT_TOPIC_FILTER =
      string("mqtt.topicFilter", "gf/sensors/#", "what the bridge subscribes to")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<String> MQTT_SHARED_GROUP =
      string(
          "mqtt.sharedGroup",
          null,
          "subscribe as $share/<group>/... so several bridges split the load (MQTT 5 / Mosquitto)");
  public static final ConfigOption<Integer> MQTT_MAX_INFLIGHT =
      integer(
              "mqtt.maxInflight",
              1000,
              "Paho client in-flight window (outgoing only); the broker's max_inflight_messages sets how many readings wait on Kafka")
          .checkedBy(Checks.range(1, 65_535));
  public static final ConfigOption<String> MQTT_USERNAME =
      string("mqtt.username", null, "MQTT user name (bridge, simulator)");
  public static final ConfigOption<String> MQTT_PASSWORD =
      string("mqtt.password", null, "MQTT password (bridge, simulator)").secret();

  /** PEM certificate(s) the bridge trusts for an ssl:// broker (a private CA or self-signed). */
  public static final ConfigOption<String> MQTT_TLS_CA_FILE =
      string(
              "mqtt.tls.caFile",
              null,
              "PEM certificate(s) the bridge trusts for an ssl:// broker; default: the JVM's trust store")
          .checkedBy(Checks.readableFile());

  public static final ConfigOption<Duration> MQTT_MAX_RECONNECT_DELAY =
      duration(
              "mqtt.maxReconnectDelay",
              Duration.ofSeconds(30),
              "longest pause between the bridge's attempts to (re)connect and subscribe")
          .checkedBy(Checks.between(Duration.ofMillis(100), Duration.ofHours(1)));

  // --- MQTT ingest endpoint (contract §2.2): sensors publish to GridFusion itself, which sends
  // PUBACK only once Kafka has the reading. up/demo run it unless mqtt.url names a broker.
  public static final ConfigOption<Integer> INGEST_MQTT_PORT =
      integer(
              "ingest.mqtt.port",
              1883,
              "MQTT ingest endpoint port (ingest-mqtt); up/demo use embedded.mqtt.port when unset")
          .checkedBy(Checks.port());
  public static final ConfigOption<String> INGEST_MQTT_BIND =
      string(
              "ingest.mqtt.bind",
              "127.0.0.1",
              "address the MQTT ingest endpoint listens on (0.0.0.0 for all)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<List<String>> INGEST_MQTT_USERS =
      list(
              "ingest.mqtt.users",
              List.of(),
              "accepted MQTT users, each name:password (password at least 12 characters, no comma); up/demo generate one and print it")
          .checkedBy(Checks.userPasswords(12))
          .secret();
  public static final ConfigOption<Boolean> INGEST_MQTT_ALLOW_ANONYMOUS =
      bool(
          "ingest.mqtt.allowAnonymous",
          false,
          "accept MQTT clients without user name and password (a trusted network only)");
  public static final ConfigOption<String> INGEST_MQTT_TLS_CERTIFICATE =
      string(
              "ingest.mqtt.tls.certificate",
              null,
              "PEM certificate (chain) of the MQTT endpoint; with ingest.mqtt.tls.privateKey turns TLS on")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_MQTT_TLS_PRIVATE_KEY =
      string(
              "ingest.mqtt.tls.privateKey",
              null,
              "PEM private key (PKCS#8, unencrypted) of ingest.mqtt.tls.certificate")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_MQTT_TLS_KEY_STORE =
      string(
              "ingest.mqtt.tls.keyStore",
              null,
              "PKCS12 file with the MQTT endpoint's key and certificate (instead of the PEM files); turns TLS on")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> INGEST_MQTT_TLS_KEY_STORE_PASSWORD =
      string("ingest.mqtt.tls.keyStorePassword", null, "password of ingest.mqtt.tls.keyStore")
          .secret();
  public static final ConfigOption<Integer> INGEST_MQTT_MAX_PAYLOAD =
      integer(
              "ingest.mqtt.maxPayloadBytes",
              64 * 1024,
              "largest reading payload (endpoint and bridge); a larger one is dead-lettered as TOO_LARGE with its start kept, and acknowledged")
          .checkedBy(Checks.range(256, 512 * 1024));
  public static final ConfigOption<Integer> INGEST_MQTT_MAX_FRAME =
      integer(
              "ingest.mqtt.maxFrameBytes",
              10 * 1024 * 1024,
              "largest MQTT packet the endpoint reads whole; a larger PUBLISH is dead-lettered TOO_LARGE (its start kept, the rest skipped) and acknowledged, any other larger packet closes the connection")
          .checkedBy(Checks.range(1024, 256 * 1024 * 1024));
  public static final ConfigOption<Integer> INGEST_MQTT_MAX_INFLIGHT_PER_CONNECTION =
      integer(
              "ingest.mqtt.maxInflightPerConnection",
              1000,
              "readings of one connection waiting for Kafka before the endpoint stops reading from it")
          .checkedBy(Checks.range(1, 65_535));
  public static final ConfigOption<Integer> INGEST_MQTT_MAX_INFLIGHT =
      integer(
              "ingest.mqtt.maxInflight",
              50_000,
              "readings of all connections waiting for Kafka before the endpoint stops reading from every connection that sends more")
          .checkedBy(Checks.range(1, 10_000_000));
  public static final ConfigOption<Integer> INGEST_MQTT_IO_THREADS =
      integer(
              "ingest.mqtt.ioThreads",
              0,
              "socket threads of the MQTT endpoint (decoding, validation); 0 = one per core")
          .checkedBy(Checks.range(0, 256));
  public static final ConfigOption<Duration> INGEST_MQTT_CONNECT_TIMEOUT =
      duration(
              "ingest.mqtt.connectTimeout",
              Duration.ofSeconds(10),
              "a connection that sends no CONNECT within this is closed")
          .checkedBy(Checks.positive());
  public static final ConfigOption<Integer> INGEST_MQTT_METRICS_PORT =
      integer(
              "ingest.mqtt.metricsPort",
              null,
              "ingest-mqtt only: HTTP port (on ingest.mqtt.bind) serving GET /metrics (Prometheus) and GET /health; unset: none")
          .checkedBy(Checks.port());
  public static final ConfigOption<Duration> INGEST_MQTT_SUMMARY_INTERVAL =
      duration(
              "ingest.mqtt.summaryInterval",
              Duration.ofMinutes(1),
              "how often the MQTT endpoint logs a summary line at INFO (connections are logged at DEBUG)")
          .checkedBy(Checks.positive());

  // --- department records (contract §2.3)
  public static final ConfigOption<String> INGEST_INBOX =
      string(
          "ingest.inbox",
          null,
          "(contract) department-record inbox directory; default <data dir>/inbox");
  public static final ConfigOption<Duration> INGEST_INBOX_POLL =
      duration("ingest.inbox.pollInterval", Duration.ofSeconds(1), "how often the inbox is scanned")
          .checkedBy(Checks.positive());
  public static final ConfigOption<String> INGEST_JDBC_URL =
      string(
              "ingest.jdbc.url",
              null,
              "(contract) JDBC URL of the department database; polling is off when unset")
          .checkedBy(
              Checks.matches(
                  "jdbc:.+", "a JDBC URL such as jdbc:postgresql://db:5432/departments"));
  public static final ConfigOption<String> INGEST_JDBC_TABLE =
      string("ingest.jdbc.table", null, "(contract) table or view to poll");
  public static final ConfigOption<String> INGEST_JDBC_POSITION_COLUMN =
      string("ingest.jdbc.positionColumn", null, "(contract) monotonically increasing column");
  public static final ConfigOption<String> INGEST_JDBC_USER =
      string("ingest.jdbc.user", null, "database user");
  public static final ConfigOption<String> INGEST_JDBC_PASSWORD =
      string("ingest.jdbc.password", null, "database password").secret();
  public static final ConfigOption<Integer> INGEST_JDBC_BATCH =
      integer("ingest.jdbc.batchSize", 1000, "rows per poll").checkedBy(Checks.range(1, 100_000));
  public static final ConfigOption<Duration> INGEST_JDBC_INTERVAL =
      duration(
              "ingest.jdbc.interval",
              Duration.ofSeconds(5),
              "pause between polls that found nothing")
          .checkedBy(Checks.positive());

  // --- validation (contract §3)
  public static final ConfigOption<Duration> VALIDATION_MAX_FUTURE =
      duration(
              "validation.maxFuture",
              Duration.ofMinutes(10),
              "a ts further in the future than this is rejected")
          .checkedBy(Checks.notNegative());
  public static final ConfigOption<Duration> VALIDATION_HORIZON =
      duration("validation.horizon", Duration.ofDays(30), "a ts older than this is rejected")
          .checkedBy(Checks.positive());

  // --- privacy, time
  public static final ConfigOption<String> PRIVACY_HMAC_SECRET =
      string(
              "privacy.hmacSecret",
              null,
              "(contract) secret for subjectRef; generated in up/demo, required otherwise")
          .checkedBy(Checks.minLength(16))
          .secret();
  public static final ConfigOption<String> TIME_ZONE =
      string("time.zone", "Asia/Shanghai", "(contract) zone for local-time rules")
          .checkedBy(Checks.timeZone());

  // --- rules
  public static final ConfigOption<String> RULES_FILE =
      string(
              "rules.file",
              null,
              "rule set in force at start (YAML); default: the built-in contract §5 rules. Change it at run time with `rules push`")
          .checkedBy(Checks.readableFile());

  // --- risk score (README "Risk score": the formula these weights feed)
  public static final ConfigOption<Duration> RISK_HALF_LIFE =
      duration(
              "risk.halfLife",
              Duration.ofHours(1),
              "half-life of recent activity and of closed alerts in the risk score (event time)")
          .checkedBy(Checks.positive());
  public static final ConfigOption<Duration> RISK_CONTEXT_TTL =
      duration(
              "risk.contextTtl",
              Duration.ofDays(30),
              "a department context record counts for its grid this long after it was last received")
          .checkedBy(Checks.positive());
  public static final ConfigOption<Map<String, Double>> RISK_WEIGHTS_ALERT =
      weights(
          "risk.weights.alert",
          Map.of("URGENT", 50.0, "IMPORTANT", 25.0, "GENERAL", 10.0),
          "points per open alert of the grid, by severity");
  public static final ConfigOption<Map<String, Double>> RISK_WEIGHTS_RECORD =
      weights(
          "risk.weights.record",
          Map.ofEntries(
              Map.entry("FIRE_SMOKE", 8.0),
              Map.entry("WATCHLIST_MATCH", 6.0),
              Map.entry("FIGHT", 6.0),
              Map.entry("FALL_DETECTED", 4.0),
              Map.entry("INTRUSION", 4.0),
              Map.entry("CROWD", 2.0),
              Map.entry("STREET_VENDING", 0.5),
              Map.entry("ILLEGAL_PARKING", 0.5),
              Map.entry("GARBAGE_OVERFLOW", 0.5),
              Map.entry("INCIDENT_REPORT", 5.0),
              Map.entry("CASE_REPORTED", 3.0),
              Map.entry("PETITION_FILED", 3.0),
              Map.entry("DISPUTE_REPORTED", 2.0),
              Map.entry("INSPECTION_FAILED", 2.0),
              Map.entry("SMOKE", 6.0),
              Map.entry("GAS", 6.0),
              Map.entry("WATER_LEVEL", 4.0),
              Map.entry("MANHOLE_TILT", 3.0),
              Map.entry("TEMPERATURE", 3.0),
              Map.entry("ELECTRIC_CURRENT", 3.0),
              Map.entry("NOISE", 0.5),
              Map.entry("PM25", 0.5)),
          "points per record by type (camera event, department event, or elevated sensor reading), decaying with risk.halfLife");
  public static final ConfigOption<Map<String, Double>> RISK_SENSOR_ELEVATED =
      weights(
          "risk.sensorElevated",
          Map.of(
              "SMOKE",
              10.0,
              "GAS",
              20.0,
              "WATER_LEVEL",
              30.0,
              "MANHOLE_TILT",
              15.0,
              "NOISE",
              70.0,
              "TEMPERATURE",
              60.0,
              "PM25",
              150.0,
              "ELECTRIC_CURRENT",
              80.0),
          "a sensor reading counts as activity only at or above this value of its type (normal readings add nothing)");
  public static final ConfigOption<Map<String, Double>> RISK_WEIGHTS_CONTEXT =
      weights(
          "risk.weights.context",
          Map.of(
              "HAZARDOUS_ENTERPRISE",
              8.0,
              "DANGEROUS_BUILDING",
              6.0,
              "COMMUNITY_CORRECTION",
              3.0,
              "ELDERLY_LIVING_ALONE",
              2.0,
              "LOW_INCOME_HOUSEHOLD",
              1.0),
          "standing points per department context record in the grid, by type");
  public static final ConfigOption<Map<String, Double>> RISK_WEIGHTS_GRID_KIND =
      weights(
          "risk.weights.gridKind",
          Map.of(
              "SCHOOL",
              6.0,
              "HOSPITAL",
              6.0,
              "MARKET",
              4.0,
              "INDUSTRIAL",
              4.0,
              "BUSINESS",
              3.0,
              "PARK",
              2.0,
              "BASIC",
              0.0),
          "standing points by grid kind");
  public static final ConfigOption<Double> RISK_POPULATION_PER_1000 =
      decimal("risk.populationPer1000", 1.0, "standing points per 1,000 residents of the grid")
          .checkedBy(Checks.atLeast(0.0));
  public static final ConfigOption<Double> RISK_WEIGHTS_BLIND_SPOT =
      decimal(
              "risk.weights.blindSpot",
              12.0,
              "standing points of a grid whose registered devices are all offline (DEVICE_OFFLINE"
                  + " open), in proportion to the share offline; within the standing cap")
          .checkedBy(Checks.atLeast(0.0));
  public static final ConfigOption<Map<String, Double>> RISK_CAPS =
      weights(
              "risk.caps",
              Map.of("standing", 24.0, "activity", 35.0),
              "caps of the score's parts; standing (grid and context) must stay below 25 so a grid with nothing recent is LOW (contract §4)")
          .checkedBy(Checks.keysIn("standing", "activity"), GridFusionOptions::standingBelowMedium);

  // --- Flink jobs
  public static final ConfigOption<Integer> JOB_PARALLELISM =
      integer("job.parallelism", 2, "parallelism of the jobs").checkedBy(Checks.range(1, 1024));
  public static final ConfigOption<Duration> JOB_CHECKPOINT_INTERVAL =
      duration(
              "job.checkpointInterval",
              Duration.ofSeconds(10),
              "checkpoint interval; Kafka outputs become visible at each checkpoint")
          .checkedBy(Checks.between(Duration.ofMillis(10), Duration.ofDays(1)));
  public static final ConfigOption<Duration> JOB_BUFFER_TIMEOUT =
      duration(
              "job.bufferTimeout",
              Duration.ofMillis(10),
              "on the edges an alert crosses (records into the rules, firings, alerts, work"
                  + " orders): longest a record waits in a network buffer before it is sent anyway"
                  + " (Flink's default is 100 ms, paid again at every shuffle on the alert path);"
                  + " lower is faster alerts, higher is fewer flushes")
          .checkedBy(Checks.between(Duration.ofMillis(1), Duration.ofSeconds(10)));
  public static final ConfigOption<Duration> JOB_BACKGROUND_BUFFER_TIMEOUT =
      duration(
              "job.backgroundBufferTimeout",
              Duration.ofMillis(100),
              "on the edges no alert crosses (records to device health, risk evidence, dead"
                  + " letters, the indexing job): the same flush timeout; Flink's default 100 ms"
                  + " sends full buffers, the cheapest for record-heavy shuffles")
          .checkedBy(Checks.between(Duration.ofMillis(1), Duration.ofSeconds(10)));
  public static final ConfigOption<String> JOB_ALERTS_DELIVERY =
      string(
              "job.alerts.delivery",
              "at-least-once",
              "gf.alerts: at-least-once (visible at once; a restart may repeat an alert update: deduplicate by alertId, count and status) or exactly-once (transactional: visible to read_committed consumers only when the checkpoint completes)")
          .checkedBy(Checks.oneOf("exactly-once", "at-least-once"));
  public static final ConfigOption<Double> INDEXING_PACE =
      decimal(
              "indexing.pace",
              1.25,
              "the indexing job lets each checkpoint's records on to Elasticsearch this many times"
                  + " faster than they arrived instead of all at once, so alert bulks do not queue"
                  + " behind them; records received more than 3 checkpoint intervals ago (a backlog)"
                  + " go at once; 0 turns pacing off")
          .checkedBy(v -> v == 0 || v >= 1 ? null : "must be 0 (off) or at least 1, got " + v);
  public static final ConfigOption<Duration> JOB_ALERTS_REPLAY_LOOKBACK =
      duration(
              "job.alerts.replayLookback",
              Duration.ofHours(1),
              "at-least-once gf.alerts: how far back the job reads gf.alerts when it (re)starts, to publish no alert update a replay from its checkpoint repeats; must cover a checkpoint interval plus the restart")
          .checkedBy(Checks.between(Duration.ofMinutes(1), Duration.ofDays(7)));
  public static final ConfigOption<Duration> JOB_OUT_OF_ORDERNESS =
      duration(
              "job.outOfOrderness", Duration.ofSeconds(5), "bounded out-of-orderness of event time")
          .checkedBy(Checks.notNegative());
  public static final ConfigOption<Duration> JOB_IDLENESS =
      duration(
              "job.idleness",
              Duration.ofSeconds(30),
              "a source partition quiet this long stops holding back the watermark")
          .checkedBy(Checks.positive());
  // ---------------------------------------------------------------- device health (contract §10)
  public static final ConfigOption<Boolean> DEVICES_OFFLINE_ENABLED =
      bool(
          "devices.offline.enabled",
          true,
          "raise DEVICE_OFFLINE for registered devices heard from before that fall silent");
  public static final ConfigOption<Map<String, Duration>> DEVICES_OFFLINE_AFTER =
      durations(
              "devices.offline.after",
              Map.of(
                  "CAMERA", Duration.ofHours(24),
                  "SENSOR", Duration.ofHours(3),
                  "DOOR", Duration.ofHours(12)),
              "how long a device may stay silent before it is offline: CAMERA (every camera),"
                  + " a sensor type (SMOKE, DOOR, ...), SENSOR (every other sensor type)")
          .checkedBy(
              Checks.keysIn(
                  "CAMERA",
                  "SENSOR",
                  "SMOKE",
                  "GAS",
                  "WATER_LEVEL",
                  "MANHOLE_TILT",
                  "NOISE",
                  "DOOR",
                  "TEMPERATURE",
                  "PM25",
                  "ELECTRIC_CURRENT"));
  public static final ConfigOption<Double> DEVICES_FEED_SHARE =
      decimal(
              "devices.offline.feedShare",
              0.5,
              "share of a feed's devices (all cameras, all sensors) offline together that is one"
                  + " feed outage (one alert, gridId *) instead of an alert per device")
          .checkedBy(v -> v > 0 && v <= 1 ? null : "must be in (0, 1], got " + v);
  public static final ConfigOption<Integer> DEVICES_FEED_MIN_DEVICES =
      integer(
              "devices.offline.feedMinDevices",
              3,
              "fewest devices offline together that can be a feed outage")
          .checkedBy(Checks.atLeast(1));
  public static final ConfigOption<Duration> DEVICES_FEED_GRACE =
      duration(
              "devices.offline.feedGrace",
              Duration.ofMinutes(2),
              "how long (event time) a device's outage waits to see whether its whole feed is"
                  + " going down before it is raised alone")
          .checkedBy(Checks.notNegative());

  public static final ConfigOption<Duration> INCIDENTS_LINK_WINDOW =
      duration(
              "incidents.linkWindow",
              Duration.ofMinutes(10),
              "alerts of different rules in one grid whose first firing is within this (event"
                  + " time) of an incident's alerts join that incident and its work order; 0 turns"
                  + " linking off (one incident and one order per alert)")
          .checkedBy(Checks.between(Duration.ZERO, Duration.ofHours(6)));

  public static final ConfigOption<Duration> JOB_ALLOWED_LATENESS =
      duration(
              "job.allowedLateness",
              Duration.ofHours(1),
              "records older than the watermark minus this are ignored by windowed rules")
          .checkedBy(Checks.notNegative());
  public static final ConfigOption<Duration> JOB_DEDUP_TTL =
      duration(
              "job.dedupTtl",
              Duration.ofMinutes(10),
              "how long a seen record id is remembered for de-duplication"
                  + " (client retries and redeliveries after a connector restart); up to 24 bytes of heap per record per TTL; 0 turns it off")
          .checkedBy(Checks.notNegative());
  public static final ConfigOption<String> JOB_TARGET =
      string(
              "job.target",
              "local",
              "where `jobs` submits: local (MiniCluster) or host:port of a Flink JobManager REST endpoint")
          .checkedBy(
              Checks.matches(
                  "local|[^:/\\s]+:\\d{1,5}",
                  "local or host:port of a Flink JobManager REST endpoint"));
  public static final ConfigOption<String> JOB_STATE_DIR =
      string(
              "job.stateDir",
              null,
              "checkpoint directory (file:// or s3://); default <data dir>/checkpoints")
          .checkedBy(
              Checks.matches(
                  "[a-z][a-z0-9+.-]*://.+",
                  "a URI such as file:///var/lib/gridfusion/checkpoints or s3://bucket/checkpoints"));

  // --- console and platform API (contract §9)
  public static final ConfigOption<Integer> CONSOLE_PORT =
      integer("console.port", 8090, "(contract) port of the web console and the /v1 API")
          .checkedBy(Checks.port());
  public static final ConfigOption<String> CONSOLE_BIND =
      string(
              "console.bind",
              "127.0.0.1",
              "address the console listens on (0.0.0.0 for all; put TLS in front beyond one machine)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<List<ConsoleToken>> CONSOLE_TOKENS =
      objects(
              "console.tokens",
              ConsoleToken.FIELDS,
              ConsoleToken::of,
              "(contract) console and API credentials, a list of {token, role} (role viewer or operator; tokens >= 16 characters);"
                  + " in the environment token:role,token:role; up/demo generate and print one operator token")
          .checkedBy(Checks.distinct(ConsoleToken::token, "token"))
          .secret();
  public static final ConfigOption<Duration> CONSOLE_SESSION_TTL =
      duration(
              "console.sessionTtl",
              Duration.ofHours(12),
              "how long a console login lasts (one duty shift); API clients send the bearer token instead")
          .checkedBy(Checks.between(Duration.ofMinutes(1), Duration.ofDays(30)));
  public static final ConfigOption<String> JOB_STATE_BACKEND =
      string(
              "job.stateBackend",
              "hashmap",
              "state backend: hashmap (state on the heap, fastest) or rocksdb (on local disk, for state larger than memory)")
          .checkedBy(Checks.oneOf("hashmap", "rocksdb"));
  public static final ConfigOption<Duration> JOB_RESTART_MAX_BACKOFF =
      duration(
              "job.restart.maxBackoff",
              Duration.ofMinutes(1),
              "a failed job restarts after 1 s, doubling up to this; it keeps restarting while a"
                  + " dependency (Kafka, Elasticsearch) is down")
          .checkedBy(Checks.between(Duration.ofSeconds(1), Duration.ofHours(1)));
  public static final ConfigOption<Integer> JOB_START_ATTEMPTS =
      integer(
              "job.startAttempts",
              3,
              "up/demo stop with the job's error when it fails this many times before its first"
                  + " completed checkpoint (it cannot start: configuration, reference data)")
          .checkedBy(Checks.range(1, 100));
  public static final ConfigOption<Duration> HEALTH_INTERVAL =
      duration(
              "health.interval",
              Duration.ofSeconds(5),
              "how often up/demo probe Kafka, MQTT, Elasticsearch and the job for /health")
          .checkedBy(Checks.between(Duration.ofMillis(200), Duration.ofMinutes(10)));

  // --- cluster mode of up (contract §8)
  public static final ConfigOption<Integer> FLINK_TASK_MANAGERS =
      integer(
              "flink.taskManagers",
              0,
              "(contract §8) TaskManager processes of the standalone Flink session cluster `up` starts;"
                  + " 0 runs the job on an in-process MiniCluster")
          .checkedBy(Checks.range(0, 64));
  public static final ConfigOption<Integer> FLINK_SPARE_TASK_MANAGERS =
      integer(
              "flink.spareTaskManagers",
              0,
              "replacements `up` may start for TaskManagers that die (0: a dead TaskManager stays dead"
                  + " and the job goes on in the slots left)")
          .checkedBy(Checks.range(0, 64));
  public static final ConfigOption<Integer> FLINK_SLOTS =
      integer(
              "flink.taskManagerSlots",
              null,
              "task slots per TaskManager; default 2 × job.parallelism, so one TaskManager can carry both jobs (fusion and indexing)")
          .checkedBy(Checks.range(1, 256));
  public static final ConfigOption<String> FLINK_TASK_MANAGER_MEMORY =
      string("flink.taskManagerMemory", "1536m", "process memory of each TaskManager")
          .checkedBy(Checks.matches("\\d+[kmgKMG]", "a size such as 768m or 2g"));
  public static final ConfigOption<String> FLINK_JOB_MANAGER_MEMORY =
      string("flink.jobManagerMemory", "768m", "process memory of the JobManager")
          .checkedBy(Checks.matches("\\d+[kmgKMG]", "a size such as 768m or 2g"));
  public static final ConfigOption<String> FLINK_BIND =
      string(
              "flink.bind",
              "127.0.0.1",
              "address the cluster's JobManager and TaskManagers bind and announce (RPC, REST, data)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<String> FLINK_JOB_JAR =
      string(
              "flink.jobJar",
              null,
              "the job jar `up` submits to its cluster; default job-jar/target/gridfusion-job.jar beside the launcher")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<String> FLINK_LIB =
      string(
              "flink.lib",
              null,
              "directory of Flink's own jars the cluster processes run on; default launcher/target/flink-lib")
          .checkedBy(Checks.notBlank());

  // --- embedded stack (up, demo, tests)
  public static final ConfigOption<String> DATA_DIR =
      string(
              "data.dir",
              "gridfusion-data",
              "data directory of the embedded stack (logs, broker data, inbox, checkpoints)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<String> EMBEDDED_BIND_ADDRESS =
      string(
              "embedded.bindAddress",
              "127.0.0.1",
              "address the embedded Kafka, Elasticsearch and the Flink MiniCluster (REST, BLOB server,"
                  + " RPC) listen on (0.0.0.0 opens them to the network; README, Security)")
          .checkedBy(Checks.notBlank());
  public static final ConfigOption<String> EMBEDDED_ADVERTISED_HOST =
      string(
          "embedded.advertisedHost",
          null,
          "host name clients use for the embedded services; default: embedded.bindAddress, or this"
              + " machine's name when that is a wildcard");
  public static final ConfigOption<Boolean> EMBEDDED_SECURE =
      bool(
          "embedded.secure",
          false,
          "start the embedded Kafka with a SASL/SCRAM-SHA-512 listener only and Elasticsearch with"
              + " security and HTTPS, with a user, password and certificate generated in <data dir>/secrets");
  public static final ConfigOption<Integer> EMBEDDED_KAFKA_PORT =
      integer("embedded.kafka.port", 9092, "embedded Kafka broker port").checkedBy(Checks.port());
  public static final ConfigOption<Integer> EMBEDDED_MQTT_PORT =
      integer(
              "embedded.mqtt.port",
              1884,
              "port of the MQTT ingest endpoint up/demo start when ingest.mqtt.port is unset (1883 is left to a local Mosquitto)")
          .checkedBy(Checks.port());
  public static final ConfigOption<Integer> EMBEDDED_ES_PORT =
      integer("embedded.elasticsearch.port", 9200, "embedded Elasticsearch HTTP port")
          .checkedBy(Checks.port());
  public static final ConfigOption<String> EMBEDDED_ES_HEAP =
      string("embedded.elasticsearch.heap", "512m", "embedded Elasticsearch heap")
          .checkedBy(Checks.matches("\\d+[kmgKMG]", "a JVM heap size such as 512m or 1g"));
  public static final ConfigOption<String> EMBEDDED_ES_USER =
      string(
          "embedded.elasticsearch.user",
          "gridfusion",
          "unprivileged user that runs Elasticsearch when GridFusion runs as root");
  public static final ConfigOption<String> EMBEDDED_ES_DISTRIBUTION =
      string(
              "embedded.elasticsearch.distribution",
              null,
              "Elasticsearch zip; default: the one Maven put in ~/.m2")
          .checkedBy(Checks.readableFile());
  public static final ConfigOption<Integer> EMBEDDED_FLINK_UI_PORT =
      integer("embedded.flink.uiPort", 8081, "Flink web UI port of the MiniCluster")
          .checkedBy(Checks.port());
  public static final ConfigOption<Boolean> EMBEDDED_FLINK_WEB_SUBMIT =
      bool(
          "embedded.flink.webSubmit",
          false,
          "let the Flink REST API accept jar uploads and job submissions (web.submit.enable)");
  public static final ConfigOption<Boolean> EMBEDDED_FLINK_WEB_CANCEL =
      bool(
          "embedded.flink.webCancel",
          false,
          "let the Flink REST API cancel jobs (web.cancel.enable)");
  public static final ConfigOption<Boolean> EMBEDDED_ES_ENABLED =
      bool(
          "embedded.elasticsearch.enabled",
          true,
          "start an Elasticsearch node when elasticsearch.url is unset");
  public static final ConfigOption<Double> DEMO_RATE =
      decimal("demo.rate", 50.0, "background readings per second the demo sends")
          .checkedBy(Checks.atLeast(0.0));

  private static final List<ConfigOption<?>> ALL = collect();

  private static List<ConfigOption<?>> collect() {
    List<ConfigOption<?>> options = new ArrayList<>();
    for (Field f : GridFusionOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          options.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Collections.unmodifiableList(options);
  }

  public static List<ConfigOption<?>> all() {
    return ALL;
  }

  /** Standing facts alone must leave a grid LOW (contract §4: LOW below 25). */
  private static String standingBelowMedium(Map<String, Double> caps) {
    Double standing = caps.get("standing");
    return standing == null || standing < 25
        ? null
        : "standing must stay below 25 (got "
            + standing
            + "): a grid with nothing in 24 h must be LOW (contract §4)";
  }

  /** Problems of keys that only make sense together. */
  static List<ConfigProblem> combinationProblems(Config c) {
    List<ConfigProblem> out = new ArrayList<>();
    boolean pemCert = c.isSet(INGEST_MQTT_TLS_CERTIFICATE);
    boolean pemKey = c.isSet(INGEST_MQTT_TLS_PRIVATE_KEY);
    if (pemCert != pemKey) {
      ConfigOption<String> missing =
          pemCert ? INGEST_MQTT_TLS_PRIVATE_KEY : INGEST_MQTT_TLS_CERTIFICATE;
      out.add(
          new ConfigProblem(
              missing.key(),
              "unset",
              "is required with "
                  + (pemCert ? INGEST_MQTT_TLS_CERTIFICATE : INGEST_MQTT_TLS_PRIVATE_KEY).key()));
    }
    if (pemCert && c.isSet(INGEST_MQTT_TLS_KEY_STORE)) {
      out.add(
          new ConfigProblem(
              INGEST_MQTT_TLS_KEY_STORE.key(),
              "set",
              "give either the PEM files (ingest.mqtt.tls.certificate, ingest.mqtt.tls.privateKey) or a key store, not both"));
    }
    if (c.isSet(INGEST_JDBC_URL)) {
      for (ConfigOption<String> needed : List.of(INGEST_JDBC_TABLE, INGEST_JDBC_POSITION_COLUMN)) {
        String v = c.get(needed);
        if (v == null || v.isBlank()) {
          out.add(
              new ConfigProblem(needed.key(), "unset", "is required when ingest.jdbc.url is set"));
        }
      }
    }
    out.addAll(KafkaConnection.problems(c));
    out.addAll(ElasticsearchConnection.problems(c));
    boolean keystore = c.isSet(INGEST_HTTP_TLS_KEYSTORE);
    boolean certificate = c.isSet(INGEST_HTTP_TLS_CERTIFICATE);
    if (keystore && (certificate || c.isSet(INGEST_HTTP_TLS_KEY))) {
      out.add(
          new ConfigProblem(
              INGEST_HTTP_TLS_KEYSTORE.key(),
              "configuration",
              "give either a key store or ingest.http.tls.certificate and .key, not both"));
    } else if (certificate != c.isSet(INGEST_HTTP_TLS_KEY)) {
      var missing = certificate ? INGEST_HTTP_TLS_KEY : INGEST_HTTP_TLS_CERTIFICATE;
      out.add(
          new ConfigProblem(
              missing.key(), "unset", "ingest.http.tls.certificate and .key go together"));
    }
    return out;
  }

  public static Optional<ConfigOption<?>> find(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
  }
}
