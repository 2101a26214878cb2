package org.gridfusion.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One configuration key: its dotted path, type, default and a description a user can act on.
 *
 * <p>The environment variable that overrides it is derived from the key ({@code elasticsearch.url}
 * → {@code GF_ELASTICSEARCH_URL}, contract §7), so keys and variables never drift apart.
 */
public final class ConfigOption<T> {
  private final String key;
  private final String type;
  private final Function<String, T> parser;
  private final T defaultValue;
  private final String description;
  private final List<Check<? super T>> checks;
  private final boolean secret;

  /** The field names of a list of objects ({@link #objects}), in the order of its text form. */
  private final List<String> fields;

  private ConfigOption(
      String key, String type, Function<String, T> parser, T defaultValue, String description) {
    this(key, type, parser, defaultValue, description, List.of(), false, List.of());
  }

  private ConfigOption(
      String key,
      String type,
      Function<String, T> parser,
      T defaultValue,
      String description,
      List<Check<? super T>> checks,
      boolean secret,
      List<String> fields) {
    this.key = key;
    this.type = type;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.description = description;
    this.checks = List.copyOf(checks);
    this.secret = secret;
    this.fields = List.copyOf(fields);
  }

  /** This option, also requiring its value (given or default) to pass {@code more}. */
  @SafeVarargs
  public final ConfigOption<T> checkedBy(Check<? super T>... more) {
    List<Check<? super T>> all = new ArrayList<>(checks);
    all.addAll(Arrays.asList(more));
    return new ConfigOption<>(key, type, parser, defaultValue, description, all, secret, fields);
  }

  /** This option, masked wherever configuration is shown or logged. */
  public ConfigOption<T> secret() {
    return new ConfigOption<>(key, type, parser, defaultValue, description, checks, true, fields);
  }

  public boolean isSecret() {
    return secret;
  }

  /** What is wrong with {@code value} by this option's checks, in check order; empty if nothing. */
  List<String> problems(T value) {
    List<String> out = new ArrayList<>();
    if (value == null) return out;
    for (Check<? super T> c : checks) {
      String p = c.problem(value);
      if (p != null) out.add(p);
    }
    return out;
  }

  public static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, "string", s -> s, defaultValue, description);
  }

  public static ConfigOption<Integer> integer(
      String key, Integer defaultValue, String description) {
    return new ConfigOption<>(key, "integer", Integer::valueOf, defaultValue, description);
  }

  public static ConfigOption<Long> longValue(String key, Long defaultValue, String description) {
    return new ConfigOption<>(key, "long", Long::valueOf, defaultValue, description);
  }

  public static ConfigOption<Double> decimal(String key, Double defaultValue, String description) {
    return new ConfigOption<>(key, "number", Double::valueOf, defaultValue, description);
  }

  public static ConfigOption<Boolean> bool(String key, Boolean defaultValue, String description) {
    return new ConfigOption<>(
        key, "boolean", ConfigOption::parseBoolean, defaultValue, description);
  }

  /**
   * A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d} or
   * ISO-8601.
   */
  public static ConfigOption<Duration> duration(
      String key, Duration defaultValue, String description) {
    return new ConfigOption<>(key, "duration", Durations::parse, defaultValue, description);
  }

  /** A comma-separated list (a YAML list is accepted too). */
  public static ConfigOption<List<String>> list(
      String key, List<String> defaultValue, String description) {
    return new ConfigOption<>(
        key,
        "list",
        s -> Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList(),
        defaultValue,
        description);
  }

  /**
   * Named numbers, e.g. weights: {@code FIRE_SMOKE=8,CROWD=1} in the environment, or a YAML mapping
   * under the key ({@code risk.weights.record: {FIRE_SMOKE: 8}}). Names given override the defaults
   * one by one; names not given keep their default.
   */
  public static ConfigOption<Map<String, Double>> weights(
      String key, Map<String, Double> defaultValue, String description) {
    return new ConfigOption<>(
        key,
        MAP,
        s -> {
          Map<String, Double> out = new TreeMap<>(defaultValue);
          for (String entry : s.split(",")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            if (eq <= 0)
              throw new IllegalArgumentException("'" + entry.trim() + "' is not NAME=number");
            String name = entry.substring(0, eq).trim();
            double v = Double.parseDouble(entry.substring(eq + 1).trim());
            if (!(v >= 0) || Double.isInfinite(v))
              throw new IllegalArgumentException(name + " must be a number >= 0");
            out.put(name, v);
          }
          return Collections.unmodifiableMap(out);
        },
        Collections.unmodifiableMap(new TreeMap<>(defaultValue)),
        description);
  }

  /**
   * Named durations: {@code CAMERA=24h,DOOR=12h} in the environment, or a YAML mapping under the
   * key ({@code devices.offline.after: {DOOR: 12h}}). Names given override the defaults one by one;
   * names not given keep their default.
   */
  public static ConfigOption<Map<String, Duration>> durations(
      String key, Map<String, Duration> defaultValue, String description) {
    return new ConfigOption<>(
        key,
        MAP,
        s -> {
          Map<String, Duration> out = new TreeMap<>(defaultValue);
          for (String entry : s.split(",")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            if (eq <= 0)
              throw new IllegalArgumentException("'" + entry.trim() + "' is not NAME=duration");
            String name = entry.substring(0, eq).trim();
            Duration d = Durations.parse(entry.substring(eq + 1).trim());
            if (d.isNegative() || d.isZero())
              throw new IllegalArgumentException(name + " must be a positive duration");
            out.put(name, d);
          }
          return Collections.unmodifiableMap(out);
        },
        Collections.unmodifiableMap(new TreeMap<>(defaultValue)),
        description);
  }

  /**
   * Named text values passed through to a library, e.g. Kafka client properties: {@code
   * ssl.endpoint.identification.algorithm=https,sasl.login.refresh.buffer.seconds=60} in the
   * environment, or a YAML mapping under the key. A comma starts a new entry only where a {@code
   * name=} follows, so a value may hold commas ({@code ssl.enabled.protocols=TLSv1.2,TLSv1.3}).
   */
  public static ConfigOption<Map<String, String>> properties(String key, String description) {
    return new ConfigOption<>(
        key,
        MAP,
        s -> {
          Map<String, String> out = new TreeMap<>();
          for (String entry : s.split(",(?=\\s*[A-Za-z0-9_.-]+\\s*=)")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            if (eq <= 0)
              throw new IllegalArgumentException("'" + entry.trim() + "' is not name=value");
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
          }
          return Collections.unmodifiableMap(out);
        },
        Map.of(),
        description);
  }

  static final String MAP = "map";
  static final String OBJECTS = "list of objects";

  /**
   * A list of objects with named fields, such as {@code console.tokens}. In a YAML file it is a
   * list of mappings ({@code [{token: abc..., role: operator}]}); in the environment and with
   * {@code --set} each object is its field values joined by {@code :} in the order of {@code
   * fields}, the objects separated by {@code ,} ({@code
   * GF_CONSOLE_TOKENS=abc...:operator,def...:viewer}). So neither separator may occur in a value:
   * the item type refuses them.
   *
   * @param item builds one object from its fields, throwing {@link IllegalArgumentException} with
   *     what is wrong
   */
  public static <T> ConfigOption<List<T>> objects(
      String key, List<String> fields, Function<Map<String, String>, T> item, String description) {
    Function<String, List<T>> parser =
        s -> {
          List<T> out = new ArrayList<>();
          String[] items = s.split(",");
          for (int i = 0; i < items.length; i++) {
            if (items[i].isBlank()) continue;
            String[] values = items[i].split(":", -1);
            if (values.length != fields.size()) {
              throw new SafeMessageException(
                  "item #"
                      + (i + 1)
                      + " must be "
                      + String.join(":", fields)
                      + " ("
                      + fields.size()
                      + " values separated by ':')");
            }
            Map<String, String> named = new TreeMap<>();
            for (int f = 0; f < values.length; f++) named.put(fields.get(f), values[f].trim());
            try {
              out.add(item.apply(named));
            } catch (SafeMessageException e) {
              throw new SafeMessageException("item #" + (i + 1) + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("item #" + (i + 1) + ": " + e.getMessage());
            }
          }
          return Collections.unmodifiableList(out);
        };
    return new ConfigOption<>(
        key, OBJECTS, parser, List.of(), description, List.of(), false, fields);
  }

  /** Whether a YAML file may hold a list of mappings under this key. */
  boolean isObjects() {
    return OBJECTS.equals(type);
  }

  /** The field names of a list of objects, in the order of its text form; empty for others. */
  List<String> fields() {
    return fields;
  }

  /**
   * Whether a YAML file may hold a mapping under this key (its entries are folded into one value).
   */
  boolean isMap() {
    return MAP.equals(type);
  }

  private static Boolean parseBoolean(String s) {
    return switch (s.trim().toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  public String key() {
    return key;
  }

  public String type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** {@code GF_} + the key upper-cased with {@code _} for {@code .} (contract §7). */
  public String environmentVariable() {
    return envName(key);
  }

  static String envName(String key) {
    return "GF_" + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** The value of {@code raw} (from {@code origin}), refused with the key if it fails a check. */
  T parse(String raw, String origin) {
    T value;
    try {
      value = parseRaw(raw);
    } catch (RuntimeException e) {
      throw new ConfigException(key, invalid(raw, origin, e));
    }
    List<String> problems = problems(value);
    if (!problems.isEmpty()) {
      throw new ConfigException(key, shown(raw) + " from " + origin + " " + problems.get(0));
    }
    return value;
  }

  T parseRaw(String raw) {
    return parser.apply(raw.trim());
  }

  String invalid(String raw, String origin, RuntimeException e) {
    // A parser's message may quote the value; a secret's is left out unless it says it is safe.
    String why = secret && !(e instanceof SafeMessageException) ? "" : " (" + e.getMessage() + ")";
    return shown(raw) + " from " + origin + " is not a valid " + type + why;
  }

  /** The value as it may be shown: secrets masked. */
  String shown(String raw) {
    return secret ? "the value" : "'" + raw + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigOption<?> other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key);
  }

  @Override
  public String toString() {
    return key;
  }
}
