package org.gridfusion.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.gridfusion.common.json.Json;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code setup} on a cluster whose monthly indices were made by an older template: their strict
 * mappings take the fields added since (issue 16's {@code incidentId}), or every new alert document
 * would be refused until the month turns.
 */
@ExtendWith(EmbeddedStackExtension.class)
class IndexTemplatesITCase {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> send(Endpoints e, String method, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(e.elasticsearchUrl() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anIndexOfAnOlderTemplateTakesTheNewFields(Endpoints e) throws Exception {
    String index = "gf-alerts-1999.01";
    send(e, "DELETE", "/" + index, null);
    send(e, "DELETE", "/_index_template/gf-alerts", null); // as before the first setup
    String oldMapping =
        "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"alertId\":{\"type\":\"keyword\"}}}}";
    assertThat(send(e, "PUT", "/" + index, oldMapping).statusCode()).isEqualTo(200);
    String doc = "{\"alertId\":\"A-1\",\"incidentId\":\"A-0\"}";
    assertThat(send(e, "PUT", "/" + index + "/_doc/A-1", doc).statusCode())
        .as("the old mapping refuses the new field")
        .isEqualTo(400);

    IndexTemplates.install(e.elasticsearch(), 1, 0);

    assertThat(send(e, "PUT", "/" + index + "/_doc/A-1", doc).statusCode()).isEqualTo(201);
    var mapping = Json.MAPPER.readTree(send(e, "GET", "/" + index + "/_mapping", null).body());
    assertThat(mapping.path(index).path("mappings").path("properties").path("incidentId"))
        .hasToString("{\"type\":\"keyword\"}");
    send(e, "DELETE", "/" + index, null);
  }

  @Test
  void anIndexOfAnOlderTemplateTakesTheNewRefreshInterval(Endpoints e) throws Exception {
    String index = "gf-records-1999.01";
    send(e, "DELETE", "/" + index, null);
    assertThat(
            send(e, "PUT", "/" + index, "{\"settings\":{\"index\":{\"refresh_interval\":\"1s\"}}}")
                .statusCode())
        .isEqualTo(200);

    IndexTemplates.install(e.elasticsearch(), 1, 0);

    var settings = Json.MAPPER.readTree(send(e, "GET", "/" + index + "/_settings", null).body());
    assertThat(
            settings.path(index).path("settings").path("index").path("refresh_interval").asText())
        .isEqualTo("5s");
    send(e, "DELETE", "/" + index, null);
  }
}
