package org.gridfusion.simulator.traffic;

/**
 * Told about a running {@link Simulation} about once a wall-clock second, and once more at the end.
 * Called on the simulation's thread: keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = progress -> {};

  void onProgress(Progress progress);
}
