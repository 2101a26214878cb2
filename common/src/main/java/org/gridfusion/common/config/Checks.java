package org.gridfusion.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The checks configuration options carry (range, length, format, allowed values, files). */
public final class Checks {
  private Checks() {}

  /** {@code min <= value <= max}. */
  public static Check<Integer> range(int min, int max) {
    return v -> v >= min && v <= max ? null : "must be " + min + ".." + max + ", got " + v;
  }

  public static Check<Integer> atLeast(int min) {
    return v -> v >= min ? null : "must be at least " + min + ", got " + v;
  }

  public static Check<Double> atLeast(double min) {
    return v -> v >= min && !v.isInfinite() ? null : "must be a number >= " + min + ", got " + v;
  }

  /** A TCP port; 0 asks for a free one. */
  public static Check<Integer> port() {
    return range(0, 65_535);
  }

  public static Check<Duration> positive() {
    return d -> d.isNegative() || d.isZero() ? "must be positive, e.g. 10s" : null;
  }

  public static Check<Duration> notNegative() {
    return d -> d.isNegative() ? "must not be negative" : null;
  }

  public static Check<Duration> between(Duration min, Duration max) {
    return d ->
        d.compareTo(min) >= 0 && d.compareTo(max) <= 0
            ? null
            : "must be between "
                + Durations.format(min)
                + " and "
                + Durations.format(max)
                + ", got "
                + Durations.format(d);
  }

  public static Check<String> minLength(int n) {
    return s -> s.length() >= n ? null : "must be at least " + n + " characters, got " + s.length();
  }

  public static Check<String> notBlank() {
    return s -> s.isBlank() ? "must not be blank" : null;
  }

  /** Every item of a list at least {@code n} characters (tokens). */
  public static Check<List<String>> eachMinLength(int n) {
    return list -> {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).length() < n) {
          return "item #"
              + (i + 1)
              + " must be at least "
              + n
              + " characters, got "
              + list.get(i).length();
        }
      }
      return null;
    };
  }

  /**
   * Items {@code name:password}: a name without ':', a password of at least {@code minPassword}
   * characters, no name twice. Messages never show a password.
   */
  public static Check<List<String>> userPasswords(int minPassword) {
    return list -> {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String item = list.get(i);
        int colon = item.indexOf(':');
        if (colon <= 0) return "item #" + (i + 1) + " must be name:password";
        String name = item.substring(0, colon);
        if (item.length() - colon - 1 < minPassword) {
          return "the password of '" + name + "' must be at least " + minPassword + " characters";
        }
        if (!names.add(name)) return "user '" + name + "' is listed twice";
      }
      return null;
    };
  }

  /** No two items of a list with the same {@code what} (e.g. the same token twice). */
  public static <T> Check<List<T>> distinct(Function<T, Object> by, String what) {
    return list -> {
      Set<Object> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        if (!seen.add(by.apply(list.get(i)))) {
          return "item #" + (i + 1) + " repeats the " + what + " of an earlier item";
        }
      }
      return null;
    };
  }

  public static Check<String> oneOf(String... allowed) {
    List<String> values = Arrays.asList(allowed);
    return s ->
        values.contains(s)
            ? null
            : "must be one of " + String.join(", ", values) + ", got '" + s + "'";
  }

  public static Check<String> matches(String regex, String what) {
    Pattern p = Pattern.compile(regex);
    return s -> p.matcher(s).matches() ? null : "must be " + what + ", got '" + s + "'";
  }

  /** A URL with one of the given schemes and a host. */
  public static Check<String> url(String... schemes) {
    Set<String> allowed = Set.of(schemes);
    String example = schemes[0] + "://host:port";
    return s -> {
      for (String one : s.split(",")) {
        try {
          URI u = new URI(one.trim());
          if (u.getScheme() == null || !allowed.contains(u.getScheme().toLowerCase())) {
            return "must be a URL with scheme "
                + String.join(" or ", schemes)
                + " (e.g. "
                + example
                + "), got '"
                + one.trim()
                + "'";
          }
          if (u.getHost() == null) return "'" + one.trim() + "' has no host";
        } catch (URISyntaxException e) {
          return "'" + one.trim() + "' is not a URL: " + e.getReason();
        }
      }
      return null;
    };
  }

  /** Comma-separated {@code host:port} pairs (Kafka bootstrap servers). */
  public static Check<String> hostPorts() {
    Pattern p = Pattern.compile("\\s*\\[?[A-Za-z0-9_.:-]+]?:\\d{1,5}\\s*");
    return s -> {
      for (String one : s.split(",")) {
        if (!p.matcher(one).matches()) {
          return "must be host:port[,host:port...], '" + one.trim() + "' is not";
        }
      }
      return null;
    };
  }

  public static Check<String> timeZone() {
    return s -> {
      try {
        ZoneId.of(s);
        return null;
      } catch (DateTimeException e) {
        return "'" + s + "' is not a time zone id (e.g. Asia/Shanghai, UTC)";
      }
    };
  }

  /** A file that exists and can be read. */
  public static Check<String> readableFile() {
    return s -> {
      Path p = Path.of(s);
      if (!Files.exists(p)) return "file " + p.toAbsolutePath() + " does not exist";
      if (!Files.isRegularFile(p)) return p.toAbsolutePath() + " is not a file";
      if (!Files.isReadable(p)) return "file " + p.toAbsolutePath() + " cannot be read";
      return null;
    };
  }

  /** Map keys only from {@code allowed}. */
  public static <V> Check<Map<String, V>> keysIn(String... allowed) {
    List<String> values = Arrays.asList(allowed);
    return m -> {
      for (String k : m.keySet()) {
        if (!values.contains(k)) {
          return "unknown name '" + k + "'; the names are " + String.join(", ", values);
        }
      }
      return null;
    };
  }
}
