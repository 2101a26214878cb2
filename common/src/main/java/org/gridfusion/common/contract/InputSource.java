package org.gridfusion.common.contract;

/** The {@code source} field of a dead letter (contract §3). */
public enum InputSource {
  CAMERA("camera"),
  SENSOR("sensor"),
  DEPARTMENT("department"),
  COMMAND("command");

  private final String wire;

  InputSource(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
