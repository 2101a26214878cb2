package org.gridfusion.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private Config(Map<String, String> values, Map<String, String> origins) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
  }

  public static Config empty() {
    return new Config(Map.of(), Map.of());
  }

  /** Loads {@code file} (may be null), then applies {@code GF_*} variables from {@code env}. */
  public static Config load(Path file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
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
      for (String key : values.keySet()) {
        if (GridFusionOptions.find(key).isEmpty()) {
          throw new ConfigException(
              key, "unknown key in " + file + "; known keys: `gridfusion config --list`");
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
    return new Config(values, origins);
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
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(n.asText()));
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
    return new Config(v, o);
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

  /** Every set key, with secrets masked, for the start-up log. */
  public String describe() {
    return values.entrySet().stream()
        .map(
            e ->
                "  "
                    + e.getKey()
                    + " = "
                    + (isSecret(e.getKey()) ? "****" : e.getValue())
                    + "  ("
                    + origins.get(e.getKey())
                    + ")")
        .collect(Collectors.joining("\n"));
  }

  private static boolean isSecret(String key) {
    String k = key.toLowerCase();
    return k.contains("secret") || k.contains("token") || k.contains("password");
  }
}
