package org.gridfusion.common.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** Builds the official Java client for a URL such as {@code http://127.0.0.1:9200}. */
public final class ElasticsearchClients {
  private ElasticsearchClients() {}

  public static RestClientTransport transport(String url) {
    RestClient rest =
        RestClient.builder(HttpHost.create(url))
            .setRequestConfigCallback(c -> c.setConnectTimeout(5_000).setSocketTimeout(60_000))
            .build();
    return new RestClientTransport(rest, new JacksonJsonpMapper());
  }

  public static ElasticsearchClient blocking(String url) {
    return new ElasticsearchClient(transport(url));
  }

  public static ElasticsearchAsyncClient async(String url) {
    return new ElasticsearchAsyncClient(transport(url));
  }
}
