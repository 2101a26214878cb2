package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gridfusion.common.json.Json;

/**
 * The grid map of contract §1 as the console draws it: the polygons and properties of every grid,
 * read from the configured GeoJSON file and read again when the file changes (the map is
 * reloadable, as it is for the job).
 */
final class GridMap {
  private final Path file;
  private long loadedModified = Long.MIN_VALUE;
  private Map<String, ObjectNode> features = Map.of();

  GridMap(Path file) {
    this.file = file;
  }

  /** Every feature, in file order. */
  synchronized List<ObjectNode> features() {
    reloadIfChanged();
    return new ArrayList<>(features.values());
  }

  synchronized Optional<ObjectNode> feature(String gridId) {
    reloadIfChanged();
    return Optional.ofNullable(features.get(gridId));
  }

  private void reloadIfChanged() {
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (modified == loadedModified) return;
      JsonNode root = Json.MAPPER.readTree(file.toFile());
      Map<String, ObjectNode> byId = new LinkedHashMap<>();
      for (JsonNode f : root.path("features")) {
        String id = f.path("properties").path("gridId").asText(null);
        if (id != null && f.isObject()) byId.put(id, (ObjectNode) f);
      }
      features = byId;
      loadedModified = modified;
    } catch (IOException e) {
      if (features.isEmpty()) {
        throw ApiError.unavailable("cannot read the grid map " + file + ": " + e.getMessage());
      }
      // keep the map read before: a file being replaced is briefly unreadable
    }
  }
}
