package org.gridfusion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.embedded.EmbeddedElasticsearch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class EmbeddedStackExtensionITCase {
  private static Endpoints fromBeforeAll;
  private final Endpoints fromConstructor;

  EmbeddedStackExtensionITCase(Endpoints endpoints) {
    this.fromConstructor = endpoints;
  }

  @BeforeAll
  static void captureEndpoints(Endpoints endpoints) {
    fromBeforeAll = endpoints;
  }

  @Test
  void everyWayOfGettingTheEndpointsSeesTheOneSharedStack(Endpoints fromMethod) {
    assertThat(fromMethod)
        .isEqualTo(fromConstructor)
        .isEqualTo(fromBeforeAll)
        .isEqualTo(EmbeddedStackExtension.endpoints());
    assertThat(fromMethod.kafkaBootstrap()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(fromMethod.elasticsearchUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(fromMethod.dataDir()).isDirectory();
    assertThat(fromMethod.dataDir().getParent()).isEqualTo(Path.of("target").toAbsolutePath());
    assertThat(fromMethod.dataDir().getFileName().toString()).startsWith("embedded-stack-");
    assertThat(EmbeddedStackExtension.kafka().bootstrap()).isEqualTo(fromMethod.kafkaBootstrap());
  }

  @Test
  void kafkaProbeCreatesTopicsAndSeesOnlyCommittedRecords(Endpoints e) throws Exception {
    KafkaProbe.createTopics(e.kafkaBootstrap(), 2);
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrap());
    try (Admin admin = Admin.create(ap)) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.all());
    }

    String topic = "testkit-" + UUID.randomUUID();
    KafkaProbe.createTopic(e.kafkaBootstrap(), topic, 1);
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrap());
    pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-" + UUID.randomUUID());
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    // As Flink's exactly-once sink does: far above the broker default cap of 15 min.
    pp.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TimeUnit.MINUTES.toMillis(30));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "committed"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "b", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "c", "last"));
      producer.commitTransaction();
    }

    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaProbe.readUntil(
            e.kafkaBootstrap(),
            topic,
            rs -> rs.stream().anyMatch(r -> "last".equals(KafkaProbe.text(r))),
            Duration.ofSeconds(30));
    assertThat(records).extracting(KafkaProbe::text).containsExactly("committed", "last");

    assertThatThrownBy(
            () -> KafkaProbe.readAtLeast(e.kafkaBootstrap(), topic, 3, Duration.ofSeconds(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 record(s)")
        .hasMessageContaining("committed");
  }

  @Test
  void mosquittoWithUsersAnswersConnectByItsCredentials(Endpoints e) throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.in(e.dataDir().resolve("mosquitto-testkit"))
            .user("probe", "probe-password-1")
            .start()) {
      URI uri = URI.create(broker.url());
      // CONNACK, remaining length 2, no session present, then the return code.
      assertThat(connect(uri, "probe", "probe-password-1")).containsExactly(0x20, 0x02, 0x00, 0x00);
      assertThat(connect(uri, null, null)).containsExactly(0x20, 0x02, 0x00, 0x05);
    }
  }

  /** A raw MQTT 3.1.1 CONNECT (clean session, keep-alive 30 s); returns the CONNACK's 4 bytes. */
  private static byte[] connect(URI uri, String user, String password) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int flags = 0x02 | (user == null ? 0 : 0xc0);
    body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) flags, 0, 30});
    for (String s :
        user == null ? List.of("testkit-probe") : List.of("testkit-probe", user, password)) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      body.write(new byte[] {0, (byte) b.length});
      body.write(b);
    }
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0x10, (byte) body.size()});
      body.writeTo(out);
      out.flush();
      byte[] connack = new byte[4];
      new DataInputStream(s.getInputStream()).readFully(connack);
      return connack;
    }
  }

  @Test
  void elasticsearchProbeFindsWhatWasIndexed(Endpoints e) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(e.elasticsearchUrl() + "/_cluster/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(health.body()).path("cluster_name").asText())
        .isEqualTo("gridfusion");

    String index = "testkit-" + UUID.randomUUID();
    for (String grid : List.of("G1", "G1", "G2")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(e.elasticsearchUrl() + "/" + index + "/_doc"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"grid_id\":\"" + grid + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    String g1 = "{\"query\":{\"term\":{\"grid_id.keyword\":\"G1\"}}}";
    ElasticsearchProbe.Hits hits =
        ElasticsearchProbe.awaitHits(e.elasticsearchUrl(), index, g1, 2, Duration.ofSeconds(30));
    assertThat(hits.total()).isEqualTo(2);
    assertThat(hits.sources())
        .allSatisfy(src -> assertThat(src.path("grid_id").asText()).isEqualTo("G1"));
    assertThat(ElasticsearchProbe.search(e.elasticsearchUrl(), index, null).total()).isEqualTo(3);

    assertThatThrownBy(
            () ->
                ElasticsearchProbe.awaitHits(
                    e.elasticsearchUrl(), index, g1, 3, Duration.ofMillis(500)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 hit(s)");
    assertThatThrownBy(
            () ->
                ElasticsearchProbe.awaitHits(
                    e.elasticsearchUrl(),
                    "testkit-absent-" + UUID.randomUUID(),
                    null,
                    1,
                    Duration.ofMillis(300)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not exist");
    boolean root = "root".equals(System.getProperty("user.name"));
    assertThat(
            Files.isDirectory(
                EmbeddedElasticsearch.instanceDirFor(e.dataDir(), root).resolve("data")))
        .isTrue();
  }
}
