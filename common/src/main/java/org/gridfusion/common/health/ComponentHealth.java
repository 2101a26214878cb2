package org.gridfusion.common.health;

/**
 * The state of one part of a running GridFusion (Kafka, MQTT, Elasticsearch, the Flink job, a
 * connector), as {@code /v1/health}, the demo's status line and the supervisor's log show it.
 *
 * @param detail one line a duty officer can act on ("restarted 2 times, last 10:42:07", "3 retries
 *     a minute since 10:41"); may be empty
 */
public record ComponentHealth(State state, String detail) {
  public enum State {
    /** working */
    UP,
    /** working with a problem (retrying, lagging, restarted recently) */
    DEGRADED,
    /** not working */
    DOWN,
    /** not checked or cannot be checked from here */
    UNKNOWN
  }

  public ComponentHealth {
    detail = detail == null ? "" : detail;
  }

  public static ComponentHealth up(String detail) {
    return new ComponentHealth(State.UP, detail);
  }

  public static ComponentHealth degraded(String detail) {
    return new ComponentHealth(State.DEGRADED, detail);
  }

  public static ComponentHealth down(String detail) {
    return new ComponentHealth(State.DOWN, detail);
  }

  public static ComponentHealth unknown(String detail) {
    return new ComponentHealth(State.UNKNOWN, detail);
  }
}
