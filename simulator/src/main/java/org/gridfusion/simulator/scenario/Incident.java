package org.gridfusion.simulator.scenario;

import java.util.List;
import org.gridfusion.simulator.traffic.MqttMessage;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * Inputs that make one rule of contract §5 fire, with the alert expected from them. The items are
 * in event-time order and can be sent through any {@link
 * org.gridfusion.simulator.traffic.TrafficSink} or handed to {@link
 * org.gridfusion.simulator.traffic.Simulation#inject(List)}.
 */
public record Incident(String name, List<TrafficItem> items, GroundTruth truth) {

  public Incident {
    items = List.copyOf(items);
  }

  /** The MQTT messages among the items. */
  public List<MqttMessage> sensorMessages() {
    return items.stream()
        .filter(i -> i.source() == TrafficSource.SENSOR)
        .map(TrafficItem::toMqttMessage)
        .toList();
  }

  /** The camera event JSON texts among the items. */
  public List<String> cameraEvents() {
    return items.stream()
        .filter(i -> i.source() == TrafficSource.CAMERA)
        .map(TrafficItem::payload)
        .toList();
  }
}
