package org.gridfusion.simulator.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gridfusion.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts camera event batches to {@code {base}/v1/camera-events} (contract §2.1) with a bearer
 * token. A {@code 202} acknowledges the whole batch, and the items its body lists under {@code
 * rejected} are counted as rejected too; any other answer fails the batch. {@code 503} (the ingest
 * waiting on Kafka) and connection errors are retried a few times, honouring {@code Retry-After}:
 * resending is safe because events are de-duplicated by {@code eventId}.
 *
 * <p>Requests run on {@code concurrency} threads; a sender waits when that many batches are
 * outstanding, so memory stays bounded however fast the simulation runs.
 */
public final class HttpTrafficSink implements TrafficSink {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrafficSink.class);
  public static final String PATH = "/v1/camera-events";
  private static final int ATTEMPTS = 4;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final URI endpoint;
  private final String authorization;
  private final Duration requestTimeout;
  private final int concurrency;
  private final InFlight outstanding;
  private final ExecutorService executor;
  private final SinkCounters counters = new SinkCounters();
  private final AtomicBoolean warnedUnauthorized = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param baseUrl e.g. {@code http://127.0.0.1:8088}
   * @param token one of the ingest's accepted bearer tokens
   */
  public HttpTrafficSink(String baseUrl, String token) {
    this(baseUrl, token, 4, Duration.ofSeconds(30));
  }

  public HttpTrafficSink(String baseUrl, String token, int concurrency, Duration requestTimeout) {
    if (concurrency < 1)
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.endpoint = URI.create(base + PATH);
    this.authorization = "Bearer " + token;
    this.requestTimeout = requestTimeout;
    this.concurrency = concurrency;
    this.outstanding = new InFlight(concurrency);
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.executor =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "http-traffic-sink");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void sendCameraBatch(List<String> eventJsons) {
    if (closed) throw new IllegalStateException("sink is closed");
    if (eventJsons.isEmpty()) return;
    int n = eventJsons.size();
    String body = n == 1 ? eventJsons.get(0) : "[" + String.join(",", eventJsons) + "]";
    counters.sent(TrafficSource.CAMERA, n);
    try {
      outstanding.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      counters.failed(TrafficSource.CAMERA, n);
      return;
    }
    executor.execute(
        () -> {
          try {
            post(body, n);
          } finally {
            outstanding.release();
          }
        });
  }

  private void post(String body, int n) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 202) {
          counters.acknowledged(TrafficSource.CAMERA, n);
          counters.rejected(TrafficSource.CAMERA, rejectedCount(response.body()));
          return;
        }
        if (status == 503 && attempt < ATTEMPTS) {
          sleep(retryAfterMillis(response, attempt));
          continue;
        }
        if (status == 401 && warnedUnauthorized.compareAndSet(false, true)) {
          LOG.warn("camera ingest at {} refuses the token (401); every batch will fail", endpoint);
        }
        counters.failed(TrafficSource.CAMERA, n);
        return;
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          LOG.warn("camera batch of {} failed after {} attempts: {}", n, ATTEMPTS, e.toString());
          counters.failed(TrafficSource.CAMERA, n);
          return;
        }
        sleep(200L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        counters.failed(TrafficSource.CAMERA, n);
        return;
      }
    }
  }

  private static long rejectedCount(String body) {
    try {
      JsonNode rejected = Json.MAPPER.readTree(body).path("rejected");
      return rejected.isArray() ? rejected.size() : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long retryAfterMillis(HttpResponse<?> response, int attempt) {
    long fallback = 200L << attempt;
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            v -> {
              try {
                return Math.min(10_000L, Long.parseLong(v.trim()) * 1000);
              } catch (NumberFormatException e) {
                return fallback;
              }
            })
        .orElse(fallback);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void flush() {
    outstanding.drain(FLUSH_TIMEOUT, LOG, "HTTP sink: batches");
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public void close() {
    if (closed) return;
    flush();
    closed = true;
    executor.shutdownNow();
  }
}
