package org.gridfusion.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.Rejection;
import org.gridfusion.common.health.ComponentHealth;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.connectors.metrics.Metrics;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.codec.AvroCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/camera-events} (contract §2.1), plus {@code GET /health} and {@code GET
 * /metrics}.
 *
 * <p>Built on the JDK's own HTTP server: no dependency to keep patched, and the request rate a
 * camera analytics platform produces (batches of events) is far below what it serves on a few
 * threads. Each request thread waits for Kafka's acknowledgement before answering {@code 202}: a
 * {@code 202} means every accepted item is durable; a {@code 503} with {@code Retry-After} means
 * "send again", and resending is safe because records are de-duplicated by {@code eventId}
 * downstream.
 *
 * <p>Access: bearer tokens from configuration and from a token file that is re-read when it changes
 * ({@link BearerTokens}); HTTPS when a certificate is configured. {@code /health} answers everyone
 * with the overall state only (for load balancers) and a caller with a valid token with every
 * component's state and detail.
 */
public final class CameraIngestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraIngestServer.class);
  public static final String PATH = "/v1/camera-events";

  private final IngestSettings settings;
  private final KafkaPublisher kafka;
  private final InputParsers parsers;
  private final AvroCodec<CameraEvent> codec = AvroCodec.of(CameraEvent.class);
  private final BearerTokens tokens;
  private final Supplier<HealthStatus> health;
  private final Metrics metrics = new Metrics("http_ingest");
  private final LongAdder requests = metrics.counter("requests_total", "requests to " + PATH);
  private final LongAdder accepted =
      metrics.counter("events_accepted_total", "events acknowledged by Kafka");
  private final LongAdder unavailable =
      metrics.counter("responses_503_total", "requests answered 503");
  private final HttpServer server;
  private final ExecutorService executor;

  private CameraIngestServer(IngestSettings settings, Supplier<HealthStatus> health)
      throws IOException {
    this.settings = settings;
    this.health = health == null ? this::ownHealth : health;
    this.kafka = new KafkaPublisher(settings.kafka(), "gridfusion-http-ingest", settings.privacy());
    this.parsers = new InputParsers(settings.window());
    this.tokens = new BearerTokens(settings.tokens(), settings.tokensFile());
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            settings.threads(),
            r -> {
              Thread t = new Thread(r, "http-ingest-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    InetSocketAddress address = new InetSocketAddress(settings.bind(), settings.port());
    if (settings.tls() != null) {
      HttpsServer https = HttpsServer.create(address, 256);
      https.setHttpsConfigurator(new HttpsConfigurator(settings.tls().sslContext()));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 256);
    }
    server.setExecutor(executor);
    server.createContext(PATH, this::cameraEvents);
    server.createContext("/health", this::health);
    server.createContext(
        "/metrics", ex -> respond(ex, 200, metrics.prometheusText(), "text/plain; version=0.0.4"));
  }

  /** Starts the ingest; {@code /health} reports only the ingest itself. */
  public static CameraIngestServer start(IngestSettings settings) throws IOException {
    return start(settings, null);
  }

  /** Starts the ingest; {@code /health} reports what {@code health} supplies (up's prober). */
  public static CameraIngestServer start(IngestSettings settings, Supplier<HealthStatus> health)
      throws IOException {
    CameraIngestServer s = new CameraIngestServer(settings, health);
    s.server.start();
    LOG.info(
        "HTTP camera ingest listening on {} (POST {}, {} bearer tokens{}), publishing to {}",
        s.url(),
        PATH,
        s.tokens.size(),
        settings.tokensFile() == null ? "" : ", file " + settings.tokensFile(),
        settings.kafka());
    return s;
  }

  public String url() {
    InetSocketAddress a = server.getAddress();
    return (settings.tls() != null ? "https://" : "http://")
        + a.getHostString()
        + ":"
        + a.getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public Metrics metrics() {
    return metrics;
  }

  private void cameraEvents(HttpExchange ex) throws IOException {
    try (ex) {
      requests.increment();
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().add("Allow", "POST");
        error(ex, 405, "use POST");
        return;
      }
      if (!authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        error(ex, 401, "missing or wrong bearer token");
        return;
      }
      String declared = ex.getRequestHeaders().getFirst("Content-Length");
      if (declared != null && parseLong(declared) > settings.maxBodyBytes()) {
        tooLarge(ex);
        return;
      }
      byte[] body = readLimited(ex.getRequestBody(), settings.maxBodyBytes());
      if (body == null) {
        tooLarge(ex);
        return;
      }
      long receivedAt = System.currentTimeMillis();
      Parsed<String> text = InputParsers.utf8(body);
      Parsed<JsonNode> json =
          text instanceof Parsed.Ok<String> ok
              ? InputParsers.json(ok.value())
              : Parsed.rejected(Reason.MALFORMED, "body is not UTF-8");
      if (json instanceof Parsed.Rejected<JsonNode> r) {
        metrics.counter("responses_400_total", "requests answered 400").increment();
        // Nothing is lost: the unreadable body goes to the dead-letter topic too (best effort,
        // bounded wait).
        String payload =
            text instanceof Parsed.Ok<String> ok
                ? ok.value()
                : new String(body, StandardCharsets.ISO_8859_1);
        try {
          kafka
              .deadLetter(
                  r.rejection()
                      .toDeadLetter(
                          InputSource.CAMERA,
                          payload,
                          receivedAt,
                          "http:" + ex.getRemoteAddress().getAddress().getHostAddress()))
              .get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          LOG.warn("Could not dead-letter an unreadable request body: {}", e.toString());
        }
        error(ex, 400, r.rejection().detail());
        return;
      }
      JsonNode root = ((Parsed.Ok<JsonNode>) json).value();
      List<JsonNode> items = new ArrayList<>();
      if (root.isArray()) root.forEach(items::add);
      else items.add(root);
      if (items.size() > settings.maxItems()) {
        metrics.counter("responses_413_total", "requests answered 413").increment();
        error(ex, 413, "more than " + settings.maxItems() + " events in one request");
        return;
      }
      ingest(ex, items, receivedAt);
    } catch (RuntimeException e) {
      LOG.error("Unexpected error handling a camera-events request", e);
      error(ex, 500, "internal error");
    }
  }

  private void ingest(HttpExchange ex, List<JsonNode> items, long receivedAt) throws IOException {
    List<CompletableFuture<?>> acks = new ArrayList<>(items.size());
    ArrayNode rejected = Json.MAPPER.createArrayNode();
    int ok = 0;
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      Parsed<CameraEvent> p = parsers.cameraEvent(item, receivedAt);
      if (p instanceof Parsed.Ok<CameraEvent> e) {
        acks.add(kafka.send(Topics.RAW_CAMERA, e.value().getCameraId(), codec.encode(e.value())));
        ok++;
      } else {
        Rejection why = ((Parsed.Rejected<CameraEvent>) p).rejection();
        ObjectNode r = rejected.addObject();
        r.put("index", i);
        r.put("reason", why.reason().name());
        r.put("detail", why.detail());
        metrics
            .counter(
                "dead_letters_total",
                "reason",
                why.reason().name(),
                "events dead-lettered, by reason")
            .increment();
        acks.add(
            kafka.deadLetter(
                why.toDeadLetter(
                    InputSource.CAMERA,
                    item.toString(),
                    receivedAt,
                    "http:" + ex.getRemoteAddress().getAddress().getHostAddress())));
      }
    }
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      unavailable.increment();
      LOG.warn(
          "Kafka did not acknowledge {} events within {} ms: answering 503 ({})",
          items.size(),
          settings.ackTimeout().toMillis(),
          e.getCause() == null ? e.toString() : e.getCause().toString());
      ex.getResponseHeaders().add("Retry-After", "5");
      error(ex, 503, "events not stored: Kafka unavailable, retry later");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.getResponseHeaders().add("Retry-After", "5");
      error(ex, 503, "shutting down");
      return;
    }
    accepted.add(ok);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("accepted", ok);
    body.set("rejected", rejected);
    respond(ex, 202, Json.write(body), "application/json");
  }

  private boolean authorised(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
    return tokens.accepts(header.substring(7).trim());
  }

  /** Overall state for anyone; every component with a valid token. 503 when something is DOWN. */
  private void health(HttpExchange ex) throws IOException {
    try (ex) {
      HealthStatus h = health.get();
      int status = h.overall() == ComponentHealth.State.DOWN ? 503 : 200;
      if (authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
        respond(ex, status, h.toJson(), "application/json");
      } else {
        respond(ex, status, "{\"status\":\"" + h.overall() + "\"}", "application/json");
      }
    }
  }

  private HealthStatus ownHealth() {
    return new HealthStatus(
        Instant.now(), Map.of("http-ingest", ComponentHealth.up(url())), null, null);
  }

  /**
   * Answers 413. The rest of the body is read and discarded first (up to a bound), because closing
   * a connection the client is still writing to makes it see a reset instead of the answer.
   */
  private void tooLarge(HttpExchange ex) throws IOException {
    metrics.counter("responses_413_total", "requests answered 413").increment();
    InputStream in = ex.getRequestBody();
    byte[] sink = new byte[64 * 1024];
    long drained = 0;
    for (int n; drained < 64L * settings.maxBodyBytes() && (n = in.read(sink)) > 0; ) drained += n;
    error(ex, 413, "body larger than " + settings.maxBodyBytes() + " bytes");
  }

  /**
   * Reads at most {@code limit} bytes; null when the body is longer (chunked bodies have no length
   * header).
   */
  private static byte[] readLimited(InputStream in, int limit) throws IOException {
    byte[] buf = in.readNBytes(limit + 1);
    return buf.length > limit ? null : buf;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("error", message);
    respond(ex, status, Json.write(n), "application/json");
  }

  private static void respond(HttpExchange ex, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    kafka.close();
    LOG.info(
        "HTTP camera ingest stopped: {} requests, {} events accepted",
        requests.sum(),
        accepted.sum());
  }
}
