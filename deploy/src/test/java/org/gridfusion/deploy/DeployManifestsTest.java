package org.gridfusion.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConfigOption;
import org.gridfusion.common.config.ConfigProblem;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.elasticsearch.IndexNames;
import org.gridfusion.common.kafka.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every manifest of {@code deploy/}, checked here where no Docker engine or Kubernetes runs: each
 * Kubernetes document is read into its typed model (Fabric8 for Kubernetes' own kinds, Strimzi's
 * model for Kafka, KafkaNodePool and KafkaTopic; the Flink operator's and ECK's resources, whose
 * model classes are not on Maven Central here, generically with their required fields checked),
 * with no field the model does not know; every image is pinned to a release; every contract topic
 * and index is declared; every GridFusion configuration key and {@code GF_*} variable exists.
 */
class DeployManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final Path COMPOSE = Path.of("compose");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization K8S_JSON = new KubernetesSerialization();

  /** An exact release tag (a digit in it, never latest), optionally with a digest. */
  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9./-]+(:[0-9][\\w.-]*|:[\\w.-]*[0-9][\\w.-]*)(@sha256:[0-9a-f]{64})?");

  private static final Map<String, Class<? extends HasMetadata>> TYPED =
      Map.ofEntries(
          Map.entry("Namespace", Namespace.class),
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("Secret", Secret.class),
          Map.entry("Service", Service.class),
          Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("Deployment", Deployment.class),
          Map.entry("StatefulSet", StatefulSet.class),
          Map.entry("Job", Job.class),
          Map.entry("Kafka", Kafka.class),
          Map.entry("KafkaNodePool", KafkaNodePool.class),
          Map.entry("KafkaTopic", KafkaTopic.class));

  /** Operator resources without a model class here: kind to its API group/version. */
  private static final Map<String, String> GENERIC =
      Map.of(
          "FlinkDeployment", "flink.apache.org/v1beta1",
          "Elasticsearch", "elasticsearch.k8s.elastic.co/v1",
          "Kibana", "kibana.k8s.elastic.co/v1",
          "PodMonitor", "monitoring.coreos.com/v1");

  private static final List<HasMetadata> base = new ArrayList<>();

  @BeforeAll
  static void readBase() throws IOException {
    JsonNode kustomization = YAML.readTree(K8S.resolve("base/kustomization.yaml").toFile());
    for (JsonNode r : kustomization.path("resources")) {
      base.addAll(read(K8S.resolve("base").resolve(r.asText())));
    }
  }

  static List<HasMetadata> read(Path file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isEmpty()) continue;
        String kind = doc.path("kind").asText();
        String json = doc.toString();
        HasMetadata resource;
        if (TYPED.containsKey(kind)) {
          resource = K8S_JSON.unmarshal(json, TYPED.get(kind));
          assertThat(unknownFields(resource, new IdentityHashMap<>(), ""))
              .as(file + " " + kind)
              .isEmpty();
        } else {
          assertThat(GENERIC).as(file + ": a kind this test knows").containsKey(kind);
          assertThat(doc.path("apiVersion").asText())
              .as(file + " " + kind)
              .isEqualTo(GENERIC.get(kind));
          resource = K8S_JSON.unmarshal(json, GenericKubernetesResource.class);
        }
        assertThat(resource.getMetadata().getName()).as(file + " " + kind + " name").isNotBlank();
        out.add(resource);
      }
    }
    return out;
  }

  /**
   * Fields the model did not know (kept in "additionalProperties" by Fabric8 and Strimzi models): a
   * misspelt or misplaced field that Kubernetes would reject or ignore.
   */
  private static List<String> unknownFields(Object o, Map<Object, Boolean> seen, String path) {
    List<String> out = new ArrayList<>();
    if (o == null || seen.put(o, true) != null) return out;
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) out.addAll(unknownFields(e, seen, path + "[" + i++ + "]"));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      for (var e : m.entrySet())
        out.addAll(unknownFields(e.getValue(), seen, path + "." + e.getKey()));
      return out;
    }
    String pkg = o.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
      return out;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) continue;
      if (!m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) continue;
      try {
        Object v = m.invoke(o);
        if (m.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            out.add(path + " " + extra.keySet());
          }
        } else {
          out.addAll(unknownFields(v, seen, path + "." + m.getName().substring(3)));
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a computed getter that needs more than the model holds: not a field
      }
    }
    return out;
  }

  private static <T extends HasMetadata> List<T> all(Class<T> type) {
    return base.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static GenericKubernetesResource generic(String kind) {
    return base.stream()
        .filter(r -> r instanceof GenericKubernetesResource && r.getKind().equals(kind))
        .map(GenericKubernetesResource.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in k8s/base"));
  }

  private static List<PodSpec> podSpecs() {
    List<PodSpec> out = new ArrayList<>();
    all(Deployment.class).forEach(d -> out.add(d.getSpec().getTemplate().getSpec()));
    all(StatefulSet.class).forEach(s -> out.add(s.getSpec().getTemplate().getSpec()));
    all(Job.class).forEach(j -> out.add(j.getSpec().getTemplate().getSpec()));
    return out;
  }

  // ------------------------------------------------------------------ Kubernetes

  @Test
  void everyKubernetesManifestReadsIntoItsModel() {
    assertThat(base)
        .extracting(HasMetadata::getKind)
        .contains(
            "Kafka",
            "KafkaNodePool",
            "KafkaTopic",
            "Elasticsearch",
            "Kibana",
            "FlinkDeployment",
            "Deployment",
            "StatefulSet",
            "Service",
            "Job",
            "PodMonitor");
  }

  @Test
  void everyTopicOfGridFusionIsAKafkaTopic() {
    assertThat(all(KafkaTopic.class))
        .extracting(t -> t.getSpec().getTopicName())
        .containsExactlyInAnyOrderElementsOf(Topics.all());
    for (KafkaTopic t : all(KafkaTopic.class)) {
      boolean compacted =
          t.getSpec().getTopicName().equals(Topics.RULES)
              || t.getSpec().getTopicName().equals(Topics.REFERENCE);
      assertThat(t.getSpec().getConfig().get("cleanup.policy"))
          .as(t.getSpec().getTopicName())
          .isEqualTo(compacted ? "compact" : null);
      assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "gridfusion");
    }
    KafkaTopic reference =
        all(KafkaTopic.class).stream()
            .filter(t -> t.getSpec().getTopicName().equals(Topics.REFERENCE))
            .findFirst()
            .orElseThrow();
    assertThat(((Number) reference.getSpec().getConfig().get("max.message.bytes")).intValue())
        .isEqualTo(Topics.REFERENCE_MAX_BYTES);
  }

  @Test
  void kafkaKeepsTransactionsLongerThanTheJobsTransactionTimeout() {
    Kafka kafka = all(Kafka.class).get(0);
    Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
    // the job's Kafka sinks use 10-minute transactions (KafkaEndpoints)
    assertThat(((Number) config.get("transaction.max.timeout.ms")).longValue())
        .isGreaterThanOrEqualTo(600_000L);
    assertThat(all(KafkaNodePool.class)).isNotEmpty();
  }

  @Test
  void everyContractIndexIsSetUpByTheSetupJob() {
    Job setup =
        all(Job.class).stream()
            .filter(j -> j.getMetadata().getName().equals("gridfusion-setup"))
            .findFirst()
            .orElseThrow();
    Container c = setup.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).startsWith("setup");
    assertThat(setup.getMetadata().getAnnotations().get("gridfusion.org/indices").split(","))
        .containsExactlyInAnyOrderElementsOf(IndexNames.all());
    assertThat(generic("Elasticsearch").get("spec", "version").toString()).startsWith("8.19.");
    assertThat(generic("Kibana").<Object>get("spec", "elasticsearchRef", "name"))
        .isEqualTo(generic("Elasticsearch").getMetadata().getName());
  }

  @Test
  void theFusionJobRunsInApplicationModeWithDurableCheckpointsHaAndSavepointUpgrades() {
    GenericKubernetesResource flink = generic("FlinkDeployment");
    Map<String, Object> job = flink.get("spec", "job");
    assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/gridfusion-job.jar");
    assertThat(job.get("entryClass")).isEqualTo("org.gridfusion.jobs.FusionJobMain");
    assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
    Map<String, Object> conf = flink.get("spec", "flinkConfiguration");
    assertThat(conf.get("execution.checkpointing.dir").toString()).startsWith("s3://");
    assertThat(conf.get("execution.checkpointing.savepoint-dir").toString()).startsWith("s3://");
    assertThat(conf.get("high-availability.type")).isEqualTo("kubernetes");
    assertThat(conf.get("high-availability.storageDir").toString()).startsWith("s3://");
    assertThat(conf.get("metrics.reporter.prom.factory.class"))
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    assertThat(generic("PodMonitor").<Object>get("spec", "podMetricsEndpoints")).isNotNull();
  }

  @Test
  void theBridgesSplitReadingsByASharedSubscriptionEachWithItsOwnSession() throws IOException {
    StatefulSet bridges =
        all(StatefulSet.class).stream()
            .filter(s -> s.getMetadata().getName().equals("mqtt-bridge"))
            .findFirst()
            .orElseThrow();
    assertThat(bridges.getSpec().getReplicas()).isGreaterThan(1);
    Container c = bridges.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).startsWith("bridge");
    assertThat(c.getEnv()).extracting(EnvVar::getName).contains("GF_MQTT_CLIENTID");
    Config config = sharedConfig();
    assertThat(config.get(GridFusionOptions.MQTT_SHARED_GROUP)).isNotBlank();
    assertThat(config.get(GridFusionOptions.REFERENCE_SOURCE)).isEqualTo("kafka");
  }

  @Test
  void everyImageIsPinnedToARelease() throws IOException {
    List<String> images = new ArrayList<>();
    for (PodSpec p : podSpecs()) p.getContainers().forEach(c -> images.add(c.getImage()));
    images.add(generic("FlinkDeployment").get("spec", "image"));
    for (Map.Entry<String, String> e : composeEnv().entrySet()) {
      if (e.getKey().endsWith("_IMAGE")) images.add(e.getValue());
    }
    for (Path dockerfile :
        List.of(Path.of("images/Dockerfile.gridfusion"), Path.of("images/Dockerfile.flink"))) {
      for (String line : Files.readAllLines(dockerfile)) {
        if (line.startsWith("FROM ")) images.add(line.substring(5).trim());
      }
    }
    assertThat(images).isNotEmpty();
    for (String image : images) {
      assertThat(PINNED.matcher(image).matches()).as(image + " pinned to a release").isTrue();
      assertThat(image).doesNotContain(":latest");
    }
  }

  @Test
  void everyGridFusionVariableAndKeyExists() throws IOException {
    Set<String> known = new HashSet<>();
    for (ConfigOption<?> o : GridFusionOptions.all()) known.add(o.environmentVariable());
    List<String> variables = new ArrayList<>();
    for (PodSpec p : podSpecs()) {
      for (Container c : p.getContainers()) {
        if (c.getEnv() != null) c.getEnv().forEach(e -> variables.add(e.getName()));
        if (c.getEnvFrom() != null) {
          for (EnvFromSource f : c.getEnvFrom()) {
            if (f.getSecretRef() != null) variables.addAll(secretKeys(f.getSecretRef().getName()));
          }
        }
      }
    }
    variables.addAll(composeEnv().keySet().stream().filter(k -> k.startsWith("GF_")).toList());
    assertThat(variables.stream().filter(v -> v.startsWith("GF_")).toList())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(known).as("a GridFusion variable").contains(v));
    // every key of the configuration files, and every --set key=value
    assertThat(problems(sharedConfig())).isEmpty();
    assertThat(problems(Config.load(COMPOSE.resolve("gridfusion.yaml"), Map.of()))).isEmpty();
    JsonNode compose = compose();
    for (JsonNode service : compose.path("services")) {
      List<String> command = new ArrayList<>();
      service.path("command").forEach(a -> command.add(a.asText()));
      for (int i = 0; i + 1 < command.size(); i++) {
        if (command.get(i).equals("--set")) {
          String key = command.get(i + 1).substring(0, command.get(i + 1).indexOf('='));
          assertThat(GridFusionOptions.find(key)).as(key).isPresent();
        }
      }
    }
  }

  private static List<String> secretKeys(String name) {
    return all(Secret.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(s -> s.getStringData().keySet().stream())
        .toList();
  }

  /** The job's and connectors' configuration file of the ConfigMap gridfusion-config. */
  private static Config sharedConfig() throws IOException {
    ConfigMap cm =
        all(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().equals("gridfusion-config"))
            .findFirst()
            .orElseThrow();
    Path file = Files.createTempFile("gridfusion", ".yaml");
    Files.writeString(file, cm.getData().get("gridfusion.yaml"));
    return Config.load(file, Map.of());
  }

  /**
   * What is wrong besides files that exist only inside the containers (reference files, the inbox).
   */
  private static List<ConfigProblem> problems(Config config) {
    return config.problems().stream().filter(p -> !p.problem().contains("does not exist")).toList();
  }

  // ------------------------------------------------------------------ kustomize overlays

  @Test
  void everyOverlayBuildsOnTheBaseAndPatchesWhatIsThere() throws IOException {
    try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
      List<Path> dirs = overlays.sorted().toList();
      assertThat(dirs).extracting(p -> p.getFileName().toString()).contains("dev", "prod");
      for (Path dir : dirs) {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(k.path("resources").get(0).asText()).isEqualTo("../../base");
        for (JsonNode patch : k.path("patches")) {
          String kind = patch.path("target").path("kind").asText();
          String name = patch.path("target").path("name").asText(null);
          List<HasMetadata> targets =
              base.stream()
                  .filter(r -> r.getKind().equals(kind))
                  .filter(r -> name == null || r.getMetadata().getName().equals(name))
                  .toList();
          assertThat(targets).as(dir + ": patch target " + kind + "/" + name).isNotEmpty();
          JsonNode ops = YAML.readTree(patch.path("patch").asText());
          for (JsonNode op : ops) {
            for (HasMetadata t : targets) {
              JsonNode doc = YAML.valueToTree(t);
              String path = op.path("path").asText();
              // a JSON pointer; "replace" needs the value to be there
              assertThat(doc.at(path).isMissingNode())
                  .as(dir + ": " + kind + "/" + t.getMetadata().getName() + " has " + path)
                  .isFalse();
            }
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ compose

  /**
   * docker-compose.yaml with its anchors and merge keys ({@code <<: *gridfusion}) resolved, as
   * Compose reads it (SnakeYAML does; Jackson leaves merge keys as they are).
   */
  private static JsonNode compose() throws IOException {
    try (var in = Files.newBufferedReader(COMPOSE.resolve("docker-compose.yaml"))) {
      Object doc = new Yaml().load(in);
      return YAML.valueToTree(doc);
    }
  }

  private static Map<String, String> composeEnv() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(COMPOSE.resolve(".env"))) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int eq = l.indexOf('=');
      env.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return env;
  }

  @Test
  void theComposeStackHasEveryPartWithImagesFromTheEnvFile() throws IOException {
    JsonNode compose = compose();
    Map<String, String> env = composeEnv();
    Map<String, String> images = new HashMap<>();
    var names = compose.path("services").fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode service = compose.path("services").path(name);
      String image = service.path("image").asText();
      Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
      assertThat(m.matches()).as(name + " image from .env").isTrue();
      assertThat(env).as(name).containsKey(m.group(1));
      images.put(name, env.get(m.group(1)));
    }
    assertThat(images.keySet())
        .contains(
            "kafka",
            "mosquitto",
            "elasticsearch",
            "kibana",
            "jobmanager",
            "taskmanager",
            "setup",
            "reference-push",
            "bridge",
            "ingest-http",
            "ingest-files");
    assertThat(compose.at("/services/jobmanager/command/0").asText()).isEqualTo("standalone-job");
    assertThat(compose.at("/services/jobmanager/command/2").asText())
        .isEqualTo("org.gridfusion.jobs.FusionJobMain");
    String mosquitto = Files.readString(COMPOSE.resolve("mosquitto.conf"));
    assertThat(mosquitto)
        .contains("persistence true", "max_queued_messages 1000000", "max_inflight_messages 1000");
  }
}
