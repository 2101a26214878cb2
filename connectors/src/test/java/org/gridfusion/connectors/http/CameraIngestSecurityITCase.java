package org.gridfusion.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.tls.Tls;
import org.gridfusion.embedded.Certificates;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP ingest's access control against a real server with its own certificate (a private CA
 * made with keytool for this run): HTTPS from a PEM pair and from a PKCS12 key store, bearer tokens
 * from a file that are added and revoked while it runs, and a {@code /health} that tells anyone the
 * state and only a token holder the detail.
 */
@ExtendWith(EmbeddedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CameraIngestSecurityITCase {
  private static final String CONFIGURED = "configured-token-0123456789";
  private static final String FILE_A = "file-token-a-0123456789";
  private static final String FILE_B = "file-token-b-0123456789";
  private static final String FILE_C = "file-token-c-0123456789";

  @TempDir static Path dir;
  private Certificates certs;
  private Path tokens;
  private CameraIngestServer pem;
  private CameraIngestServer pkcs12;
  private HttpClient trusting;

  @BeforeAll
  void start(Endpoints stack) throws Exception {
    KafkaProbe.createTopics(stack.kafkaBootstrap(), 2);
    certs = Certificates.inDirectory(dir.resolve("certs"), "test-store-pass", List.of());
    tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# camera platforms\n" + FILE_A + "\nshort\n" + FILE_B + "\n");
    Config base =
        Config.empty()
            .with(GridFusionOptions.PRIVACY_HMAC_SECRET, "connector-test-secret-0123")
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.kafkaBootstrap())
            .with(GridFusionOptions.INGEST_HTTP_PORT, 0)
            .with(GridFusionOptions.INGEST_HTTP_TOKENS, CONFIGURED)
            .with(GridFusionOptions.INGEST_HTTP_TOKENS_FILE, tokens);
    Config withPem =
        base.with(GridFusionOptions.INGEST_HTTP_TLS_CERTIFICATE, certs.serverCertificate())
            .with(GridFusionOptions.INGEST_HTTP_TLS_KEY, certs.serverKey());
    assertThat(withPem.problems()).isEmpty();
    pem = CameraIngestServer.start(IngestSettings.from(withPem));
    pkcs12 =
        CameraIngestServer.start(
            IngestSettings.from(
                base.with(GridFusionOptions.INGEST_HTTP_TLS_KEYSTORE, certs.serverKeystore())
                    .with(GridFusionOptions.INGEST_HTTP_TLS_KEYSTORE_PASSWORD, certs.password())));
    trusting =
        HttpClient.newBuilder()
            .sslContext(Tls.trusting(certs.caCertificate()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  void stop() {
    if (pem != null) pem.close();
    if (pkcs12 != null) pkcs12.close();
  }

  private static String event(String id) {
    return "{\"eventId\":\""
        + id
        + "\",\"cameraId\":\"CAM-SEC-1\",\"type\":\"CROWD\",\"ts\":\""
        + Instant.now()
        + "\",\"objectCount\":3,\"lat\":43.65,\"lon\":122.24}";
  }

  private HttpResponse<String> post(HttpClient client, String url, String token) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url + CameraIngestServer.PATH))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(event("sec-" + System.nanoTime())))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsWithTheConfiguredCertificateOnly() throws Exception {
    assertThat(pem.url()).startsWith("https://127.0.0.1:");
    assertThat(post(trusting, pem.url(), CONFIGURED).statusCode()).isEqualTo(202);
    assertThat(post(trusting, pkcs12.url(), CONFIGURED).statusCode()).isEqualTo(202);
    // A client that does not trust the private CA cannot even start the handshake ...
    assertThatThrownBy(() -> post(HttpClient.newHttpClient(), pem.url(), CONFIGURED))
        .isInstanceOf(SSLHandshakeException.class);
    // ... and plain HTTP to the HTTPS port gets no answer.
    assertThatThrownBy(
            () ->
                post(HttpClient.newHttpClient(), pem.url().replace("https:", "http:"), CONFIGURED))
        .isInstanceOf(IOException.class);
  }

  @Test
  void tokensInTheFileAreAddedAndRevokedWithoutARestart() throws Exception {
    assertThat(post(trusting, pem.url(), FILE_A).statusCode()).isEqualTo(202);
    assertThat(post(trusting, pem.url(), FILE_B).statusCode()).isEqualTo(202);
    assertThat(post(trusting, pem.url(), FILE_C).statusCode()).isEqualTo(401);
    assertThat(post(trusting, pem.url(), "short").statusCode()).isEqualTo(401);

    // Revoke A, add C: written beside and moved over, as the README says to.
    Path next = dir.resolve("tokens.next");
    Files.writeString(next, FILE_B + "\n" + FILE_C + "\n");
    Files.move(next, tokens, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Await.until(
        "token A refused",
        () -> post(trusting, pem.url(), FILE_A).statusCode(),
        status -> status == 401,
        Duration.ofSeconds(10));
    assertThat(post(trusting, pem.url(), FILE_C).statusCode()).isEqualTo(202);
    assertThat(post(trusting, pem.url(), FILE_B).statusCode()).isEqualTo(202);
    assertThat(post(trusting, pem.url(), CONFIGURED).statusCode()).isEqualTo(202);

    // A file that disappears revokes everything it held; the configured token stays.
    Files.delete(tokens);
    Await.until(
        "token B refused",
        () -> post(trusting, pem.url(), FILE_B).statusCode(),
        status -> status == 401,
        Duration.ofSeconds(10));
    assertThat(post(trusting, pem.url(), CONFIGURED).statusCode()).isEqualTo(202);
    Files.writeString(tokens, FILE_B + "\n" + FILE_C + "\n");
  }

  @Test
  void healthTellsAnyoneTheStateAndOnlyATokenHolderTheDetail() throws Exception {
    HttpResponse<String> anonymous =
        trusting.send(
            HttpRequest.newBuilder(URI.create(pem.url() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(anonymous.body()).toString()).isEqualTo("{\"status\":\"UP\"}");

    HttpResponse<String> authorised =
        trusting.send(
            HttpRequest.newBuilder(URI.create(pem.url() + "/health"))
                .header("Authorization", "Bearer " + CONFIGURED)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode h = Json.MAPPER.readTree(authorised.body());
    assertThat(h.path("status").asText()).isEqualTo("UP");
    assertThat(h.path("components").path("http-ingest").path("state").asText()).isEqualTo("UP");
  }
}
