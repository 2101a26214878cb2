package org.gridfusion.common.contract;

/** Camera analytics event types of contract §2.1. */
public enum CameraEventType {
  FIRE_SMOKE,
  CROWD,
  INTRUSION,
  ILLEGAL_PARKING,
  STREET_VENDING,
  GARBAGE_OVERFLOW,
  FALL_DETECTED,
  FIGHT,
  WATCHLIST_MATCH;

  public static boolean isKnown(String s) {
    return Enums.isKnown(CameraEventType.class, s);
  }
}
