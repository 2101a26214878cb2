package org.gridfusion.common.elasticsearch;

import java.util.List;

/**
 * The index aliases of contract §4; concrete indices are {@code <alias>-yyyy.MM} (or {@code -v1}).
 */
public final class IndexNames {
  public static final String RECORDS = "gf-records";
  public static final String ALERTS = "gf-alerts";
  public static final String GRID_RISK = "gf-grid-risk";
  public static final String GRID_STATUS = "gf-grid-status";
  public static final String WORKORDERS = "gf-workorders";

  private IndexNames() {}

  public static List<String> all() {
    return List.of(RECORDS, ALERTS, GRID_RISK, GRID_STATUS, WORKORDERS);
  }
}
