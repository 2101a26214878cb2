package org.gridfusion.simulator.scenario;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.gridfusion.simulator.traffic.TrafficItem;

/**
 * One placed entry of a scenario: the inputs to send, the alert they must raise (if any), and the
 * rules they must not raise.
 */
public record ScenarioStep(
    String label,
    String gridId,
    List<TrafficItem> items,
    Optional<GroundTruth> expected,
    List<String> mustNotRaise) {

  public ScenarioStep {
    items = items.stream().sorted(Comparator.comparing(TrafficItem::eventTime)).toList();
    mustNotRaise = List.copyOf(mustNotRaise);
  }

  static ScenarioStep of(String path, Incident i) {
    return new ScenarioStep(
        path + " " + i.name(), i.truth().gridId(), i.items(), Optional.of(i.truth()), List.of());
  }

  static ScenarioStep of(String path, NearMiss m) {
    return new ScenarioStep(
        path + " " + m.name(), m.gridId(), m.items(), m.raises(), m.mustNotRaise());
  }

  public Instant firstEventTime() {
    return items.get(0).eventTime();
  }

  public Instant lastEventTime() {
    return items.get(items.size() - 1).eventTime();
  }
}
