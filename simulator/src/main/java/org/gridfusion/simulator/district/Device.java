package org.gridfusion.simulator.district;

import org.gridfusion.common.contract.SensorType;

/**
 * A row of the device registry, plus the grid the pipeline will place it in (the generator puts
 * devices of a basic grid outside any dedicated grid inside it, so the two agree).
 *
 * @param type {@code CAMERA} for cameras, a {@link SensorType} name for sensors
 */
public record Device(
    String deviceId, DeviceKind kind, String type, double lat, double lon, String gridId) {

  /** The camera type written to the registry. */
  public static final String CAMERA_TYPE = "CAMERA";

  public boolean isCamera() {
    return kind == DeviceKind.CAMERA;
  }

  /** The sensor type, or null for a camera. */
  public SensorType sensorType() {
    return kind == DeviceKind.SENSOR ? SensorType.valueOf(type) : null;
  }
}
