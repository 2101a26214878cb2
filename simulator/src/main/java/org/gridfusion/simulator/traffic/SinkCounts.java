package org.gridfusion.simulator.traffic;

/**
 * Messages of one source a sink has handled, counted in messages (not requests or files).
 *
 * @param sent handed to the transport
 * @param acknowledged confirmed by the other side: MQTT PUBACK, HTTP 202, inbox file in place
 * @param failed given up on: connection lost, non-202 answer, file not written
 * @param rejected of the acknowledged, those the other side listed as rejected (HTTP 202 body only)
 */
public record SinkCounts(long sent, long acknowledged, long failed, long rejected) {
  public static final SinkCounts ZERO = new SinkCounts(0, 0, 0, 0);

  /** Sent but neither acknowledged nor failed yet. */
  public long inFlight() {
    return sent - acknowledged - failed;
  }
}
