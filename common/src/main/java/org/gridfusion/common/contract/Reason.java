package org.gridfusion.common.contract;

/**
 * Dead-letter reason codes (contract §3). {@code OUT_OF_AREA}, {@code UNKNOWN_DEVICE} and {@code
 * ILLEGAL_TRANSITION} are named by the contract; the rest are GridFusion's, listed in the README.
 */
public enum Reason {
  /** Not parseable as JSON (truncated, binary garbage, not an object). */
  MALFORMED,
  MISSING_FIELD,
  /** A field of the wrong type or an impossible value (NaN, negative count, too long). */
  INVALID_FIELD,
  UNKNOWN_TYPE,
  UNKNOWN_DEPARTMENT,
  COORDINATES_OUT_OF_RANGE,
  OUT_OF_AREA,
  TS_IN_FUTURE,
  TS_TOO_OLD,
  UNKNOWN_DEVICE,
  /**
   * A department record whose addressCode the address registry does not know, with no coordinates.
   */
  UNKNOWN_ADDRESS,
  /** An MQTT topic outside gf/sensors/{type}/{deviceId}. */
  UNKNOWN_TOPIC,
  TOO_LARGE,
  /** A rule set pushed to gf.rules that cannot be used; the one in force stays. */
  INVALID_RULE_SET,
  ILLEGAL_TRANSITION,
  /**
   * A work-order command naming an order the loop does not know (never opened, or long finished).
   */
  UNKNOWN_ORDER
}
