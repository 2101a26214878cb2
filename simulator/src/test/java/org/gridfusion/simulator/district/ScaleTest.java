package org.gridfusion.simulator.district;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.contract.SensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full-size district of the benchmark: 40 streets x 25 communities. Counts only, no timing. */
class ScaleTest {
  @TempDir Path dir;

  @Test
  void fortyStreetsOfTwentyFiveCommunitiesMakeAboutFiveThousandGrids() throws IOException {
    District d = DistrictGenerator.generate(DistrictSpec.of(40, 25, 1));
    DistrictSummary s = d.summary();
    assertThat(s.streets()).isEqualTo(40);
    assertThat(s.communities()).isEqualTo(1000);
    assertThat(s.grids()).isBetween(4500, 5500);
    assertThat(s.gridsByKind().get(GridKind.BASIC)).isBetween(3 * 1000, 5 * 1000);
    assertThat(s.grids() - s.gridsByKind().get(GridKind.BASIC)).isBetween(800, 1200);
    assertThat(s.cameras()).isBetween(9_000, 14_000);
    assertThat(s.sensors()).isBetween(45_000, 60_000);
    assertThat(s.sensorsByType().get(SensorType.DOOR))
        .isEqualTo(s.contextRecordsByType().get(ContextRecord.ELDERLY_LIVING_ALONE));
    // every community has its low point with a water gauge
    assertThat(s.sensorsByType().get(SensorType.WATER_LEVEL)).isGreaterThanOrEqualTo(1000);

    d.writeTo(dir);
    assertThat(lines(dir.resolve(District.DEVICES_FILE))).isEqualTo(s.cameras() + s.sensors() + 1);
    assertThat(lines(dir.resolve(District.ADDRESSES_FILE))).isEqualTo(s.addresses() + 1);
    assertThat(lines(dir.resolve(District.CONTEXT_RECORDS_FILE))).isEqualTo(s.contextRecords());
    assertThat(lines(dir.resolve(District.GRIDS_FILE))).isEqualTo(s.grids() + 2);
  }

  private static long lines(Path p) throws IOException {
    try (var l = Files.lines(p)) {
      return l.count();
    }
  }
}
