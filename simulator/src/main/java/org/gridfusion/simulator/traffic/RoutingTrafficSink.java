package org.gridfusion.simulator.traffic;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sink per source, as a single {@link TrafficSink}: the usual set-up against a running pipeline
 * is MQTT for sensors, HTTP for cameras and the inbox for department records. A null sink drops
 * that source (and counts nothing).
 */
public final class RoutingTrafficSink implements TrafficSink {
  private final TrafficSink sensors;
  private final TrafficSink cameras;
  private final TrafficSink departments;

  public RoutingTrafficSink(TrafficSink sensors, TrafficSink cameras, TrafficSink departments) {
    this.sensors = sensors;
    this.cameras = cameras;
    this.departments = departments;
  }

  @Override
  public void sendSensor(String topic, String payloadJson) {
    if (sensors != null) sensors.sendSensor(topic, payloadJson);
  }

  @Override
  public void sendCameraBatch(List<String> eventJsons) {
    if (cameras != null) cameras.sendCameraBatch(eventJsons);
  }

  @Override
  public void sendDepartment(List<String> jsonLines) {
    if (departments != null) departments.sendDepartment(jsonLines);
  }

  @Override
  public void flush() {
    distinct().forEach(TrafficSink::flush);
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    TrafficSink s =
        switch (source) {
          case SENSOR -> sensors;
          case CAMERA -> cameras;
          case DEPARTMENT -> departments;
        };
    return s == null ? SinkCounts.ZERO : s.counts(source);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (TrafficSink s : distinct()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    if (failure != null) throw failure;
  }

  /** The same sink may serve several sources; flush and close it once. */
  private List<TrafficSink> distinct() {
    Map<TrafficSink, Boolean> seen = new IdentityHashMap<>();
    List<TrafficSink> out = new ArrayList<>();
    for (TrafficSink s : new TrafficSink[] {sensors, cameras, departments}) {
      if (s != null && seen.put(s, Boolean.TRUE) == null) out.add(s);
    }
    return out;
  }
}
