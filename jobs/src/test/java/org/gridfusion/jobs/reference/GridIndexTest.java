package org.gridfusion.jobs.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gridfusion.jobs.TestDistrict.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridIndexTest {
  private final GridIndex index = GridIndex.parse(read(GRID_MAP), "test");

  private static JsonNode read(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void placesAPointInItsBasicGrid() {
    assertThat(index.locate(WEST_LAT, WEST_LON)).get().extracting(Grid::gridId).isEqualTo("B-WEST");
    assertThat(index.locate(EAST_LAT, EAST_LON)).get().extracting(Grid::gridId).isEqualTo("B-EAST");
  }

  @Test
  void dedicatedGridWinsOverTheBasicGridAroundIt() {
    Grid g = index.locate(SCHOOL_LAT, SCHOOL_LON).orElseThrow();
    assertThat(g.gridId()).isEqualTo("SCH-1");
    assertThat(g.kind()).isEqualTo(GridKind.SCHOOL);
  }

  @Test
  void pointOnTheDedicatedGridsEdgeStillBelongsToIt() {
    assertThat(index.locate(43.61, 122.19)).get().extracting(Grid::gridId).isEqualTo("SCH-1");
  }

  @Test
  void pointOnASharedBorderGoesToTheSmallerGridIdEveryTime() {
    for (int i = 0; i < 3; i++) {
      assertThat(index.locate(BORDER_LAT, BORDER_LON))
          .get()
          .extracting(Grid::gridId)
          .isEqualTo("B-EAST");
    }
  }

  @Test
  void pointOutsideEveryGridIsEmpty() {
    assertThat(index.locate(OUTSIDE_LAT, OUTSIDE_LON)).isEmpty();
  }

  @Test
  void keepsGridPropertiesAndACentroidInsideTheGrid() {
    Grid g = index.locate(WEST_LAT, WEST_LON).orElseThrow();
    assertThat(g.street()).isEqualTo("S01");
    assertThat(g.community()).isEqualTo("S01-C01");
    assertThat(g.households()).isEqualTo(450);
    assertThat(index.locate(g.centroidLat(), g.centroidLon())).isPresent();
  }

  @Test
  void rejectsDuplicateIdsAndUnknownKindsWithTheGridNamed(@TempDir Path dir) throws Exception {
    String dup = GRID_MAP.replace("\"gridId\":\"B-EAST\"", "\"gridId\":\"B-WEST\"");
    assertThatThrownBy(() -> GridIndex.parse(read(dup), "m.geojson"))
        .hasMessageContaining("B-WEST appears twice");
    String kind = GRID_MAP.replace("\"kind\":\"SCHOOL\"", "\"kind\":\"CASTLE\"");
    assertThatThrownBy(() -> GridIndex.parse(read(kind), "m.geojson"))
        .hasMessageContaining("SCH-1")
        .hasMessageContaining("CASTLE");
    Files.writeString(dir.resolve("g.geojson"), GRID_MAP);
    assertThat(GridIndex.load(dir.resolve("g.geojson")).size()).isEqualTo(3);
  }
}
