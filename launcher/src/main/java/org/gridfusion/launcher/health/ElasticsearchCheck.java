package org.gridfusion.launcher.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.json.Json;

/**
 * Elasticsearch's health: {@code _cluster/health} with GridFusion's login, within 3 s. Green and
 * yellow are UP (a one-node cluster with replicas configured is yellow for good), red DOWN.
 */
public final class ElasticsearchCheck implements Supplier<ComponentHealth> {
  private final ElasticsearchConnection es;
  private final HttpClient http;

  public ElasticsearchCheck(ElasticsearchConnection es) {
    this.es = es;
    this.http = es.httpClient(Duration.ofSeconds(3));
  }

  @Override
  public ComponentHealth get() {
    try {
      HttpResponse<String> r =
          http.send(
              es.request("/_cluster/health").timeout(Duration.ofSeconds(3)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        return ComponentHealth.down(
            es.url() + " refuses GridFusion's login (" + r.statusCode() + ")");
      }
      if (r.statusCode() != 200) {
        return ComponentHealth.down(es.url() + " answered " + r.statusCode());
      }
      JsonNode h = Json.MAPPER.readTree(r.body());
      String status = h.path("status").asText();
      String detail = es.url() + ", " + status;
      return status.equals("red") ? ComponentHealth.down(detail) : ComponentHealth.up(detail);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComponentHealth.unknown("interrupted");
    } catch (Exception e) {
      return ComponentHealth.down(
          es.url() + " does not answer (" + e.getClass().getSimpleName() + ")");
    }
  }
}
