package org.gridfusion.simulator.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Event-time text in the forms contract inputs accept ("Times" in the contract): local China time
 * with an explicit {@code +08:00} offset, the way department systems and most devices in the
 * district write it, and UTC with {@code Z}, the way the camera analytics platform writes it.
 */
public final class Timestamps {
  /** China Standard Time has no daylight saving, so a fixed offset is exact. */
  public static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  /** The zone the contract's local-time rules use by default. */
  public static final ZoneId LOCAL_ZONE = ZoneId.of("Asia/Shanghai");

  private static final DateTimeFormatter MILLIS_OFFSET =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(CHINA);
  private static final DateTimeFormatter SECONDS_OFFSET =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT).withZone(CHINA);
  private static final DateTimeFormatter MILLIS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** {@code 2026-11-24T08:15:30.120+08:00}. */
  public static String chinaMillis(Instant t) {
    return MILLIS_OFFSET.format(t);
  }

  /** {@code 2026-11-20T09:00:00+08:00}, for records department clerks enter by hand. */
  public static String chinaSeconds(Instant t) {
    return SECONDS_OFFSET.format(t);
  }

  /** {@code 2026-11-24T00:15:30.120Z}. */
  public static String utcMillis(Instant t) {
    return MILLIS_UTC.format(t);
  }
}
