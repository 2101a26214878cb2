package org.gridfusion.common.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;

/**
 * Where Kafka is and how to log in to it: the bootstrap servers and the client security settings
 * (TLS, SASL) that <em>every</em> Kafka client GridFusion creates carries — connectors, the jobs'
 * sources and sinks, setup, rules push, the simulator and bench, the health probe. Built in one
 * place from {@code kafka.*} configuration so no client can be forgotten, and checked up front
 * ({@link #problems}) with the other configuration.
 *
 * <p>Serializable, because the Flink sources and sinks carry it to the task managers. It holds the
 * SASL password (in {@code sasl.jaas.config}); {@link #toString()} never shows it, and Kafka's own
 * client logs print password-typed properties as {@code [hidden]}.
 */
public final class KafkaConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Set by GridFusion per client; a {@code kafka.properties} entry may not override them. */
  private static final Set<String> OWN =
      Set.of(
          CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          CommonClientConfigs.CLIENT_ID_CONFIG,
          CommonClientConfigs.GROUP_ID_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);

  /** Keys with an option of their own: set them there, where they are checked and documented. */
  private static final Map<String, ConfigOption<?>> EXPLICIT =
      Map.of(
          CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, GridFusionOptions.KAFKA_SECURITY_PROTOCOL,
          SaslConfigs.SASL_MECHANISM, GridFusionOptions.KAFKA_SASL_MECHANISM,
          SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
              GridFusionOptions.KAFKA_SSL_TRUSTSTORE_LOCATION,
          SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
              GridFusionOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD,
          SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, GridFusionOptions.KAFKA_SSL_TRUSTSTORE_TYPE,
          SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, GridFusionOptions.KAFKA_SSL_KEYSTORE_LOCATION,
          SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, GridFusionOptions.KAFKA_SSL_KEYSTORE_PASSWORD);

  private final String bootstrap;
  private final TreeMap<String, String> security;

  private KafkaConnection(String bootstrap, Map<String, String> security) {
    this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    this.security = new TreeMap<>(security);
  }

  /** A broker without TLS or SASL (the embedded default, tests). */
  public static KafkaConnection plaintext(String bootstrap) {
    return new KafkaConnection(bootstrap, Map.of());
  }

  /** {@code kafka.bootstrap} and the client security of {@code kafka.*}; {@code why} if unset. */
  public static KafkaConnection from(Config c, String why) {
    String bootstrap = c.require(GridFusionOptions.KAFKA_BOOTSTRAP, why);
    List<ConfigProblem> problems = problems(c);
    if (!problems.isEmpty()) {
      ConfigProblem p = problems.get(0);
      throw new ConfigException(p.key(), p.problem());
    }
    return new KafkaConnection(bootstrap, securityProperties(c));
  }

  private static Map<String, String> securityProperties(Config c) {
    Map<String, String> p = new TreeMap<>(c.get(GridFusionOptions.KAFKA_PROPERTIES));
    String protocol = c.get(GridFusionOptions.KAFKA_SECURITY_PROTOCOL);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    if (protocol.startsWith("SASL_")) {
      String mechanism = c.get(GridFusionOptions.KAFKA_SASL_MECHANISM);
      p.put(SaslConfigs.SASL_MECHANISM, mechanism);
      String user = c.get(GridFusionOptions.KAFKA_SASL_USERNAME);
      if (user != null && !p.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
        p.put(
            SaslConfigs.SASL_JAAS_CONFIG,
            jaas(mechanism, user, c.get(GridFusionOptions.KAFKA_SASL_PASSWORD)));
      }
    }
    if (protocol.endsWith("SSL")) {
      put(p, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, c, KAFKA_TRUSTSTORE);
      put(p, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, c, KAFKA_TRUSTSTORE_PASSWORD);
      put(p, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, c, KAFKA_TRUSTSTORE_TYPE);
      put(p, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, c, KAFKA_KEYSTORE);
      put(p, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, c, KAFKA_KEYSTORE_PASSWORD);
    }
    return p;
  }

  private static final ConfigOption<String> KAFKA_TRUSTSTORE =
      GridFusionOptions.KAFKA_SSL_TRUSTSTORE_LOCATION;
  private static final ConfigOption<String> KAFKA_TRUSTSTORE_PASSWORD =
      GridFusionOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD;
  private static final ConfigOption<String> KAFKA_TRUSTSTORE_TYPE =
      GridFusionOptions.KAFKA_SSL_TRUSTSTORE_TYPE;
  private static final ConfigOption<String> KAFKA_KEYSTORE =
      GridFusionOptions.KAFKA_SSL_KEYSTORE_LOCATION;
  private static final ConfigOption<String> KAFKA_KEYSTORE_PASSWORD =
      GridFusionOptions.KAFKA_SSL_KEYSTORE_PASSWORD;

  private static void put(
      Map<String, String> p, String name, Config c, ConfigOption<String> option) {
    String v = c.get(option);
    if (v != null) p.put(name, v);
  }

  /** The login module line for a user and password; quotes and backslashes escaped. */
  static String jaas(String mechanism, String user, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module
        + " required username=\""
        + escape(user)
        + "\" password=\""
        + escape(password == null ? "" : password)
        + "\";";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * What is wrong with the {@code kafka.*} security settings taken together (each value alone is
   * checked by its option): SASL without a user or password, credentials or stores for a protocol
   * that does not use them, {@code kafka.properties} names the Kafka client does not know or that
   * GridFusion sets itself.
   */
  public static List<ConfigProblem> problems(Config c) {
    List<ConfigProblem> out = new ArrayList<>();
    String protocol = c.get(GridFusionOptions.KAFKA_SECURITY_PROTOCOL);
    Map<String, String> extra = c.get(GridFusionOptions.KAFKA_PROPERTIES);
    boolean sasl = protocol.startsWith("SASL_");
    boolean ssl = protocol.endsWith("SSL");
    if (sasl && !extra.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
      for (ConfigOption<String> o :
          List.of(GridFusionOptions.KAFKA_SASL_USERNAME, GridFusionOptions.KAFKA_SASL_PASSWORD)) {
        if (c.get(o) == null || c.get(o).isEmpty()) {
          out.add(new ConfigProblem(o.key(), "unset", "is required with " + protocol));
        }
      }
    }
    if (!sasl) {
      for (ConfigOption<String> o :
          List.of(GridFusionOptions.KAFKA_SASL_USERNAME, GridFusionOptions.KAFKA_SASL_PASSWORD)) {
        if (c.isSet(o)) out.add(unused(o, protocol, "SASL_PLAINTEXT or SASL_SSL"));
      }
    }
    if (!ssl) {
      for (ConfigOption<String> o :
          List.of(
              KAFKA_TRUSTSTORE,
              KAFKA_TRUSTSTORE_PASSWORD,
              KAFKA_KEYSTORE,
              KAFKA_KEYSTORE_PASSWORD)) {
        if (c.isSet(o)) out.add(unused(o, protocol, "SSL or SASL_SSL"));
      }
    }
    Set<String> known = new HashSet<>(ProducerConfig.configNames());
    known.addAll(ConsumerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    for (String name : extra.keySet()) {
      String where = GridFusionOptions.KAFKA_PROPERTIES.key() + "." + name;
      if (EXPLICIT.containsKey(name)) {
        out.add(
            new ConfigProblem(
                where, "configuration", "set it with " + EXPLICIT.get(name).key() + " instead"));
      } else if (OWN.contains(name)) {
        out.add(new ConfigProblem(where, "configuration", "is set by GridFusion for each client"));
      } else if (!known.contains(name)) {
        out.add(new ConfigProblem(where, "configuration", "is not a Kafka client property"));
      }
    }
    return out;
  }

  private static ConfigProblem unused(ConfigOption<?> o, String protocol, String usedWith) {
    return new ConfigProblem(
        o.key(),
        "configuration",
        "is only used with kafka.security.protocol "
            + usedWith
            + ", not "
            + protocol
            + ": set the protocol, or remove it");
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** The security properties alone (protocol, SASL, TLS, passthrough); may hold secrets. */
  public Map<String, String> securityProperties() {
    return Collections.unmodifiableMap(security);
  }

  /** Whether clients authenticate or encrypt (anything but PLAINTEXT). */
  public boolean secured() {
    return !security
        .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
        .equals("PLAINTEXT");
  }

  /** New client properties: bootstrap servers and security; the caller adds its own. */
  public Properties properties() {
    Properties p = new Properties();
    p.putAll(security);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  /** {@link #properties()} with a client id. */
  public Properties properties(String clientId) {
    Properties p = properties();
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  /** A copy with other bootstrap servers and the same security (a restarted embedded broker). */
  public KafkaConnection withBootstrap(String otherBootstrap) {
    return new KafkaConnection(otherBootstrap, security);
  }

  /** Bootstrap, protocol and mechanism; never a password. */
  @Override
  public String toString() {
    String protocol =
        security.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    String mechanism = security.get(SaslConfigs.SASL_MECHANISM);
    return bootstrap + " (" + protocol + (mechanism == null ? "" : " " + mechanism) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaConnection k
        && k.bootstrap.equals(bootstrap)
        && k.security.equals(security);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bootstrap, security);
  }
}
