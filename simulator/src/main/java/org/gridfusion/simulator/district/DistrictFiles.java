package org.gridfusion.simulator.district;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.gridfusion.common.csv.Csv;
import org.gridfusion.common.json.Json;
import org.gridfusion.simulator.format.Coordinates;

/**
 * Writes a district as the reference files of contract §1 plus the context records of §2.3.
 *
 * <p>Byte-stable: lists are written in generation order, numbers with six fixed decimals
 * independent of the default locale, lines end in {@code \n} on every platform. Each file is
 * written under a temporary name and renamed, so a pipeline reloading reference data never reads
 * half a file.
 */
final class DistrictFiles {
  private DistrictFiles() {}

  static void write(District d, Path dir) throws IOException {
    Files.createDirectories(dir);
    replace(dir.resolve(District.GRIDS_FILE), out -> writeGrids(d, out));
    replace(dir.resolve(District.DEVICES_FILE), out -> writeDevices(d, out));
    replace(dir.resolve(District.ADDRESSES_FILE), out -> writeAddresses(d, out));
    replace(dir.resolve(District.CONTEXT_RECORDS_FILE), out -> writeContextRecords(d, out));
  }

  /** One feature per line: diffable, and still a single GeoJSON document. */
  private static void writeGrids(District d, Writer out) throws IOException {
    out.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
    boolean first = true;
    for (Grid g : d.grids()) {
      if (!first) out.write(",\n");
      first = false;
      out.write(Json.write(feature(g)));
    }
    out.write("\n]}\n");
  }

  private static ObjectNode feature(Grid g) {
    ObjectNode f = Json.MAPPER.createObjectNode();
    f.put("type", "Feature");
    f.put("id", g.gridId());
    ObjectNode p = f.putObject("properties");
    p.put("gridId", g.gridId());
    p.put("name", g.name());
    p.put("kind", g.kind().name());
    p.put("district", g.district());
    p.put("street", g.street());
    p.put("streetName", g.streetName());
    p.put("community", g.community());
    p.put("communityName", g.communityName());
    p.put("households", g.households());
    p.put("population", g.population());
    ObjectNode geometry = f.putObject("geometry");
    geometry.put("type", "Polygon");
    // RFC 7946: exterior ring counter-clockwise, first position repeated at the end.
    BoundingBox b = g.bounds();
    ArrayNode ring = geometry.putArray("coordinates").addArray();
    position(ring, b.minLon(), b.minLat());
    position(ring, b.maxLon(), b.minLat());
    position(ring, b.maxLon(), b.maxLat());
    position(ring, b.minLon(), b.maxLat());
    position(ring, b.minLon(), b.minLat());
    return f;
  }

  private static void position(ArrayNode ring, double lon, double lat) {
    ring.addArray().add(Coordinates.decimal(lon)).add(Coordinates.decimal(lat));
  }

  private static void writeDevices(District d, Writer out) throws IOException {
    out.write("deviceId,kind,type,lat,lon\n");
    for (Device dev : d.devices()) {
      out.write(
          Csv.quote(dev.deviceId())
              + ','
              + dev.kind().name()
              + ','
              + dev.type()
              + ','
              + Coordinates.text(dev.lat())
              + ','
              + Coordinates.text(dev.lon())
              + '\n');
    }
  }

  private static void writeAddresses(District d, Writer out) throws IOException {
    out.write("addressCode,lat,lon,label\n");
    for (Address a : d.addresses()) {
      out.write(
          Csv.quote(a.addressCode())
              + ','
              + Coordinates.text(a.lat())
              + ','
              + Coordinates.text(a.lon())
              + ','
              + Csv.quote(a.label())
              + '\n');
    }
  }

  private static void writeContextRecords(District d, Writer out) throws IOException {
    for (ContextRecord r : d.contextRecords()) {
      out.write(r.toJson());
      out.write('\n');
    }
  }

  private interface Body {
    void writeTo(Writer out) throws IOException;
  }

  private static void replace(Path target, Body body) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      body.writeTo(out);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
