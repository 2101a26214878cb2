package org.gridfusion.simulator.traffic;

/** What the pipeline should make of a generated message: the simulator's ground truth. */
public enum Quality {
  /** A valid input, seen for the first time. */
  GOOD,
  /** Byte-for-byte the same as the GOOD message just before it (a device or gateway resending). */
  DUPLICATE,
  /** An invalid input that must be dead-lettered with {@link TrafficItem#expectedReason()}. */
  BAD
}
