package org.gridfusion.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * GridFusion's configuration: one YAML file, every key overridable by an environment variable
 * {@code GF_<KEY>} (contract §7), then by explicit overrides (command-line flags, or the addresses
 * of an embedded component that {@code up} started).
 *
 * <p>Values are kept as text and parsed on read by the {@link ConfigOption}, so a wrong value fails
 * with a message naming the key, where it came from and what was expected. Keys in the file that no
 * option knows are rejected at load: a typo must not silently fall back to a default.
 */
public final class Config implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, String> values;
  private final Map<String, String> origins;

  /** Keys in the file that no option knows (a typo), reported by {@link #problems()}. */
  private final Map<String, String> unknown;

  private Config(
      Map<String, String> values, Map<String, String> origins, Map<String, String> unknown) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    this.unknown = Collections.unmodifiableMap(new TreeMap<>(unknown));
  }

  public static Config empty() {
    return new Config(Map.of(), Map.of(), Map.of());
  }

  /** Loads {@code file} (may be null), then applies {@code GF_*} variables from {@code env}. */
  public static Config load(Path file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    Map<String, String> unknown = new LinkedHashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config", "file " + file.toAbsolutePath() + " does not exist");
      }
      try {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root != null && !root.isNull()) {
          if (!root.isObject()) {
            throw new ConfigException(
                "--config", file + " must hold a YAML mapping at its top level");
          }
          flatten("", root, values);
        }
      } catch (IOException e) {
        throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
      }
      foldMaps(values);
      values.keySet().forEach(k -> origins.put(k, file.getFileName().toString()));
      for (String key : List.copyOf(values.keySet())) {
        if (GridFusionOptions.find(key).isEmpty()) {
          unknown.put(key, file.getFileName().toString());
          values.remove(key);
        }
      }
    }
    for (ConfigOption<?> option : GridFusionOptions.all()) {
      String v = env.get(option.environmentVariable());
      if (v != null) {
        values.put(option.key(), v);
        origins.put(option.key(), "environment " + option.environmentVariable());
      }
    }
    return new Config(values, origins, unknown);
  }

  /**
   * {@code risk.weights.record.FIRE_SMOKE = 8} becomes {@code risk.weights.record =
   * FIRE_SMOKE=8,...}.
   */
  private static void foldMaps(Map<String, String> values) {
    for (ConfigOption<?> option : GridFusionOptions.all()) {
      if (!option.isMap()) continue;
      String prefix = option.key() + ".";
      List<String> entries = new ArrayList<>();
      String direct = values.get(option.key());
      if (direct != null) entries.add(direct);
      values
          .entrySet()
          .removeIf(
              e -> {
                if (!e.getKey().startsWith(prefix)) return false;
                entries.add(e.getKey().substring(prefix.length()) + "=" + e.getValue());
                return true;
              });
      if (!entries.isEmpty()) values.put(option.key(), String.join(",", entries));
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      // A list of objects (console.tokens) becomes its text form, token:role,...; a field no
      // option knows stays behind as a key of its own, so it is reported like any unknown key.
      List<String> fields =
          GridFusionOptions.find(prefix).map(ConfigOption::fields).orElse(List.of());
      List<String> items = new ArrayList<>();
      int index = 0;
      for (JsonNode n : node) {
        index++;
        if (n.isObject() && !fields.isEmpty()) {
          items.add(
              fields.stream().map(f -> n.path(f).asText("")).collect(Collectors.joining(":")));
          Iterator<String> names = n.fieldNames();
          while (names.hasNext()) {
            String f = names.next();
            if (!fields.contains(f)) out.put(prefix + "[" + index + "]." + f, n.get(f).asText());
          }
        } else {
          items.add(n.asText());
        }
      }
      out.put(prefix, String.join(",", items));
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  /** A copy with {@code option} set (a flag, or an embedded component's address). */
  public Config with(ConfigOption<?> option, Object value) {
    Map<String, String> v = new LinkedHashMap<>(values);
    Map<String, String> o = new LinkedHashMap<>(origins);
    v.put(option.key(), String.valueOf(value));
    o.put(option.key(), "override");
    return new Config(v, o, unknown);
  }

  /** A copy with {@code option} set only where nobody configured it. */
  public Config withDefault(ConfigOption<?> option, Object value) {
    return isSet(option) ? this : with(option, value);
  }

  public boolean isSet(ConfigOption<?> option) {
    return values.containsKey(option.key());
  }

  public <T> T get(ConfigOption<T> option) {
    String raw = values.get(option.key());
    if (raw == null) {
      return option.defaultValue();
    }
    return option.parse(raw, origins.getOrDefault(option.key(), "?"));
  }

  public <T> Optional<T> getOptional(ConfigOption<T> option) {
    return Optional.ofNullable(get(option));
  }

  /** The value, or a {@link ConfigException} that tells the user what to set. */
  public <T> T require(ConfigOption<T> option, String why) {
    T v = get(option);
    if (v == null || (v instanceof String s && s.isBlank())) {
      throw new ConfigException(option.key(), "is required " + why);
    }
    return v;
  }

  /**
   * Every set key with its value as given (secrets in the clear): to hand the whole configuration
   * to another process, e.g. the job a cluster runs; never to show or log.
   */
  public Map<String, String> raw() {
    return values;
  }

  /** Every set key, with secrets masked, for the start-up log. */
  public String describe() {
    return values.entrySet().stream()
        .map(
            e ->
                "  "
                    + e.getKey()
                    + " = "
                    + shown(e.getKey(), e.getValue())
                    + "  ("
                    + origins.get(e.getKey())
                    + ")")
        .collect(Collectors.joining("\n"));
  }

  /**
   * Every key with its effective value (secrets masked) and where it came from, set or default:
   * what {@code gridfusion config check} prints.
   */
  public String describeEffective() {
    StringBuilder out = new StringBuilder();
    for (ConfigOption<?> o : GridFusionOptions.all()) {
      String raw = values.get(o.key());
      String origin = raw == null ? "default" : origins.get(o.key());
      String value =
          raw != null
              ? shown(o.key(), raw)
              : o.defaultValue() == null ? "(unset)" : String.valueOf(o.defaultValue());
      out.append(String.format("  %-34s = %s  (%s)%n", o.key(), value, origin));
    }
    return out.toString();
  }

  /**
   * Everything wrong with this configuration, all at once: unknown keys, values that do not parse
   * or fail their option's checks, and combinations that do not fit together.
   */
  public List<ConfigProblem> problems() {
    List<ConfigProblem> out = new ArrayList<>();
    unknown.forEach(
        (k, origin) ->
            out.add(
                new ConfigProblem(
                    k, origin, "unknown key; known keys: `gridfusion config --list`")));
    for (ConfigOption<?> o : GridFusionOptions.all()) {
      check(o, out);
    }
    if (out.isEmpty()) {
      out.addAll(GridFusionOptions.combinationProblems(this));
    }
    return out;
  }

  /**
   * Throws an {@link InvalidConfigException} listing every {@link #problems() problem} and every
   * {@code required} key that is unset; returns this configuration when there are none.
   */
  public Config validate(ConfigOption<?>... required) {
    List<ConfigProblem> out = new ArrayList<>();
    for (ConfigOption<?> r : required) {
      String raw = values.get(r.key());
      Object fallback = r.defaultValue();
      boolean noDefault = fallback == null || (fallback instanceof Collection<?> c && c.isEmpty());
      if ((raw == null || raw.isBlank()) && noDefault) {
        out.add(new ConfigProblem(r.key(), "unset", "is required"));
      }
    }
    out.addAll(problems());
    if (!out.isEmpty()) throw new InvalidConfigException(out);
    return this;
  }

  private <T> void check(ConfigOption<T> o, List<ConfigProblem> out) {
    String raw = values.get(o.key());
    String origin = raw == null ? "default" : origins.getOrDefault(o.key(), "?");
    T value;
    if (raw == null) {
      value = o.defaultValue();
    } else {
      try {
        value = o.parseRaw(raw);
      } catch (RuntimeException e) {
        out.add(
            new ConfigProblem(
                o.key(), origin, o.invalid(raw, origin, e).replace(" from " + origin, "")));
        return;
      }
    }
    for (String p : o.problems(value)) {
      out.add(new ConfigProblem(o.key(), origin, p));
    }
  }

  private static String shown(String key, String raw) {
    return GridFusionOptions.find(key).map(ConfigOption::isSecret).orElse(false) ? "****" : raw;
  }
}
