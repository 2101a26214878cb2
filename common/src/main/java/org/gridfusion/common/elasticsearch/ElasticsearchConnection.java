package org.gridfusion.common.elasticsearch;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.tls.Tls;

/**
 * Where Elasticsearch is and how to log in to it: the URL, basic authentication or an API key, and
 * the CA to trust for HTTPS. Every Elasticsearch client of GridFusion is built from it — the jobs'
 * sink and index templates (the official client), the evaluator, the live view, the health probe
 * and the test probe (the JDK's HTTP client) — so none can be left without credentials.
 *
 * <p>Serializable, because the Flink sink carries it to the task managers; {@link #toString()}
 * shows the URL and the kind of credentials, never a secret.
 */
public final class ElasticsearchConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String username;
  private final String password;
  private final String apiKey;
  private final String caCertificate;

  private ElasticsearchConnection(
      String url, String username, String password, String apiKey, String caCertificate) {
    this.url = Objects.requireNonNull(url, "url").replaceAll("/+$", "");
    this.username = username;
    this.password = password;
    this.apiKey = apiKey;
    this.caCertificate = caCertificate;
  }

  /** A node without security (the embedded default, tests). */
  public static ElasticsearchConnection of(String url) {
    return new ElasticsearchConnection(url, null, null, null, null);
  }

  /** With basic authentication and, for HTTPS, a CA certificate (null: the JVM's trusted CAs). */
  public static ElasticsearchConnection basic(
      String url, String username, String password, Path caCertificate) {
    return new ElasticsearchConnection(
        url, username, password, null, caCertificate == null ? null : caCertificate.toString());
  }

  /** With an API key (the encoded form) and, for HTTPS, a CA certificate. */
  public static ElasticsearchConnection apiKey(String url, String apiKey, Path caCertificate) {
    return new ElasticsearchConnection(
        url, null, null, apiKey, caCertificate == null ? null : caCertificate.toString());
  }

  /** {@code elasticsearch.url} with its credentials and CA; {@code why} names the use if unset. */
  public static ElasticsearchConnection from(Config c, String why) {
    String url = c.require(GridFusionOptions.ELASTICSEARCH_URL, why);
    List<ConfigProblem> problems = problems(c);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.get(0).key(), problems.get(0).problem());
    }
    return new ElasticsearchConnection(
        url,
        c.get(GridFusionOptions.ELASTICSEARCH_USERNAME),
        c.get(GridFusionOptions.ELASTICSEARCH_PASSWORD),
        c.get(GridFusionOptions.ELASTICSEARCH_API_KEY),
        c.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE));
  }

  /**
   * The {@code elasticsearch.*} settings taken together: a user needs a password, a user and an API
   * key exclude each other, a CA certificate needs an https URL, and credentials are refused over
   * plain http to anything but this machine (they would cross the network in clear).
   */
  public static List<ConfigProblem> problems(Config c) {
    List<ConfigProblem> out = new ArrayList<>();
    boolean user = c.get(GridFusionOptions.ELASTICSEARCH_USERNAME) != null;
    boolean password = c.get(GridFusionOptions.ELASTICSEARCH_PASSWORD) != null;
    boolean key = c.get(GridFusionOptions.ELASTICSEARCH_API_KEY) != null;
    if (user != password) {
      var missing =
          user
              ? GridFusionOptions.ELASTICSEARCH_PASSWORD
              : GridFusionOptions.ELASTICSEARCH_USERNAME;
      out.add(
          new ConfigProblem(
              missing.key(), "unset", "elasticsearch.username and .password go together"));
    }
    if (user && key) {
      out.add(
          new ConfigProblem(
              GridFusionOptions.ELASTICSEARCH_API_KEY.key(),
              "configuration",
              "set either an API key or elasticsearch.username/password, not both"));
    }
    String url = c.get(GridFusionOptions.ELASTICSEARCH_URL);
    if (url != null) {
      URI u = URI.create(url.split(",")[0].trim());
      boolean https = "https".equalsIgnoreCase(u.getScheme());
      if (!https && c.get(GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE) != null) {
        out.add(
            new ConfigProblem(
                GridFusionOptions.ELASTICSEARCH_CA_CERTIFICATE.key(),
                "configuration",
                "is only used with an https:// elasticsearch.url, got " + url));
      }
      if (!https && (user || key) && !loopback(u.getHost())) {
        out.add(
            new ConfigProblem(
                GridFusionOptions.ELASTICSEARCH_URL.key(),
                "configuration",
                "credentials would travel in clear over http:// to "
                    + u.getHost()
                    + "; use https://"));
      }
    }
    return out;
  }

  private static boolean loopback(String host) {
    try {
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }

  public String url() {
    return url;
  }

  /** The {@code Authorization} header value, or null without credentials. */
  public String authorization() {
    if (apiKey != null) return "ApiKey " + apiKey;
    if (username != null) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The TLS context for HTTPS: trusting the configured CA, else the JVM's default trust. */
  public SSLContext sslContext() {
    if (caCertificate != null) return Tls.trusting(Path.of(caCertificate));
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  public boolean https() {
    return url.regionMatches(true, 0, "https:", 0, 6);
  }

  /** A JDK HTTP client for this cluster (HTTP/1.1, its TLS trust). */
  public HttpClient httpClient(Duration connectTimeout) {
    HttpClient.Builder b =
        HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
    if (https()) b.sslContext(sslContext());
    return b.build();
  }

  /** A request to {@code path} (starting with /) carrying the credentials. */
  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
    String auth = authorization();
    if (auth != null) b.header("Authorization", auth);
    return b;
  }

  /** URL and kind of credentials; never a secret. */
  @Override
  public String toString() {
    String how = apiKey != null ? "API key" : username != null ? "user " + username : "anonymous";
    return url + " (" + how + (caCertificate != null ? ", CA " + caCertificate : "") + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ElasticsearchConnection e
        && e.url.equals(url)
        && Objects.equals(e.username, username)
        && Objects.equals(e.password, password)
        && Objects.equals(e.apiKey, apiKey)
        && Objects.equals(e.caCertificate, caCertificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, username, apiKey, caCertificate);
  }
}
