package org.gridfusion.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.connectors.BadInputGenerator.Case;
import org.gridfusion.connectors.BadInputGenerator.Ingress;
import org.gridfusion.connectors.BadInputGenerator.Mutation;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad input at volume (issue 13): 10,000 malformed inputs from {@link BadInputGenerator} (4,000
 * camera events over HTTP, 4,000 readings over MQTT QoS 1, 2,000 department lines in inbox files),
 * with a valid input after every fourth, through the three connectors running in a JVM of their own
 * with a 256 MB heap ({@link ConnectorsMain}). Every malformed one must be refused with a reason —
 * a 4xx, or (HTTP items, MQTT readings, inbox lines) a dead letter in {@code gf.deadletter} with
 * its reason — and none stored as an input; every valid one must be stored; the connectors' JVM
 * must live through it and keep serving. What each kind of mutation came to is written to {@code
 * target/bad-input-volume.md}. {@link BadInputCorpusITCase} holds the hand-made corpus with the
 * exact reason of each case.
 */
@ExtendWith(EmbeddedStackExtension.class)
class BadInputVolumeITCase {
  private static final Logger LOG = LoggerFactory.getLogger(BadInputVolumeITCase.class);
  private static final String TOKEN = "volume-token-0123456789";
  private static final long SEED = 13;
  private static final int HTTP_CASES = 4_000;
  private static final int MQTT_CASES = 4_000;
  private static final int INBOX_CASES = 2_000;
  private static final int LINES_PER_FILE = 250;

  /** A valid input goes with every this many malformed ones. */
  private static final int VALID_EVERY = 4;

  /** Valid inputs are numbered from here, apart from the cases. */
  private static final int VALID = 1_000_000;

  /** The endpoint's whole-packet limit in this test; the generator's 10 MB payloads exceed it. */
  private static final int MQTT_MAX_FRAME = 2 * 1024 * 1024;

  private static final Duration WITHIN = Duration.ofSeconds(120);

  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final BadInputGenerator gen =
      new BadInputGenerator(SEED, run, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

  /** Outcome of each case, per ingress and mutation, for the table. */
  private final Map<String, Map<String, Integer>> outcomes = new ConcurrentHashMap<>();

  @Test
  @Timeout(600)
  void tenThousandMalformedInputsAreEachRefusedWithAReasonAndEveryValidOneIsStored(
      Endpoints e, @TempDir Path dir) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    Path inbox = dir.resolve("inbox");
    Files.createDirectories(inbox);
    try (Child connectors = Child.start(e.kafkaBootstrap(), inbox, dir.resolve("connectors.log"))) {
      Map<Integer, String> http = new ConcurrentHashMap<>();
      Map<Integer, String> httpValid = new ConcurrentHashMap<>();
      Set<Integer> mqttAcked = ConcurrentHashMap.newKeySet();
      Set<Integer> mqttValidAcked = ConcurrentHashMap.newKeySet();
      Map<Integer, String> oversized = new ConcurrentHashMap<>();
      Map<String, Integer> inboxLines = new ConcurrentHashMap<>();
      Set<String> inboxValid = ConcurrentHashMap.newKeySet();

      Thread[] senders = {
        new Thread(() -> sendHttp(connectors.http, http, httpValid), "volume-http"),
        new Thread(
            () -> sendMqtt(connectors.mqtt, mqttAcked, mqttValidAcked, oversized), "volume-mqtt"),
        new Thread(() -> writeInbox(inbox, inboxLines, inboxValid), "volume-inbox")
      };
      for (Thread t : senders) t.start();
      for (Thread t : senders) t.join(TimeUnit.MINUTES.toMillis(5));

      // HTTP: every malformed event answered 4xx or refused in a 202's "rejected" with a reason
      assertThat(http).hasSize(HTTP_CASES);
      for (var c : http.entrySet()) {
        assertThat(c.getValue())
            .as("HTTP case %s", gen.bad(Ingress.HTTP, c.getKey()).describe())
            .matches("4\\d\\d|rejected:[A-Z_]+");
      }
      assertThat(httpValid.values()).as("valid camera events").allMatch("accepted"::equals);
      assertThat(httpValid).hasSize(HTTP_CASES / VALID_EVERY);

      // MQTT: every reading acknowledged (the endpoint stores it or its dead letter first)
      int framed = MQTT_CASES / 1_000;
      assertThat(mqttAcked).hasSize(MQTT_CASES - framed);
      assertThat(mqttValidAcked).hasSize(MQTT_CASES / VALID_EVERY);
      assertThat(oversized).hasSize(framed);

      // gf.deadletter: a letter with a reason for every malformed reading and line
      Set<Integer> mqttBad = new HashSet<>(mqttAcked);
      mqttBad.addAll(oversized.keySet());
      assertThat(oversized.values())
          .as("PUBLISHes over the frame limit")
          .allMatch("acknowledged"::equals);
      Letters letters = new Letters(mqttBad, inboxLines.keySet());
      try {
        KafkaProbe.readUntil(e.kafkaBootstrap(), Topics.DEADLETTER, letters, WITHIN);
      } catch (AssertionError missing) {
        throw new AssertionError(letters + "; " + missing.getMessage(), missing);
      }
      letters.mqttReasons.forEach(
          (i, reason) -> count(Ingress.MQTT, gen.bad(Ingress.MQTT, i).mutation(), reason));
      letters.inboxReasons.forEach(
          (line, reason) -> count(Ingress.INBOX, mutationOfLine(inboxLines.get(line)), reason));

      // the valid inputs are all stored, and no malformed one is
      Set<String> validCameras = new HashSet<>();
      for (int i : httpValid.keySet()) validCameras.add(gen.marker(VALID + i));
      AvroCodec<CameraEvent> cameras = AvroCodec.of(CameraEvent.class);
      Set<String> storedEvents = new HashSet<>();
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_CAMERA,
          incrementally(
              r -> storedEvents.add(decode(cameras, r.value())),
              () -> storedEvents.containsAll(validCameras)),
          WITHIN);
      Set<String> validSensors = new HashSet<>();
      for (int i : mqttValidAcked) validSensors.add(gen.marker(VALID + i));
      Set<String> sensorKeys = new HashSet<>();
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_SENSOR,
          incrementally(
              r -> sensorKeys.add(new String(r.key(), StandardCharsets.UTF_8)),
              () -> sensorKeys.containsAll(validSensors)),
          WITHIN);
      Set<String> departmentKeys = new HashSet<>();
      KafkaProbe.readUntil(
          e.kafkaBootstrap(),
          Topics.RAW_DEPARTMENT,
          incrementally(
              r -> departmentKeys.add(new String(r.key(), StandardCharsets.UTF_8)),
              () -> departmentKeys.containsAll(inboxValid)),
          WITHIN);
      for (Set<String> stored : List.of(storedEvents, sensorKeys, departmentKeys)) {
        assertThat(stored.stream().filter(id -> isCase(id)).toList())
            .as("malformed inputs stored as inputs")
            .isEmpty();
      }

      // the connectors' JVM lived through it, with its heap, and still serves
      assertThat(connectors.process.isAlive()).as("connectors' JVM alive").isTrue();
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(connectors.http + "/health")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      writeTable(connectors.peakHeapMb);
    }
  }

  // ------------------------------------------------------------------ HTTP

  private void sendHttp(String url, Map<Integer, String> bad, Map<Integer, String> valid) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int n = 0; n < HTTP_CASES; n++) {
      int i = n;
      pool.execute(
          () -> {
            Case c = gen.bad(Ingress.HTTP, i);
            String outcome = post(client, url, c.payload());
            bad.put(i, outcome);
            count(Ingress.HTTP, c.mutation(), outcome);
            if (i % VALID_EVERY == 0) {
              valid.put(i, post(client, url, gen.valid(Ingress.HTTP, VALID + i).payload()));
            }
          });
    }
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info(
        "HTTP: {} requests in {} ms",
        bad.size() + valid.size(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** {@code accepted}, {@code rejected:<reason>}, the status code, or {@code error: ...}. */
  private static String post(HttpClient client, String url, byte[] body) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/camera-events"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) return Integer.toString(r.statusCode());
      JsonNode answer = Json.MAPPER.readTree(r.body());
      if (answer.path("accepted").asInt() == 1) return "accepted";
      JsonNode rejected = answer.path("rejected").path(0);
      return "rejected:" + rejected.path("reason").asText();
    } catch (Exception e) {
      return "error: " + e;
    }
  }

  // ------------------------------------------------------------------ MQTT

  private void sendMqtt(
      String url, Set<Integer> acked, Set<Integer> validAcked, Map<Integer, String> oversized) {
    long t0 = System.nanoTime();
    try {
      MqttAsyncClient client = connect(url, "volume-" + run);
      Semaphore window = new Semaphore(200);
      for (int i = 0; i < MQTT_CASES; i++) {
        Case c = gen.bad(Ingress.MQTT, i);
        if (c.mutation() == Mutation.OVERSIZED_FRAME) continue;
        publish(client, window, c, acked::add);
        if (i % VALID_EVERY == 0) {
          publish(
              client, window, gen.valid(Ingress.MQTT, VALID + i), n -> validAcked.add(n - VALID));
        }
      }
      window.acquire(200);
      LOG.info(
          "MQTT: {} PUBLISHes acknowledged in {} ms",
          acked.size() + validAcked.size(),
          (System.nanoTime() - t0) / 1_000_000);
      client.disconnect().waitForCompletion(10_000);
      client.close();
      // A packet over the endpoint's frame limit, each on a connection of its own: what a client
      // that sends one gets.
      for (int i = 0; i < MQTT_CASES; i++) {
        Case c = gen.bad(Ingress.MQTT, i);
        if (c.mutation() != Mutation.OVERSIZED_FRAME) continue;
        MqttAsyncClient one = connect(url, "volume-frame-" + run + "-" + i);
        try {
          one.publish(c.topic(), c.payload(), 1, false).waitForCompletion(60_000);
          oversized.put(i, "acknowledged");
        } catch (Exception e) {
          oversized.put(i, "connection closed: " + e.getMessage());
        } finally {
          try {
            if (one.isConnected()) one.disconnect().waitForCompletion(5_000);
            one.close(true);
          } catch (Exception ignored) {
            // closed by the endpoint
          }
        }
      }
    } catch (Exception e) {
      throw new AssertionError("MQTT sender failed", e);
    }
  }

  private static MqttAsyncClient connect(String url, String id) throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(url, id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(250);
    c.connect(o).waitForCompletion(15_000);
    return c;
  }

  private static void publish(
      MqttAsyncClient client, Semaphore window, Case c, Consumer<Integer> onAck) throws Exception {
    if (!window.tryAcquire(60, TimeUnit.SECONDS)) throw new AssertionError("no PUBACK for 60 s");
    client.publish(
        c.topic(),
        c.payload(),
        1,
        false,
        null,
        new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            onAck.accept(c.index());
            window.release();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            window.release();
          }
        });
  }

  // ------------------------------------------------------------------ inbox

  private void writeInbox(Path inbox, Map<String, Integer> lines, Set<String> valid) {
    try {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      int lineNo = 0;
      int files = 0;
      for (int i = 0; i < INBOX_CASES; i++) {
        String name = "volume-" + run + "-" + files + ".jsonl";
        file.write(gen.bad(Ingress.INBOX, i).payload());
        file.write('\n');
        lines.put(name + ":" + ++lineNo, i);
        if (i % VALID_EVERY == 0) {
          file.write(gen.valid(Ingress.INBOX, VALID + i).payload());
          file.write('\n');
          lineNo++;
          valid.add(gen.marker(VALID + i));
        }
        if ((i + 1) % LINES_PER_FILE == 0 || i == INBOX_CASES - 1) {
          Path tmp = inbox.resolve("." + name + ".tmp");
          Files.write(tmp, file.toByteArray());
          Files.move(tmp, inbox.resolve(name));
          file.reset();
          lineNo = 0;
          files++;
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot write the inbox", e);
    }
  }

  private Mutation mutationOfLine(int i) {
    return gen.bad(Ingress.INBOX, i).mutation();
  }

  // ------------------------------------------------------------------ gf.deadletter

  /**
   * Reads dead letters as they come, until there is one for every malformed reading (by the marker
   * in its topic) and every malformed line (by file and line); each must name a reason.
   */
  private final class Letters implements Predicate<List<ConsumerRecord<byte[], byte[]>>> {
    private final Set<Integer> readings;
    private final Set<String> lines;
    final Map<Integer, String> mqttReasons = new HashMap<>();
    final Map<String, String> inboxReasons = new HashMap<>();
    private int read;

    Letters(Set<Integer> readings, Set<String> lines) {
      this.readings = readings;
      this.lines = lines;
    }

    @Override
    public boolean test(List<ConsumerRecord<byte[], byte[]>> rs) {
      for (; read < rs.size(); read++) {
        JsonNode letter;
        try {
          letter = Json.MAPPER.readTree(rs.get(read).value());
        } catch (IOException e) {
          throw new AssertionError("a dead letter that is not JSON", e);
        }
        String origin = letter.path("origin").asText();
        String reason = letter.path("reason").asText();
        if (origin.startsWith("mqtt:")) {
          int i = gen.indexIn(origin);
          if (i >= 0 && i < VALID) {
            assertThat(reason).as("reason of %s", origin).isNotBlank();
            mqttReasons.put(i, reason);
          }
        } else if (origin.startsWith("inbox:volume-" + run + "-")) {
          assertThat(reason).as("reason of %s", origin).isNotBlank();
          inboxReasons.put(origin.substring("inbox:".length()), reason);
        }
      }
      return mqttReasons.keySet().containsAll(readings) && inboxReasons.keySet().containsAll(lines);
    }

    @Override
    public String toString() {
      List<String> missing = new ArrayList<>();
      for (int i : readings) {
        if (!mqttReasons.containsKey(i)) missing.add(gen.bad(Ingress.MQTT, i).describe());
      }
      Set<String> missingLines = new HashSet<>(lines);
      missingLines.removeAll(inboxReasons.keySet());
      return "missing dead letters: readings "
          + missing.stream().limit(20).toList()
          + ", lines "
          + missingLines.stream().limit(20).toList();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Predicate<List<ConsumerRecord<byte[], byte[]>>> incrementally(
      Consumer<ConsumerRecord<byte[], byte[]>> each, java.util.function.BooleanSupplier done) {
    int[] read = {0};
    return rs -> {
      for (; read[0] < rs.size(); read[0]++) each.accept(rs.get(read[0]));
      return done.getAsBoolean();
    };
  }

  /** Whether an id is one of this run's malformed cases (not a valid input's). */
  private boolean isCase(String id) {
    int i = gen.indexIn(id);
    return i >= 0 && i < VALID;
  }

  private static String decode(AvroCodec<CameraEvent> codec, byte[] value) {
    try {
      return codec.decode(value).getEventId();
    } catch (IOException e) {
      return "(undecodable)";
    }
  }

  private void count(Ingress ingress, Mutation m, String outcome) {
    outcomes
        .computeIfAbsent(ingress + " " + m, k -> new ConcurrentHashMap<>())
        .merge(outcome, 1, Integer::sum);
  }

  private void writeTable(long peakHeapMb) throws IOException {
    StringBuilder md =
        new StringBuilder("| ingress, mutation | cases | outcomes |\n|---|---:|---|\n");
    new TreeMap<>(outcomes)
        .forEach(
            (k, v) ->
                md.append("| ")
                    .append(k)
                    .append(" | ")
                    .append(v.values().stream().mapToInt(Integer::intValue).sum())
                    .append(" | ")
                    .append(new TreeMap<>(v))
                    .append(" |\n"));
    md.append("\nPeak heap of the connectors' JVM after a collection: ")
        .append(peakHeapMb)
        .append(" MB of 256 MB\n");
    Path file = Path.of("").toAbsolutePath().resolve("target").resolve("bad-input-volume.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, md.toString());
    LOG.info("Bad input at volume ({}):\n{}", file, md);
  }

  /** The connectors in a child JVM with a 256 MB heap. */
  private static final class Child implements AutoCloseable {
    private Process process;
    private volatile String http;
    private volatile String mqtt;
    private volatile boolean ready;
    private volatile long peakHeapMb;

    static Child start(String kafka, Path inbox, Path log) throws Exception {
      Child c = new Child();
      Process p =
          ChildJvm.start(
              ConnectorsMain.class,
              List.of(kafka, inbox.toString(), TOKEN, Integer.toString(MQTT_MAX_FRAME)),
              log,
              c::take);
      c.process = p;
      Await.until(
          "connectors ready or gone", () -> c.ready || !p.isAlive(), Duration.ofSeconds(60));
      if (!c.ready) throw new AssertionError("connectors exited before ready; log " + log);
      return c;
    }

    /** The child's {@code heap N} lines are counts, kept out of the log. */
    private boolean take(String line) {
      if (line.startsWith("http ")) http = line.substring(5).trim();
      else if (line.startsWith("mqtt ")) mqtt = line.substring(5).trim();
      else if (line.equals("ready")) ready = true;
      else if (line.startsWith("heap ")) {
        peakHeapMb = Math.max(peakHeapMb, Long.parseLong(line.substring(5).trim()));
        return true;
      }
      return false;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
