package org.gridfusion.simulator.traffic;

/** The three input interfaces of contract §2 the simulator drives. */
public enum TrafficSource {
  /** MQTT sensor readings (§2.2). */
  SENSOR,
  /** HTTP camera analytics events (§2.1). */
  CAMERA,
  /** Department record files in the inbox (§2.3). */
  DEPARTMENT
}
