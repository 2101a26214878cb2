package org.gridfusion.simulator.scenario;

/** Alert severities of contract §4/§5, lowest first. */
public enum Severity {
  GENERAL,
  IMPORTANT,
  URGENT
}
