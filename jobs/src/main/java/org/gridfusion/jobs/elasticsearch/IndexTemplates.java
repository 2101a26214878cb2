package org.gridfusion.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.common.elasticsearch.ElasticsearchClients;
import org.gridfusion.common.elasticsearch.ElasticsearchConnection;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs GridFusion's index templates (resources {@code elasticsearch/<alias>.json}). Each
 * template matches {@code <alias>-*}, holds the mapping and attaches the alias, so every monthly
 * index created by a write is mapped and searchable under the contract's name. Uses only what every
 * Elasticsearch 8 offers (no ILM, no ingest pipelines, no data streams), so the embedded minimal
 * node and a production cluster behave the same. Idempotent: running it again replaces the
 * templates, and brings the indices they made up to date: mappings take the fields added since, and
 * every {@code <alias>-*} index takes the template's refresh interval.
 */
public final class IndexTemplates {
  private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);

  private IndexTemplates() {}

  public static List<String> install(ElasticsearchConnection es, int shards, int replicas) {
    List<String> installed = new ArrayList<>();
    var transport = ElasticsearchClients.transport(es);
    try {
      ElasticsearchClient client = new ElasticsearchClient(transport);
      for (String alias : IndexNames.all()) {
        String body =
            resource("/elasticsearch/" + alias + ".json")
                .replace("\"${shards}\"", Integer.toString(shards))
                .replace("\"${replicas}\"", Integer.toString(replicas));
        client.indices().putIndexTemplate(t -> t.name(alias).withJson(new StringReader(body)));
        // the indices made from an older template take the fields added since (mappings only
        // grow, and they are strict: a document with a field they lack would be refused) and the
        // template's refresh interval (how soon a write is searchable, a latency figure), which
        // otherwise would reach the next month's index only
        JsonNode template = Json.MAPPER.readTree(body).path("template");
        String mappings = template.path("mappings").toString();
        client
            .indices()
            .putMapping(
                m ->
                    m.index(alias + "-*")
                        .allowNoIndices(true)
                        .withJson(new StringReader(mappings)));
        JsonNode refresh = template.path("settings").path("refresh_interval");
        if (!refresh.isMissingNode()) {
          String settings =
              Json.MAPPER.createObjectNode().set("refresh_interval", refresh).toString();
          client
              .indices()
              .putSettings(
                  p ->
                      p.index(alias + "-*")
                          .allowNoIndices(true)
                          .withJson(new StringReader(settings)));
        }
        installed.add(alias);
      }
      LOG.info("Elasticsearch index templates installed at {}: {}", es, installed);
      return installed;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot install index templates at " + es + ": " + e.getMessage(), e);
    } finally {
      try {
        transport.close();
      } catch (IOException ignored) {
        // nothing left to do with a client that failed to close
      }
    }
  }

  static String resource(String path) throws IOException {
    try (InputStream in = IndexTemplates.class.getResourceAsStream(path)) {
      if (in == null) throw new IOException("missing resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
