package org.gridfusion.simulator.scenario;

import java.util.List;
import java.util.Optional;
import org.gridfusion.simulator.traffic.TrafficItem;

/**
 * Inputs that come close to a rule of contract §5 without meeting it: the rules in {@code
 * mustNotRaise} must stay silent. Some near misses of one rule are exactly another rule's case
 * (smoke and a camera six minutes apart are no confirmed fire, but a suspected one): that alert is
 * {@code raises}, and counts as expected.
 */
public record NearMiss(
    NearMissKind kind,
    String name,
    List<TrafficItem> items,
    List<String> mustNotRaise,
    Optional<GroundTruth> raises) {

  public NearMiss {
    items = List.copyOf(items);
    mustNotRaise = List.copyOf(mustNotRaise);
  }

  /** The grid the near miss happens in. */
  public String gridId() {
    return items.get(0).gridId();
  }
}
