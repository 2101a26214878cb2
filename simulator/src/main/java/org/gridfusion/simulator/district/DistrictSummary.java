package org.gridfusion.simulator.district;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;

/** How many of each thing a district holds; maps are sorted, so {@link #toString()} is stable. */
public record DistrictSummary(
    int streets,
    int communities,
    int grids,
    Map<GridKind, Integer> gridsByKind,
    int cameras,
    int sensors,
    Map<SensorType, Integer> sensorsByType,
    int addresses,
    int contextRecords,
    Map<String, Integer> contextRecordsByType) {

  static DistrictSummary of(District d) {
    Map<GridKind, Integer> byKind = new EnumMap<>(GridKind.class);
    d.grids().forEach(g -> byKind.merge(g.kind(), 1, Integer::sum));
    Map<SensorType, Integer> byType = new EnumMap<>(SensorType.class);
    int cameras = 0;
    for (Device dev : d.devices()) {
      if (dev.isCamera()) cameras++;
      else byType.merge(dev.sensorType(), 1, Integer::sum);
    }
    Map<String, Integer> byRecordType = new TreeMap<>();
    d.contextRecords().forEach(r -> byRecordType.merge(r.recordType(), 1, Integer::sum));
    return new DistrictSummary(
        d.streets().size(),
        d.communities().size(),
        d.grids().size(),
        byKind,
        cameras,
        d.devices().size() - cameras,
        byType,
        d.addresses().size(),
        d.contextRecords().size(),
        byRecordType);
  }

  @Override
  public String toString() {
    return streets
        + " streets, "
        + communities
        + " communities, "
        + grids
        + " grids "
        + gridsByKind
        + ", "
        + cameras
        + " cameras, "
        + sensors
        + " sensors "
        + sensorsByType
        + ", "
        + addresses
        + " addresses, "
        + contextRecords
        + " context records "
        + contextRecordsByType;
  }
}
