package org.gridfusion.common.contract;

/** Departments that share records with the command centre (contract §2.3). */
public enum Department {
  POLICE,
  HEALTH,
  MARKET_REGULATION,
  HOUSING,
  URBAN_MANAGEMENT,
  CIVIL_AFFAIRS,
  JUSTICE,
  EMERGENCY_MANAGEMENT,
  PETITION,
  HR_SOCIAL_SECURITY;

  public static boolean isKnown(String s) {
    return Enums.isKnown(Department.class, s);
  }
}
