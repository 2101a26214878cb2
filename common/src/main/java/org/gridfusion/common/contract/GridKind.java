package org.gridfusion.common.contract;

/** Grid kinds of the grid map (contract §1); every kind but BASIC is a dedicated grid. */
public enum GridKind {
  BASIC,
  SCHOOL,
  HOSPITAL,
  MARKET,
  BUSINESS,
  PARK,
  INDUSTRIAL;

  public boolean isDedicated() {
    return this != BASIC;
  }
}
