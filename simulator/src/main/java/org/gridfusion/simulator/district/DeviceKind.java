package org.gridfusion.simulator.district;

/** The {@code kind} column of the device registry (contract §1). */
public enum DeviceKind {
  CAMERA,
  SENSOR
}
