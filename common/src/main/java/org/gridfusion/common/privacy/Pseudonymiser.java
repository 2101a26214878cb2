package org.gridfusion.common.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps personal identifiers out of every output (contract §4): the subject becomes a keyed hash
 * ({@code subjectRef}, HMAC-SHA256 with the configured secret, so the same subject always gets the
 * same ref and nobody without the secret can reverse or recompute it), names and phone numbers are
 * masked, and ID-card numbers anywhere in the attributes are replaced by their ref.
 *
 * <p>Shared by the jobs (records, documents) and {@link PayloadPseudonymiser} (dead letters of the
 * connectors and the jobs), so a subject gets the same {@code subjectRef} wherever it appears.
 *
 * <p>Not thread-safe (one {@link Mac} per instance); each operator instance owns one.
 */
public final class Pseudonymiser {
  /** Mainland resident ID: 17 digits and a digit or X (18-digit form), or the old 15-digit form. */
  private static final Pattern ID_CARD = Pattern.compile("(?<!\\d)(\\d{17}[\\dXx]|\\d{15})(?!\\d)");

  /** Mobile numbers (11 digits starting 1) and landlines with area code. */
  private static final Pattern PHONE =
      Pattern.compile("(?<!\\d)(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})(?!\\d)");

  private static final Set<String> NAME_KEYS =
      Set.of("name", "fullname", "personname", "contactname", "guardian");
  private static final Set<String> PHONE_KEYS =
      Set.of("phone", "mobile", "tel", "telephone", "contactphone");
  private static final Set<String> PERSON_KEYS =
      Set.of("personid", "person", "subjectid", "idcard", "idnumber", "matchedperson");

  private final Mac mac;

  public Pseudonymiser(String secret) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("privacy.hmacSecret must be at least 16 characters");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The subject's stable reference: {@code sr-} and 32 hex digits of the HMAC. */
  public String subjectRef(String subjectId) {
    if (subjectId == null || subjectId.isBlank()) return null;
    byte[] h =
        mac.doFinal(subjectId.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return "sr-" + HexFormat.of().formatHex(h, 0, 16);
  }

  /** A copy of the attributes with names, phones, person ids and ID-card numbers made safe. */
  public Map<String, String> attributes(Map<String, String> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String key = e.getKey();
      String v = e.getValue();
      out.put(key, v == null ? null : value(key, v));
    }
    return out;
  }

  /** One value made safe by what its key says it holds (a person, a name, a phone, or text). */
  public String value(String key, String v) {
    return switch (kindOf(key)) {
      case PERSON -> subjectRef(v);
      case NAME -> maskName(v);
      case PHONE -> maskPhone(v);
      case TEXT -> scrub(v);
    };
  }

  /** What a field holds, judged by its name (case and underscores ignored). */
  enum Kind {
    PERSON,
    NAME,
    PHONE,
    TEXT
  }

  static Kind kindOf(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace("_", "");
    if (PERSON_KEYS.contains(k)) return Kind.PERSON;
    if (NAME_KEYS.contains(k)) return Kind.NAME;
    if (PHONE_KEYS.contains(k)) return Kind.PHONE;
    return Kind.TEXT;
  }

  /** Every field name {@link #kindOf} treats as personal, in its canonical spelling. */
  static Set<String> personalKeys() {
    Set<String> all = new HashSet<>(PERSON_KEYS);
    all.addAll(NAME_KEYS);
    all.addAll(PHONE_KEYS);
    return all;
  }

  /** Replaces ID-card numbers and phone numbers found inside free text. */
  public String scrub(String text) {
    Matcher m = ID_CARD.matcher(text);
    StringBuilder sb = new StringBuilder();
    boolean found = false;
    while (m.find()) {
      found = true;
      m.appendReplacement(sb, Matcher.quoteReplacement(subjectRef(m.group(1))));
    }
    String s = found ? m.appendTail(sb).toString() : text;
    Matcher p = PHONE.matcher(s);
    return p.find() ? p.replaceAll(r -> Matcher.quoteReplacement(maskPhone(r.group(1)))) : s;
  }

  /** Keeps the first character (the family name in Chinese), masks the rest. */
  public static String maskName(String name) {
    String n = name.strip();
    if (n.isEmpty()) return n;
    int first = n.offsetByCodePoints(0, 1);
    return n.substring(0, first) + "*".repeat(Math.max(1, n.codePointCount(first, n.length())));
  }

  /** Keeps the first three and last two digits, as call centres print them. */
  public static String maskPhone(String phone) {
    String digits = phone.replaceAll("\\D", "");
    if (digits.length() < 6) return "*".repeat(digits.length());
    return digits.substring(0, 3)
        + "*".repeat(digits.length() - 5)
        + digits.substring(digits.length() - 2);
  }
}
