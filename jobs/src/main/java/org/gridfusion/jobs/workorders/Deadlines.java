package org.gridfusion.jobs.workorders;

import java.time.Duration;
import org.gridfusion.schema.Severity;

/** The time limits of contract §6, by the category of the alert behind an order. */
public final class Deadlines {
  private Deadlines() {}

  /** How long the street has to GRAB an order before it goes to the district. */
  public static Duration grabWindow(Severity level) {
    return switch (level) {
      case URGENT -> Duration.ofMinutes(5);
      case IMPORTANT -> Duration.ofMinutes(30);
      case GENERAL -> Duration.ofHours(2);
    };
  }

  /** How long handling may take, from the order's opening to FEEDBACK. */
  public static Duration handling(Severity level) {
    return switch (level) {
      case URGENT -> Duration.ofHours(2);
      case IMPORTANT -> Duration.ofHours(24);
      case GENERAL -> Duration.ofHours(72);
    };
  }
}
