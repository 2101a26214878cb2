package org.gridfusion.jobs.rules;

import java.util.List;

/** What the rules know about a grid from department records: standing facts and recent events. */
public interface GridContext {
  /**
   * A record of this type was ever received for the grid (hazardous enterprise, dangerous
   * building...).
   */
  boolean hasStanding(String recordType);

  /** A record of one of these types has an event time within [from, to]. */
  boolean hasRecent(List<String> recordTypes, long from, long to);

  GridContext NONE =
      new GridContext() {
        @Override
        public boolean hasStanding(String recordType) {
          return false;
        }

        @Override
        public boolean hasRecent(List<String> recordTypes, long from, long to) {
          return false;
        }
      };
}
