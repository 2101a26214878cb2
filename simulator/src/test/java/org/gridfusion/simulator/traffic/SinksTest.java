package org.gridfusion.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.gridfusion.testkit.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {
  @TempDir Path tmp;

  // ---- inbox ----

  @Test
  void inboxFilesAppearWholeUnderAJsonlNameAndNeverOverwriteAnother() throws IOException {
    Path inbox = tmp.resolve("inbox");
    Files.createDirectories(inbox);
    Files.writeString(inbox.resolve("sim-r1-000001.jsonl"), "not ours\n");
    InboxTrafficSink sink = new InboxTrafficSink(inbox, "sim-r1");
    sink.sendDepartment(List.of("{\"a\":1}", "{\"a\":2}"));
    sink.sendDepartment(List.of("{\"a\":3}"));

    assertThat(Files.readString(inbox.resolve("sim-r1-000001.jsonl"))).isEqualTo("not ours\n");
    assertThat(Files.readString(inbox.resolve("sim-r1-000002.jsonl")))
        .isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    assertThat(Files.readString(inbox.resolve("sim-r1-000003.jsonl"))).isEqualTo("{\"a\":3}\n");
    try (var files = Files.list(inbox)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.endsWith(".jsonl"))
          .hasSize(3);
    }
    assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(3, 3, 0, 0));
    assertThatThrownBy(() -> sink.sendSensor("t", "{}"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void inboxWriteFailuresAreCountedNotThrown() throws IOException {
    Path notADirectory = tmp.resolve("file");
    Files.writeString(notADirectory, "x");
    InboxTrafficSink sink = new InboxTrafficSink(notADirectory, "sim");
    sink.sendDepartment(List.of("{}", "{}"));
    assertThat(sink.counts(TrafficSource.DEPARTMENT)).isEqualTo(new SinkCounts(2, 0, 2, 0));
  }

  // ---- HTTP ----

  @Test
  void httpSinkPostsBatchesWithTheTokenAndCountsTheAnswer() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> auth = new CopyOnWriteArrayList<>();
    AtomicInteger unavailableFirst = new AtomicInteger(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        HttpTrafficSink.PATH,
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          bodies.add(body);
          auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
          int status;
          String answer;
          if (!"Bearer secret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            answer = "{}";
          } else if (body.contains("\"busy\"") && unavailableFirst.getAndDecrement() > 0) {
            exchange.getResponseHeaders().add("Retry-After", "0");
            status = 503;
            answer = "{}";
          } else {
            status = 202;
            answer =
                body.contains("\"bad\"")
                    ? "{\"accepted\":1,\"rejected\":[{\"index\":1,\"reason\":\"UNKNOWN_TYPE\"}]}"
                    : "{\"accepted\":1,\"rejected\":[]}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try {
      HttpTrafficSink sink = new HttpTrafficSink(base, "secret", 2, Duration.ofSeconds(10));
      sink.sendCameraBatch(List.of("{\"e\":1}"));
      sink.sendCameraBatch(List.of("{\"e\":2}", "{\"e\":\"bad\"}"));
      sink.sendCameraBatch(List.of("{\"e\":\"busy\"}", "{\"e\":4}", "{\"e\":5}"));
      sink.close();
      assertThat(bodies).contains("{\"e\":1}", "[{\"e\":2},{\"e\":\"bad\"}]");
      assertThat(bodies.stream().filter(b -> b.contains("busy"))).hasSize(2); // 503, then retried
      assertThat(auth).containsOnly("Bearer secret");
      assertThat(sink.counts(TrafficSource.CAMERA)).isEqualTo(new SinkCounts(6, 6, 0, 1));

      HttpTrafficSink wrongToken = new HttpTrafficSink(base, "guess");
      wrongToken.sendCameraBatch(List.of("{\"e\":1}", "{\"e\":2}"));
      wrongToken.close();
      assertThat(wrongToken.counts(TrafficSource.CAMERA)).isEqualTo(new SinkCounts(2, 0, 2, 0));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void httpSinkCountsAnUnreachableIngestAsFailed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpTrafficSink sink =
        new HttpTrafficSink("http://127.0.0.1:" + port, "t", 1, Duration.ofSeconds(2));
    sink.sendCameraBatch(List.of("{}", "{}", "{}"));
    sink.close();
    assertThat(sink.counts(TrafficSource.CAMERA)).isEqualTo(new SinkCounts(3, 0, 3, 0));
  }

  // ---- MQTT ----

  @Test
  void mqttSinkPublishesWithQos1AndCountsPubacks() throws Exception {
    // Under target/, not @TempDir: Mosquitto started as root reads its files as user mosquitto.
    Path dir = Path.of("target", "mosquitto-sinks-test").toAbsolutePath();
    int n = 300;
    try (MosquittoBroker broker = MosquittoBroker.in(dir).user("sim", "sim-password-12").start();
        MqttClient subscriber =
            new MqttClient(broker.url(), "test-subscriber", new MemoryPersistence())) {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName("sim");
      o.setPassword("sim-password-12".toCharArray());
      subscriber.connect(o);
      CountDownLatch received = new CountDownLatch(n);
      List<String> topics = new CopyOnWriteArrayList<>();
      subscriber.subscribe(
          "gf/sensors/#",
          1,
          (topic, message) -> {
            topics.add(topic);
            received.countDown();
          });
      MqttTrafficSink sink =
          MqttTrafficSink.connect(broker.url(), "test-sim", 50, "sim", "sim-password-12");
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String topic = "gf/sensors/SMOKE/SMOKE-" + String.format("%05d", i);
        sent.add(topic);
        sink.sendSensor(topic, "{\"ts\":0,\"value\":0.1}");
      }
      sink.close();
      assertThat(sink.counts(TrafficSource.SENSOR)).isEqualTo(new SinkCounts(n, n, 0, 0));
      assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(topics).containsExactlyInAnyOrderElementsOf(sent);
      subscriber.disconnect();
      assertThatThrownBy(() -> MqttTrafficSink.connect(broker.url(), "test-anon"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void mqttSinkFailsFastWhenNoBrokerListens() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> MqttTrafficSink.connect("tcp://127.0.0.1:" + port, "nobody"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot connect");
  }

  // ---- routing ----

  @Test
  void routingSendsEachSourceToItsOwnSinkAndClosesEachOnce() {
    RecordingTrafficSink sensors = new RecordingTrafficSink();
    RecordingTrafficSink rest = new RecordingTrafficSink();
    RoutingTrafficSink sink = new RoutingTrafficSink(sensors, rest, rest);
    sink.sendSensor("gf/sensors/GAS/GAS-00001", "{}");
    sink.sendCameraBatch(List.of("{}"));
    sink.sendDepartment(List.of("{}", "{}"));
    sink.flush();
    sink.close();
    assertThat(sensors.sensors).hasSize(1);
    assertThat(rest.cameraBatches).hasSize(1);
    assertThat(rest.departmentFiles).hasSize(1);
    assertThat(rest.flushes).isEqualTo(1);
    assertThat(sink.counts(TrafficSource.DEPARTMENT).acknowledged()).isEqualTo(2);
    assertThat(new RoutingTrafficSink(null, null, null).counts(TrafficSource.SENSOR))
        .isEqualTo(SinkCounts.ZERO);
  }
}
