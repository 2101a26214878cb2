package org.gridfusion.connectors.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigException;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.common.tls.Tls;

/**
 * Settings of the HTTP camera ingest, checked at start.
 *
 * @param tokens bearer tokens from configuration (fixed until restart)
 * @param tokensFile a file of further tokens, re-read when it changes; null for none
 * @param tls the HTTPS certificate and key; null for plain HTTP
 */
public record IngestSettings(
    String bind,
    int port,
    List<String> tokens,
    Path tokensFile,
    int maxBodyBytes,
    int maxItems,
    Duration ackTimeout,
    int threads,
    KafkaConnection kafka,
    PayloadPseudonymiser privacy,
    TimeWindow window,
    TlsFiles tls) {

  /** Where the HTTPS certificate and key are: a PKCS12 key store, or a PEM certificate and key. */
  public record TlsFiles(Path keystore, String keystorePassword, Path certificate, Path key) {
    public SSLContext sslContext() {
      return keystore != null
          ? Tls.serverFromPkcs12(keystore, keystorePassword)
          : Tls.serverFromPem(certificate, key);
    }

    @Override
    public String toString() {
      return keystore != null ? "PKCS12 " + keystore : "PEM " + certificate + " + " + key;
    }
  }

  public static IngestSettings from(Config c) {
    List<String> tokens = c.get(GridFusionOptions.INGEST_HTTP_TOKENS);
    String tokensFile = c.get(GridFusionOptions.INGEST_HTTP_TOKENS_FILE);
    if (tokens.isEmpty() && tokensFile == null) {
      throw new ConfigException(
          GridFusionOptions.INGEST_HTTP_TOKENS.key(),
          "at least one bearer token is required (or a file of them in ingest.http.tokensFile)");
    }
    TlsFiles tls = null;
    if (c.isSet(GridFusionOptions.INGEST_HTTP_TLS_KEYSTORE)) {
      tls =
          new TlsFiles(
              Path.of(c.get(GridFusionOptions.INGEST_HTTP_TLS_KEYSTORE)),
              c.get(GridFusionOptions.INGEST_HTTP_TLS_KEYSTORE_PASSWORD),
              null,
              null);
    } else if (c.isSet(GridFusionOptions.INGEST_HTTP_TLS_CERTIFICATE)) {
      tls =
          new TlsFiles(
              null,
              null,
              Path.of(c.get(GridFusionOptions.INGEST_HTTP_TLS_CERTIFICATE)),
              Path.of(
                  c.require(
                      GridFusionOptions.INGEST_HTTP_TLS_KEY, "with ingest.http.tls.certificate")));
    }
    return new IngestSettings(
        c.get(GridFusionOptions.INGEST_HTTP_BIND),
        c.get(GridFusionOptions.INGEST_HTTP_PORT),
        List.copyOf(tokens),
        tokensFile == null ? null : Path.of(tokensFile),
        c.get(GridFusionOptions.INGEST_HTTP_MAX_BODY),
        c.get(GridFusionOptions.INGEST_HTTP_MAX_ITEMS),
        c.get(GridFusionOptions.INGEST_HTTP_ACK_TIMEOUT),
        c.get(GridFusionOptions.INGEST_HTTP_THREADS),
        KafkaConnection.from(c, "for the HTTP ingest to publish"),
        PayloadPseudonymiser.from(c),
        new TimeWindow(
            c.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            c.get(GridFusionOptions.VALIDATION_HORIZON)),
        tls);
  }

  /** Everything but the tokens themselves. */
  @Override
  public String toString() {
    return "IngestSettings[bind="
        + bind
        + ", port="
        + port
        + ", tokens="
        + tokens.size()
        + ", tokensFile="
        + tokensFile
        + ", kafka="
        + kafka
        + ", tls="
        + tls
        + "]";
  }
}
