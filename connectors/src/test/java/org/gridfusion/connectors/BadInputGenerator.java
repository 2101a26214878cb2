package org.gridfusion.connectors;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed inputs made by mutating valid ones (contract §2, §3), seeded and deterministic: case
 * {@code i} of a generator with seed {@code s} is always the same bytes, so a failing case can be
 * made again from its index. Every case is invalid whatever the mutation hits — a mutation is
 * chosen to break a field the contract checks, or the JSON itself — so a connector must refuse each
 * one (a 4xx, or a dead letter with its reason), never store it as an input.
 *
 * <p>Every case carries a marker ({@link #marker(int)}): in the event or record id where the
 * payload still has one, and in the MQTT topic, so a dead letter can be traced back to its case.
 * {@link #valid} gives the unmutated inputs the mutations start from, to send alongside.
 */
final class BadInputGenerator {
  /** What was done to the valid input. */
  enum Mutation {
    /** Cut anywhere: no proper prefix of a JSON object is JSON. */
    TRUNCATED,
    /** A checked field given a value of the wrong type (an object, an array, a word, a flag). */
    WRONG_TYPE,
    /** A number beyond any double (1e400) or any long, where a number is checked. */
    HUGE_NUMBER,
    /** NaN or ±Infinity, which JSON does not have. */
    NOT_A_NUMBER,
    /** A value nested thousands of arrays deep. */
    DEEP_NESTING,
    /** An id of 100-300 kB. */
    HUGE_STRING,
    /** A 10 MB string. */
    TEN_MB_STRING,
    /** Bytes that are not UTF-8 inside a string. */
    INVALID_UTF8,
    /** HTML/script or SQL text in a field with a closed set of values or a format. */
    SCRIPT_OR_SQL,
    /** MQTT only: a topic that is not {@code gf/sensors/<type>/<deviceId>}. */
    WRONG_TOPIC,
    /** MQTT only: a payload larger than the endpoint's whole-packet limit. */
    OVERSIZED_FRAME
  }

  /**
   * One input.
   *
   * @param topic the MQTT topic; null for HTTP bodies and inbox lines
   */
  record Case(int index, Mutation mutation, String topic, byte[] payload) {
    String describe() {
      String head = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
      return "#"
          + index
          + " "
          + mutation
          + " ("
          + payload.length
          + " bytes"
          + ")"
          + (topic == null ? "" : " on " + topic)
          + ": "
          + head;
    }
  }

  /** Where a case goes: each has its own valid input to mutate. */
  enum Ingress {
    HTTP,
    MQTT,
    INBOX
  }

  private static final String TEN_MB = "x".repeat(10_000_000);
  private static final List<String> SCRIPT_OR_SQL =
      List.of(
          "<script>alert(document.cookie)</script>",
          "'; DROP TABLE records; --",
          "\" OR 1=1 --",
          "${jndi:ldap://127.0.0.1/a}",
          "<img src=x onerror=alert(1)>",
          "1; SELECT * FROM pg_user");

  private final long seed;
  private final String run;
  private final String now;

  /**
   * @param run in every marker, so cases of different runs on one Kafka stay apart
   * @param now the {@code ts} of every valid input (inside the accepted time window)
   */
  BadInputGenerator(long seed, String run, String now) {
    this.seed = seed;
    this.run = run;
    this.now = now;
  }

  /** {@code bi<run>n<index>e}: a valid id, and no marker is a prefix of another. */
  String marker(int i) {
    return "bi" + run + "n" + i + "e";
  }

  /** The case's number from a text holding its marker, or -1. */
  int indexIn(String text) {
    String start = "bi" + run + "n";
    int at = text.indexOf(start);
    if (at < 0) return -1;
    int end = text.indexOf('e', at + start.length());
    if (end < 0) return -1;
    try {
      return Integer.parseInt(text.substring(at + start.length(), end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The valid input case {@code i} would start from (topic for MQTT, payload). */
  Case valid(Ingress ingress, int i) {
    List<String[]> fields = fields(ingress, i);
    return new Case(i, null, topic(ingress, i), json(fields).getBytes(StandardCharsets.UTF_8));
  }

  /** Case {@code i} for {@code ingress}: always the same for the same seed. */
  Case bad(Ingress ingress, int i) {
    Random r = new Random(mix(mix(mix(seed) + ingress.ordinal()) + i));
    Mutation m = pick(ingress, i, r);
    List<String[]> fields = fields(ingress, i);
    String topic = topic(ingress, i);
    byte[] payload;
    switch (m) {
      case TRUNCATED -> {
        byte[] whole = json(fields).getBytes(StandardCharsets.UTF_8);
        payload = java.util.Arrays.copyOf(whole, 1 + r.nextInt(whole.length - 1));
        if (ingress == Ingress.MQTT && payload.length < 2) payload = new byte[] {'{'};
      }
      case WRONG_TYPE -> {
        String[] f = checked(ingress, r);
        set(fields, f[0], pickOf(r, "{\"v\":1}", "[1,2]", "true", "\"word\""));
        // a word where the contract expects one is still a wrong value: make sure of a type
        if (f[1].equals("string")) set(fields, f[0], pickOf(r, "{\"v\":1}", "[1,2]", "true"));
        payload = bytes(fields);
      }
      case HUGE_NUMBER -> {
        String field = numeric(ingress, r);
        // a reading's value has no range in the contract: only one beyond any double is wrong
        set(
            fields,
            field,
            field.equals("value")
                ? pickOf(r, "1e400", "-1e400")
                : pickOf(r, "1e400", "-1e400", "123456789012345678901234567890"));
        payload = bytes(fields);
      }
      case NOT_A_NUMBER -> {
        set(fields, numeric(ingress, r), pickOf(r, "NaN", "Infinity", "-Infinity"));
        payload = bytes(fields);
      }
      case DEEP_NESTING -> {
        int depth = 2_000 + r.nextInt(3_000);
        set(fields, numeric(ingress, r), "[".repeat(depth) + "1" + "]".repeat(depth));
        payload = bytes(fields);
      }
      case HUGE_STRING -> {
        set(fields, idField(ingress), quote(marker(i) + "h".repeat(100_000 + r.nextInt(200_000))));
        payload = bytes(fields);
      }
      case TEN_MB_STRING, OVERSIZED_FRAME -> {
        set(fields, idField(ingress), quote(marker(i) + TEN_MB));
        payload = bytes(fields);
      }
      case INVALID_UTF8 -> {
        byte[] whole = bytes(fields);
        String s = new String(whole, StandardCharsets.UTF_8);
        int at = s.indexOf(marker(i)) + marker(i).length();
        if (ingress == Ingress.MQTT) at = s.indexOf("\"ts\":\"") + 7;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(whole, 0, at);
        byte[] bad = r.nextBoolean() ? new byte[] {(byte) 0xff} : new byte[] {(byte) 0xc3, 0x28};
        out.write(bad, 0, bad.length);
        out.write(whole, at, whole.length - at);
        payload = out.toByteArray();
      }
      case SCRIPT_OR_SQL -> {
        String text = SCRIPT_OR_SQL.get(r.nextInt(SCRIPT_OR_SQL.size()));
        set(fields, closedSet(ingress), quote(text));
        payload = bytes(fields);
      }
      case WRONG_TOPIC -> {
        topic =
            switch (r.nextInt(5)) {
              case 0 -> "gf/sensors/NOT_A_TYPE/" + marker(i);
              case 1 -> "gf/sensor/GAS/" + marker(i);
              case 2 -> "gf/sensors/GAS/" + marker(i) + "/extra";
              case 3 -> "gf/sensors/" + marker(i);
              default -> marker(i) + "/readings";
            };
        payload = bytes(fields);
      }
      default -> throw new IllegalStateException(m.name());
    }
    return new Case(i, m, topic, payload);
  }

  /**
   * SplitMix64's finaliser: nearby seeds give unrelated streams (java.util.Random's first values
   * for seeds 1, 2, 3... are nearly the same).
   */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Every mutation in turn, 10 MB strings one case in 1,000; the MQTT-only ones for MQTT. */
  private static Mutation pick(Ingress ingress, int i, Random r) {
    if (i % 1_000 == 999) {
      return ingress == Ingress.MQTT ? Mutation.OVERSIZED_FRAME : Mutation.TEN_MB_STRING;
    }
    List<Mutation> usable = new ArrayList<>();
    for (Mutation m : Mutation.values()) {
      if (m == Mutation.TEN_MB_STRING || m == Mutation.OVERSIZED_FRAME) continue;
      if (m == Mutation.WRONG_TOPIC && ingress != Ingress.MQTT) continue;
      usable.add(m);
    }
    return usable.get(r.nextInt(usable.size()));
  }

  // ------------------------------------------------------------------ the valid inputs

  /** Field name and its JSON text, in order. */
  private List<String[]> fields(Ingress ingress, int i) {
    List<String[]> f = new ArrayList<>();
    switch (ingress) {
      case HTTP -> {
        f.add(new String[] {"eventId", quote(marker(i))});
        f.add(new String[] {"cameraId", quote("CAM-" + run)});
        f.add(new String[] {"type", quote("CROWD")});
        f.add(new String[] {"ts", quote(now)});
        f.add(new String[] {"confidence", "0.8"});
        f.add(new String[] {"objectCount", "4"});
      }
      case MQTT -> {
        f.add(new String[] {"ts", quote(now)});
        f.add(new String[] {"value", "21.5"});
        f.add(new String[] {"battery", "80"});
      }
      case INBOX -> {
        f.add(new String[] {"recordId", quote(marker(i))});
        f.add(new String[] {"department", quote("POLICE")});
        f.add(new String[] {"recordType", quote("CASE_REPORTED")});
        f.add(new String[] {"ts", quote(now)});
        f.add(new String[] {"lat", "43.65"});
        f.add(new String[] {"lon", "122.25"});
      }
    }
    return f;
  }

  private String topic(Ingress ingress, int i) {
    return ingress == Ingress.MQTT ? "gf/sensors/TEMPERATURE/" + marker(i) : null;
  }

  /** A field the contract checks, and whether its value is a string. */
  private static String[] checked(Ingress ingress, Random r) {
    List<String[]> options =
        switch (ingress) {
          case HTTP ->
              List.of(
                  new String[] {"ts", "string"},
                  new String[] {"type", "string"},
                  new String[] {"cameraId", "string"},
                  new String[] {"confidence", "number"},
                  new String[] {"objectCount", "number"});
          case MQTT ->
              List.of(
                  new String[] {"ts", "string"},
                  new String[] {"value", "number"},
                  new String[] {"battery", "number"});
          case INBOX ->
              List.of(
                  new String[] {"ts", "string"},
                  new String[] {"department", "string"},
                  new String[] {"lat", "number"},
                  new String[] {"lon", "number"});
        };
    return options.get(r.nextInt(options.size()));
  }

  private static String numeric(Ingress ingress, Random r) {
    return switch (ingress) {
      case HTTP -> r.nextBoolean() ? "confidence" : "objectCount";
      case MQTT -> r.nextBoolean() ? "value" : "battery";
      case INBOX -> r.nextBoolean() ? "lat" : "lon";
    };
  }

  private static String idField(Ingress ingress) {
    return switch (ingress) {
      case HTTP -> "eventId";
      case MQTT -> "value";
      case INBOX -> "recordId";
    };
  }

  private static String closedSet(Ingress ingress) {
    return switch (ingress) {
      case HTTP -> "type";
      case MQTT -> "ts";
      case INBOX -> "department";
    };
  }

  // ------------------------------------------------------------------ JSON text

  private static void set(List<String[]> fields, String name, String json) {
    for (String[] f : fields) {
      if (f[0].equals(name)) {
        f[1] = json;
        return;
      }
    }
    fields.add(new String[] {name, json});
  }

  private static String json(List<String[]> fields) {
    StringBuilder sb = new StringBuilder("{");
    for (String[] f : fields) {
      if (sb.length() > 1) sb.append(',');
      sb.append(quote(f[0])).append(':').append(f[1]);
    }
    return sb.append('}').toString();
  }

  private static byte[] bytes(List<String[]> fields) {
    return json(fields).getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String pickOf(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
