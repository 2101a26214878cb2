package org.gridfusion.simulator.traffic;

import java.util.List;

/**
 * Where generated traffic goes: the pipeline's real input interfaces (MQTT, HTTP, inbox directory),
 * or anything else that takes the same messages. Sends may be asynchronous; {@link #flush()} waits
 * for the outcome of everything sent. A sink throws {@link UnsupportedOperationException} for a
 * source it does not carry; {@link RoutingTrafficSink} combines one sink per source.
 */
public interface TrafficSink extends AutoCloseable {

  /** One sensor reading (§2.2), QoS 1. */
  void sendSensor(String topic, String payloadJson);

  /**
   * Camera events (§2.1) in one request. Each string is one JSON event; a list of one is sent as the
   * bare object, longer lists as a JSON array.
   */
  void sendCameraBatch(List<String> eventJsons);

  /** Department records (§2.3) in one inbox file, one JSON object per line. */
  void sendDepartment(List<String> jsonLines);

  /** Waits until every message sent so far is acknowledged or failed (or a sink-specific timeout). */
  void flush();

  SinkCounts counts(TrafficSource source);

  /** Flushes and releases connections; counts stay readable. */
  @Override
  void close();
}
