package org.gridfusion.simulator.traffic;

import java.util.List;

/**
 * Where generated traffic goes: the pipeline's real input interfaces (MQTT, HTTP, inbox directory),
 * or anything else that takes the same messages. Sends may be asynchronous; {@link #flush()} waits
 * for the outcome of everything sent. A sink throws {@link UnsupportedOperationException} for a
 * source it does not carry; {@link RoutingTrafficSink} combines one sink per source.
 */
public interface TrafficSink extends AutoCloseable {

  /** One sensor reading (§2.2), QoS 1. A sink that does not carry readings throws. */
  default void sendSensor(String topic, String payloadJson) {
    throw new UnsupportedOperationException(
        "sensor readings go over MQTT (contract §2.2); "
            + getClass().getSimpleName()
            + " does not carry them");
  }

  /**
   * Camera events (§2.1) in one request. Each string is one JSON event; a list of one is sent as
   * the bare object, longer lists as a JSON array. A sink that does not carry camera events throws.
   */
  default void sendCameraBatch(List<String> eventJsons) {
    throw new UnsupportedOperationException(
        "camera events go over HTTP (contract §2.1); "
            + getClass().getSimpleName()
            + " does not carry them");
  }

  /**
   * Department records (§2.3) in one batch (an inbox file, a database transaction), one JSON object
   * per line. A sink that does not carry department records throws.
   */
  default void sendDepartment(List<String> jsonLines) {
    throw new UnsupportedOperationException(
        "department records go to the inbox or the department database (contract §2.3); "
            + getClass().getSimpleName()
            + " does not carry them");
  }

  /**
   * Waits until every message sent so far is acknowledged or failed (or a sink-specific timeout).
   */
  void flush();

  SinkCounts counts(TrafficSource source);

  /** Flushes and releases connections; counts stay readable. */
  @Override
  void close();
}
