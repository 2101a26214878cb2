package org.gridfusion.common.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Builds the official Java client for an {@link ElasticsearchConnection}: its URL, its credentials
 * (basic or API key, sent with every request) and, for HTTPS, its CA.
 */
public final class ElasticsearchClients {
  private ElasticsearchClients() {}

  public static RestClientTransport transport(ElasticsearchConnection es) {
    RestClientBuilder b =
        RestClient.builder(HttpHost.create(es.url()))
            .setRequestConfigCallback(c -> c.setConnectTimeout(5_000).setSocketTimeout(60_000));
    String auth = es.authorization();
    if (auth != null) b.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", auth)});
    if (es.https()) b.setHttpClientConfigCallback(h -> h.setSSLContext(es.sslContext()));
    return new RestClientTransport(b.build(), new JacksonJsonpMapper());
  }

  public static ElasticsearchClient blocking(ElasticsearchConnection es) {
    return new ElasticsearchClient(transport(es));
  }

  public static ElasticsearchAsyncClient async(ElasticsearchConnection es) {
    return new ElasticsearchAsyncClient(transport(es));
  }
}
