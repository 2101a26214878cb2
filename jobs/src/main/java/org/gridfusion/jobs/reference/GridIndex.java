package org.gridfusion.jobs.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gridfusion.common.contract.GridKind;
import org.gridfusion.common.json.Json;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Places a WGS-84 point in its grid: an STR-tree over the grids' bounding boxes narrows the
 * candidates, exact point-in-polygon ({@code covers}, so a point on a border counts as inside)
 * decides.
 *
 * <p>Precedence (contract §1): a dedicated grid (any kind but BASIC) wins over a basic grid that
 * also contains the point. A point on a border shared by two grids of the same class goes to the
 * smaller {@code gridId}, so every run and every replay places it the same way.
 */
public final class GridIndex {
  private static final GeometryFactory GEOMETRY = new GeometryFactory(new PrecisionModel(), 4326);

  private final STRtree tree = new STRtree();
  private final List<Grid> grids = new ArrayList<>();
  private final Map<String, Grid> byId = new HashMap<>();

  private record Entry(Grid grid, PreparedGeometry shape, boolean dedicated) {}

  private GridIndex() {}

  public static GridIndex load(Path geoJson) throws IOException {
    try (InputStream in = Files.newInputStream(geoJson)) {
      return parse(Json.MAPPER.readTree(in), geoJson.toString());
    }
  }

  /**
   * Builds the index from a GeoJSON FeatureCollection; {@code origin} names it in error messages.
   */
  public static GridIndex parse(JsonNode root, String origin) {
    if (root == null || !"FeatureCollection".equals(root.path("type").asText())) {
      throw new IllegalArgumentException(origin + ": grid map must be a GeoJSON FeatureCollection");
    }
    GridIndex index = new GridIndex();
    Set<String> ids = new HashSet<>();
    int n = 0;
    for (JsonNode feature : root.path("features")) {
      n++;
      JsonNode p = feature.path("properties");
      String gridId = p.path("gridId").asText(null);
      if (gridId == null || gridId.isBlank()) {
        throw new IllegalArgumentException(
            origin + ": feature #" + n + " has no properties.gridId");
      }
      if (!ids.add(gridId)) {
        throw new IllegalArgumentException(origin + ": gridId " + gridId + " appears twice");
      }
      GridKind kind;
      try {
        kind = GridKind.valueOf(p.path("kind").asText("BASIC"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            origin + ": grid " + gridId + " has unknown kind '" + p.path("kind").asText() + "'");
      }
      Geometry shape = geometry(feature.path("geometry"), origin + " grid " + gridId);
      Point c = shape.getInteriorPoint();
      Grid grid =
          new Grid(
              gridId,
              p.path("name").asText(gridId),
              kind,
              text(p, "district"),
              text(p, "street"),
              text(p, "community"),
              p.path("households").asInt(0),
              p.path("population").asInt(0),
              c.getY(),
              c.getX());
      index.grids.add(grid);
      index.byId.put(grid.gridId(), grid);
      index.tree.insert(
          shape.getEnvelopeInternal(),
          new Entry(grid, PreparedGeometryFactory.prepare(shape), kind.isDedicated()));
    }
    index.tree.build();
    return index;
  }

  private static String text(JsonNode p, String field) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Geometry geometry(JsonNode g, String where) {
    String type = g.path("type").asText();
    JsonNode coords = g.path("coordinates");
    return switch (type) {
      case "Polygon" -> polygon(coords, where);
      case "MultiPolygon" -> {
        Polygon[] parts = new Polygon[coords.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = polygon(coords.get(i), where);
        yield GEOMETRY.createMultiPolygon(parts);
      }
      default ->
          throw new IllegalArgumentException(
              where + ": geometry must be Polygon or MultiPolygon, got '" + type + "'");
    };
  }

  private static Polygon polygon(JsonNode rings, String where) {
    if (rings.size() == 0) throw new IllegalArgumentException(where + ": polygon without rings");
    LinearRing shell = ring(rings.get(0), where);
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) holes[i - 1] = ring(rings.get(i), where);
    Polygon polygon = GEOMETRY.createPolygon(shell, holes);
    if (!polygon.isValid()) {
      throw new IllegalArgumentException(
          where + ": polygon is not valid (self-intersecting or badly closed)");
    }
    return polygon;
  }

  private static LinearRing ring(JsonNode ring, String where) {
    Coordinate[] cs = new Coordinate[ring.size()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = new Coordinate(ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble());
    }
    try {
      return GEOMETRY.createLinearRing(cs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  /** The grid holding the point, or empty when it lies outside every grid ({@code OUT_OF_AREA}). */
  public Optional<Grid> locate(double lat, double lon) {
    Coordinate c = new Coordinate(lon, lat);
    @SuppressWarnings("unchecked")
    List<Entry> candidates = tree.query(new Envelope(c));
    Entry best = null;
    Point point = null;
    for (Entry e : candidates) {
      if (best != null && !better(e, best)) continue;
      if (point == null) point = GEOMETRY.createPoint(c);
      if (e.shape.covers(point)) best = e;
    }
    return best == null ? Optional.empty() : Optional.of(best.grid);
  }

  private static boolean better(Entry a, Entry b) {
    if (a.dedicated != b.dedicated) return a.dedicated;
    return a.grid.gridId().compareTo(b.grid.gridId()) < 0;
  }

  /** The grid with this id, or empty when the map (perhaps reloaded since) does not have it. */
  public Optional<Grid> grid(String gridId) {
    return Optional.ofNullable(byId.get(gridId));
  }

  public Collection<Grid> grids() {
    return grids;
  }

  public int size() {
    return grids.size();
  }
}
