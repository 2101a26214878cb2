package org.gridfusion.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridfusion.common.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts the real stack once and checks each component does its job. */
class EmbeddedStackITCase {
  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() {
    String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    // Under target/, not @TempDir: JUnit's temp dirs are 0700, which the ES user cannot enter.
    Path dataDir = Path.of("target", "embedded-stack-it-" + ts).toAbsolutePath();
    stack = EmbeddedStack.start(EmbeddedStack.Options.defaults(dataDir));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void kafkaRecordRoundTripsAndSurvivesARestart() throws Exception {
    String topic = "it-" + UUID.randomUUID();
    createTopic(stack.bootstrap(), topic);

    RecordMetadata first = produce(stack.bootstrap(), topic, "k1", "before-restart");
    assertThat(first.offset()).isZero();
    assertThat(consumeAll(stack.bootstrap(), topic, 1)).containsExactly("k1=before-restart");

    EmbeddedKafka kafka = stack.kafka();
    String bootstrapBefore = kafka.bootstrap();
    kafka.stop();
    assertThat(kafka.isRunning()).isFalse();
    kafka.restart();
    assertThat(kafka.isRunning()).isTrue();
    assertThat(kafka.bootstrap()).isEqualTo(bootstrapBefore);

    RecordMetadata second = produce(stack.bootstrap(), topic, "k2", "after-restart");
    assertThat(second.offset()).as("the log survived the restart").isEqualTo(1);
    assertThat(consumeAll(stack.bootstrap(), topic, 2))
        .containsExactly("k1=before-restart", "k2=after-restart");
  }

  @Test
  void elasticsearchIndexesAndFindsGeoDocument() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = stack.elasticsearchUrl();
    String index = "it-geo-" + UUID.randomUUID();

    HttpResponse<String> created =
        send(
            http,
            "PUT",
            base + "/" + index,
            "{\"mappings\":{\"properties\":{\"location\":{\"type\":\"geo_point\"},\"grid\":{\"type\":\"keyword\"}}}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

    HttpResponse<String> indexed =
        send(
            http,
            "PUT",
            base + "/" + index + "/_doc/1",
            "{\"grid\":\"G-17\",\"location\":{\"lat\":31.2304,\"lon\":121.4737}}");
    assertThat(indexed.statusCode()).as(indexed.body()).isEqualTo(201);
    assertThat(send(http, "POST", base + "/" + index + "/_refresh", "").statusCode())
        .isEqualTo(200);

    String geoQuery =
        "{\"query\":{\"geo_distance\":{\"distance\":\"1km\",\"location\":{\"lat\":31.23,\"lon\":121.47}}}}";
    HttpResponse<String> found = send(http, "POST", base + "/" + index + "/_search", geoQuery);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    JsonNode hits = Json.MAPPER.readTree(found.body()).path("hits");
    assertThat(hits.path("total").path("value").asLong()).isEqualTo(1);
    assertThat(hits.path("hits").get(0).path("_source").path("grid").asText()).isEqualTo("G-17");

    String farQuery =
        "{\"query\":{\"geo_distance\":{\"distance\":\"1km\",\"location\":{\"lat\":39.9,\"lon\":116.4}}}}";
    JsonNode none =
        Json.MAPPER.readTree(send(http, "POST", base + "/" + index + "/_search", farQuery).body());
    assertThat(none.path("hits").path("total").path("value").asLong()).isZero();
  }

  @Test
  void everyComponentReportsItsStartupAndKeepsDataUnderTheDataDir() {
    assertThat(stack.kafka().startupTime()).isPositive();
    assertThat(stack.elasticsearch().startupTime()).isPositive();
    assertThat(stack.kafka().logDir().resolve("meta.properties")).isRegularFile();
    assertThat(stack.elasticsearch().instanceDir().resolve("logs").resolve("console.log"))
        .isRegularFile();
    assertThat(stack.elasticsearch().instanceDir().resolve("elasticsearch.pid")).isRegularFile();
    assertThat(stack.kafka().logDir()).startsWith(stack.dataDir());
    assertThat(Files.isDirectory(stack.elasticsearch().instanceDir().resolve("data"))).isTrue();
  }

  // ---------------------------------------------------------------- helpers

  private static void createTopic(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static RecordMetadata produce(String bootstrap, String topic, String key, String value)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> consumeAll(String bootstrap, String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(r.key() + "=" + r.value());
        }
      }
    }
    return seen;
  }

  private static HttpResponse<String> send(HttpClient http, String method, String url, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    b.header("Content-Type", "application/json");
    b.method(
        method,
        body.isEmpty()
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
