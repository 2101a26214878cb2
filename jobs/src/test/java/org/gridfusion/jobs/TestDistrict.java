package org.gridfusion.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.jobs.testing.FusionJobRun;

/**
 * A tiny fixed district for operator tests: two basic grids side by side sharing the border lon =
 * 122.20, and a school (dedicated) grid inside the west one.
 *
 * <pre>
 *  43.62 +-----------------+-----------------+
 *        |  B-WEST         |  B-EAST         |
 *        |   +------+      |                 |
 *        |   |SCHOOL|      |                 |
 *        |   +------+      |                 |
 *  43.60 +-----------------+-----------------+
 *      122.18            122.20            122.22
 * </pre>
 */
public final class TestDistrict {
  public static final double WEST_LAT = 43.605, WEST_LON = 122.185;
  public static final double EAST_LAT = 43.61, EAST_LON = 122.21;
  public static final double SCHOOL_LAT = 43.611, SCHOOL_LON = 122.191;
  public static final double BORDER_LAT = 43.61, BORDER_LON = 122.20;
  public static final double OUTSIDE_LAT = 43.70, OUTSIDE_LON = 122.30;

  public static final String GRID_MAP =
      """
      {"type":"FeatureCollection","features":[
       {"type":"Feature","properties":{"gridId":"B-WEST","name":"West","kind":"BASIC","district":"D","street":"S01","community":"S01-C01","households":450,"population":1100},
        "geometry":{"type":"Polygon","coordinates":[[[122.18,43.60],[122.20,43.60],[122.20,43.62],[122.18,43.62],[122.18,43.60]]]}},
       {"type":"Feature","properties":{"gridId":"B-EAST","name":"East","kind":"BASIC","district":"D","street":"S02","community":"S02-C01","households":380,"population":900},
        "geometry":{"type":"Polygon","coordinates":[[[122.20,43.60],[122.22,43.60],[122.22,43.62],[122.20,43.62],[122.20,43.60]]]}},
       {"type":"Feature","properties":{"gridId":"SCH-1","name":"No. 1 School","kind":"SCHOOL","district":"D","street":"S01","community":"S01-C01","households":0,"population":1500},
        "geometry":{"type":"Polygon","coordinates":[[[122.19,43.61],[122.195,43.61],[122.195,43.615],[122.19,43.615],[122.19,43.61]]]}}
      ]}
      """;

  public static final String DEVICES =
      """
      deviceId,kind,type,lat,lon
      WL-1,SENSOR,WATER_LEVEL,43.605,122.185
      GAS-SCHOOL,SENSOR,GAS,43.611,122.191
      CAM-1,CAMERA,CAMERA,43.61,122.21
      FAR-1,SENSOR,WATER_LEVEL,43.70,122.30
      """;

  public static final String ADDRESSES =
      """
      addressCode,lat,lon,label
      150502-001-0001,43.605,122.185,"West 1, Building 2"
      150502-001-0002,43.61,122.21,East 7
      """;

  private TestDistrict() {}

  public static ReferenceFiles write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("grids.geojson"), GRID_MAP);
    Files.writeString(dir.resolve("devices.csv"), DEVICES);
    Files.writeString(dir.resolve("addresses.csv"), ADDRESSES);
    return FusionJobRun.referenceFilesIn(dir, Duration.ofMillis(1));
  }
}
