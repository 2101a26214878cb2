package org.gridfusion.simulator.district;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.gridfusion.common.csv.Csv;
import org.gridfusion.common.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Checks the written grid map with JTS, independently of the generator's own arithmetic: tiling
 * without gaps or overlaps, dedicated grids inside exactly one basic grid, devices and addresses
 * strictly inside a grid.
 */
class GridGeometryTest {
  private static final double AREA_TOLERANCE = 1e-9;
  private static final GeometryFactory GEOMETRY = new GeometryFactory();

  @TempDir static Path dir;
  static District district;
  static Map<String, Feature> features = new LinkedHashMap<>();

  record Feature(String gridId, String kind, String community, Polygon shape) {
    boolean dedicated() {
      return !kind.equals("BASIC");
    }
  }

  @BeforeAll
  static void generateAndRead() throws IOException {
    district = DistrictGenerator.generate(DistrictSpec.of(3, 5, 77));
    district.writeTo(dir);
    JsonNode root = Json.MAPPER.readTree(dir.resolve(District.GRIDS_FILE).toFile());
    assertThat(root.path("type").asText()).isEqualTo("FeatureCollection");
    for (JsonNode f : root.path("features")) {
      JsonNode p = f.path("properties");
      assertThat(f.path("geometry").path("type").asText()).isEqualTo("Polygon");
      Feature feature =
          new Feature(
              p.path("gridId").asText(),
              p.path("kind").asText(),
              p.path("community").asText(),
              polygon(f.path("geometry").path("coordinates")));
      assertThat(features.put(feature.gridId, feature)).as("duplicate " + feature.gridId).isNull();
    }
  }

  private static Polygon polygon(JsonNode rings) {
    JsonNode ring = rings.get(0);
    Coordinate[] cs = new Coordinate[ring.size()];
    for (int i = 0; i < cs.length; i++)
      cs[i] = new Coordinate(ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble());
    return GEOMETRY.createPolygon(cs);
  }

  @Test
  void everyFeatureIsAValidCounterClockwisePolygonWithTheContractProperties() throws IOException {
    assertThat(features).hasSize(district.grids().size());
    for (Feature f : features.values()) {
      assertThat(f.shape.isValid()).as(f.gridId).isTrue();
      assertThat(f.shape.getArea()).as(f.gridId).isPositive();
      assertThat(Orientation.isCCW(f.shape.getExteriorRing().getCoordinates()))
          .as(f.gridId)
          .isTrue();
    }
    JsonNode first =
        Json.MAPPER.readTree(dir.resolve(District.GRIDS_FILE).toFile()).path("features").get(0);
    assertThat(first.path("properties").fieldNames())
        .toIterable()
        .contains(
            "gridId",
            "name",
            "kind",
            "district",
            "street",
            "community",
            "households",
            "population");
    String text = Files.readString(dir.resolve(District.GRIDS_FILE));
    assertThat(text).doesNotContainPattern("\\d\\.\\d{7}").doesNotContainPattern("[0-9]E[0-9-]");
  }

  @Test
  void basicGridsTileEachCommunityWithoutGapsOrOverlaps() {
    for (Community c : district.communities()) {
      Polygon community = rectangle(c.bounds());
      List<Feature> basics =
          features.values().stream()
              .filter(f -> !f.dedicated() && f.community.equals(c.code()))
              .toList();
      assertThat(basics).as(c.code()).hasSizeBetween(3, 5);
      double sum = 0;
      for (Feature f : basics) {
        assertThat(community.covers(f.shape)).as(f.gridId + " inside " + c.code()).isTrue();
        sum += f.shape.getArea();
      }
      assertThat(sum).as(c.code()).isCloseTo(community.getArea(), Offset.offset(AREA_TOLERANCE));
      assertNoOverlaps(basics);
      Geometry union = GEOMETRY.buildGeometry(basics.stream().map(Feature::shape).toList()).union();
      assertThat(union.symDifference(community).getArea()).as(c.code()).isLessThan(AREA_TOLERANCE);
    }
  }

  @Test
  void communitiesTileTheirStreetAndStreetsTileTheDistrict() {
    double streets = 0;
    for (Street s : district.streets()) {
      List<Polygon> communities =
          district.communities().stream()
              .filter(c -> c.street().equals(s.code()))
              .map(c -> rectangle(c.bounds()))
              .toList();
      double sum = communities.stream().mapToDouble(Geometry::getArea).sum();
      assertThat(sum).isCloseTo(rectangle(s.bounds()).getArea(), Offset.offset(AREA_TOLERANCE));
      streets += rectangle(s.bounds()).getArea();
    }
    assertThat(streets)
        .isCloseTo(rectangle(district.bounds()).getArea(), Offset.offset(AREA_TOLERANCE));
  }

  @Test
  void everyDedicatedGridLiesInsideExactlyOneBasicGridAndOverlapsNoOtherDedicatedGrid() {
    List<Feature> dedicated = features.values().stream().filter(Feature::dedicated).toList();
    List<Feature> basics = features.values().stream().filter(f -> !f.dedicated()).toList();
    assertThat(dedicated).isNotEmpty();
    for (Feature d : dedicated) {
      long hosts = basics.stream().filter(b -> b.shape.contains(d.shape)).count();
      long touched =
          basics.stream().filter(b -> b.shape.intersection(d.shape).getArea() > 0).count();
      assertThat(hosts).as(d.gridId + " hosts").isEqualTo(1);
      assertThat(touched).as(d.gridId + " overlaps").isEqualTo(1);
      // strictly inside: its border does not touch the host's
      Feature host =
          basics.stream().filter(b -> b.shape.contains(d.shape)).findFirst().orElseThrow();
      assertThat(host.shape.getExteriorRing().intersects(d.shape)).as(d.gridId).isFalse();
    }
    for (int i = 0; i < dedicated.size(); i++) {
      for (int j = i + 1; j < dedicated.size(); j++) {
        assertThat(dedicated.get(i).shape.intersects(dedicated.get(j).shape))
            .as(dedicated.get(i).gridId + " x " + dedicated.get(j).gridId)
            .isFalse();
      }
    }
  }

  @Test
  void everyDeviceAndAddressInTheFilesLiesStrictlyInsideTheGridThePipelineWillPick()
      throws IOException {
    Map<String, String> deviceGrids = new LinkedHashMap<>();
    district.devices().forEach(d -> deviceGrids.put(d.deviceId(), d.gridId()));
    List<String> devices =
        Files.readAllLines(dir.resolve(District.DEVICES_FILE), StandardCharsets.UTF_8);
    assertThat(devices.get(0)).isEqualTo("deviceId,kind,type,lat,lon");
    assertThat(devices).hasSize(district.devices().size() + 1);
    for (String line : devices.subList(1, devices.size())) {
      List<String> row = Csv.split(line);
      assertThat(row.get(1)).isIn("CAMERA", "SENSOR");
      assertThat(locate(Double.parseDouble(row.get(3)), Double.parseDouble(row.get(4))))
          .as(line)
          .isEqualTo(deviceGrids.get(row.get(0)));
    }
    List<String> addresses =
        Files.readAllLines(dir.resolve(District.ADDRESSES_FILE), StandardCharsets.UTF_8);
    assertThat(addresses.get(0)).isEqualTo("addressCode,lat,lon,label");
    for (String line : addresses.subList(1, addresses.size())) {
      List<String> row = Csv.split(line);
      assertThat(row).hasSize(4);
      assertThat(locate(Double.parseDouble(row.get(1)), Double.parseDouble(row.get(2))))
          .as(line)
          .isEqualTo(district.address(row.get(0)).orElseThrow().gridId());
    }
  }

  /**
   * The grid whose interior holds the point, dedicated before basic; fails if the point is on any
   * grid's border or in no grid.
   */
  private static String locate(double lat, double lon) {
    Point p = GEOMETRY.createPoint(new Coordinate(lon, lat));
    List<Feature> holding = new ArrayList<>();
    for (Feature f : features.values()) {
      assertThat(f.shape.getExteriorRing().intersects(p))
          .as("on the border of " + f.gridId)
          .isFalse();
      if (f.shape.contains(p)) holding.add(f);
    }
    assertThat(holding)
        .as("grids holding " + lat + "," + lon)
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(2);
    return holding.stream().filter(Feature::dedicated).findFirst().orElse(holding.get(0)).gridId;
  }

  private static void assertNoOverlaps(List<Feature> grids) {
    for (int i = 0; i < grids.size(); i++) {
      for (int j = i + 1; j < grids.size(); j++) {
        assertThat(grids.get(i).shape.intersection(grids.get(j).shape).getArea())
            .as(grids.get(i).gridId + " x " + grids.get(j).gridId)
            .isZero();
      }
    }
  }

  private static Polygon rectangle(BoundingBox b) {
    return (Polygon)
        GEOMETRY.toGeometry(new Envelope(b.minLon(), b.maxLon(), b.minLat(), b.maxLat()));
  }
}
