package org.gridfusion.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.common.kafka.KafkaSetup;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.jobs.elasticsearch.Documents;
import org.gridfusion.jobs.elasticsearch.IndexTemplates;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.RiskLevel;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.Source;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;
import org.gridfusion.schema.WorkOrderStatus;
import org.gridfusion.testkit.Await;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.Endpoints;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The platform API of contract §9 against the real embedded stack: who may do what (401, 403, 202,
 * 400, the page's cookie and its CSRF token), the queries over documents the job's own code wrote,
 * the live stream and command outcomes from Kafka, and the served routes against the OpenAPI
 * description.
 */
@ExtendWith(EmbeddedStackExtension.class)
class ConsoleApiITCase {
  static final String OPERATOR = "operator-token-0123456789";
  static final String VIEWER = "viewer-token-0123456789";
  static final Duration WITHIN = Duration.ofSeconds(20);
  static final Instant T0 =
      Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

  static Endpoints stack;
  static ConsoleServer console;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start(Endpoints endpoints) throws Exception {
    stack = endpoints;
    KafkaSetup.createTopics(stack.kafka(), 2, (short) 1, Duration.ofDays(7));
    IndexTemplates.install(stack.elasticsearch(), 1, 0);
    Path dir = Files.createTempDirectory(stack.dataDir(), "console");
    String es = stack.elasticsearchUrl();

    Alert waterlogging =
        Alert.newBuilder(
                Fixtures.alert("A-WATER", "WATERLOGGING", Fixtures.GRID_A, Severity.URGENT, T0))
            .setIncidentId("A-WATER")
            .build();
    // a displaced manhole two minutes later in the same grid: the same incident, over already
    Alert manhole =
        Alert.newBuilder(
                Fixtures.alert(
                    "A-MANHOLE",
                    "MANHOLE_DISPLACED",
                    Fixtures.GRID_A,
                    Severity.IMPORTANT,
                    T0.plusSeconds(120)))
            .setIncidentId("A-WATER")
            .setStatus("CLOSED")
            .setClosedAt(T0.plusSeconds(120 + 1800))
            .build();
    Alert vending =
        Fixtures.alert(
            "A-VENDING",
            "STREET_VENDING",
            Fixtures.GRID_B,
            Severity.GENERAL,
            T0.minusSeconds(3600));
    Fixtures.index(es, Documents.alert(waterlogging));
    Fixtures.index(es, Documents.alert(vending));
    Fixtures.index(es, Documents.alert(manhole));
    Fixtures.index(
        es,
        Documents.workOrder(
            WorkOrder.newBuilder(Fixtures.workOrder("WO.A-WATER", "A-WATER", Fixtures.GRID_A, T0))
                .setIncidentId("A-WATER")
                .setAlertIds(List.of("A-WATER", "A-MANHOLE"))
                .setRuleIds(List.of("WATERLOGGING", "MANHOLE_DISPLACED"))
                .build()));
    Fixtures.index(
        es, Documents.riskScore(Fixtures.risk(Fixtures.GRID_A, T0, 40, RiskLevel.MEDIUM)));
    var latest = Fixtures.risk(Fixtures.GRID_A, T0.plusSeconds(60), 58.5, RiskLevel.HIGH);
    Fixtures.index(es, Documents.riskScore(latest));
    Fixtures.index(es, Documents.gridStatus(latest));
    for (int i = 0; i < 7; i++) {
      Fixtures.index(
          es,
          Documents.record(
              Fixtures.record(
                  "water-" + i, Source.SENSOR, "WATER_LEVEL", Fixtures.GRID_A, T0.plusSeconds(i))));
    }
    Fixtures.index(
        es,
        Documents.record(
            Fixtures.record(
                "ca-2031",
                Source.DEPARTMENT,
                "DISPUTE_REPORTED",
                Fixtures.GRID_B,
                T0.minusSeconds(60))));

    Config config =
        Config.empty()
            .with(GridFusionOptions.KAFKA_BOOTSTRAP, stack.kafkaBootstrap())
            .with(GridFusionOptions.ELASTICSEARCH_URL, es)
            .with(GridFusionOptions.REFERENCE_GRID_MAP, Fixtures.gridMap(dir))
            .with(GridFusionOptions.CONSOLE_PORT, 0)
            .with(GridFusionOptions.CONSOLE_TOKENS, OPERATOR + ":operator," + VIEWER + ":viewer");
    console = ConsoleServer.start(config, HealthStatus.unknown());
  }

  @AfterAll
  static void stop() {
    if (console != null) console.close();
  }

  // --- who may do what

  @Test
  void everyRouteButLoginAndTheDescriptionNeedsCredentials() throws Exception {
    List<String> open =
        List.of(
            "POST /v1/session", "GET /v1/session", "GET /v1/openapi.json", "GET /v1/openapi.yaml");
    for (String route : console.apiRoutes()) {
      if (open.contains(route)) continue;
      String[] mp = route.split(" ", 2);
      String path = mp[1].replaceAll("\\{[^}]+}", "x");
      for (String auth :
          new String[] {null, "Bearer wrong-token-0123456789", "Basic " + OPERATOR}) {
        HttpResponse<String> r =
            call(
                mp[0],
                path,
                auth,
                mp[0].equals("POST") ? "{}" : null,
                Map.of("Accept", "text/event-stream"));
        assertThat(r.statusCode()).as(route + " with " + auth).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .as(route)
            .hasValue("Bearer realm=\"gridfusion\"");
        assertThat(json(r.body()).path("error").asText()).isEqualTo("UNAUTHORIZED");
      }
    }
    assertThat(get("/v1/session", null).body()).isEqualTo("{\"authenticated\":false}");
  }

  @Test
  void aViewerReadsButMayNotSendCommandsAndAnOperatorsCommandIsOnTheTopicWhenAnswered202()
      throws Exception {
    assertThat(get("/v1/alerts", VIEWER).statusCode()).isEqualTo(200);
    String viewerCommand = "{\"action\":\"GRAB\",\"actor\":\"street:VIEWER\"}";
    HttpResponse<String> refused =
        post("/v1/workorders/WO.A-WATER/commands", VIEWER, viewerCommand);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused.body()).path("error").asText()).isEqualTo("FORBIDDEN");

    HttpResponse<String> accepted =
        post(
            "/v1/workorders/WO.A-WATER/commands",
            OPERATOR,
            "{\"action\":\"GRAB\",\"actor\":\"street:S01\",\"comment\":\"on my way\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode outcome = json(accepted.body());
    assertThat(outcome.path("state").asText()).isEqualTo("PENDING");
    assertThat(accepted.headers().firstValue("Location"))
        .hasValue("/v1/workorders/WO.A-WATER/commands/" + outcome.path("commandId").asText());

    // 202 came after Kafka's ack: the command is on the topic now, as §2.4 JSON, and the viewer's
    // is not
    List<JsonNode> commands =
        KafkaProbe.readAll(stack.kafkaBootstrap(), Topics.WORKORDER_COMMANDS, WITHIN).stream()
            .map(r -> json(KafkaProbe.text(r)))
            .toList();
    JsonNode sent =
        commands.stream()
            .filter(c -> "on my way".equals(c.path("comment").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not on the topic: " + commands));
    assertThat(sent.path("orderId").asText()).isEqualTo("WO.A-WATER");
    assertThat(sent.path("action").asText()).isEqualTo("GRAB");
    assertThat(sent.path("actor").asText()).isEqualTo("street:S01");
    assertThat(Instant.parse(sent.path("ts").asText())).isEqualTo(outcome.path("ts").asText());
    assertThat(commands).noneMatch(c -> c.path("actor").asText().equals("street:VIEWER"));
  }

  @Test
  void aMalformedCommandIs400WithTheReasonTheJobWouldGive() throws Exception {
    Map<String, String> cases =
        Map.of(
            "{\"action\":", "MALFORMED",
            "[{\"action\":\"GRAB\"}]", "MALFORMED",
            "{\"action\":\"FLY\",\"actor\":\"street:S01\"}", "INVALID_FIELD",
            "{\"action\":\"GRAB\"}", "MISSING_FIELD",
            "{\"action\":\"RATE\",\"actor\":\"district\"}", "MISSING_FIELD",
            "{\"action\":\"RATE\",\"actor\":\"district\",\"rating\":9}", "INVALID_FIELD",
            "{\"action\":\"GRAB\",\"actor\":\"street:S01\",\"ts\":\"2001-01-01T00:00:00Z\"}",
                "TS_TOO_OLD",
            "{\"orderId\":\"WO.OTHER\",\"action\":\"GRAB\",\"actor\":\"street:S01\"}",
                "INVALID_FIELD");
    for (var c : cases.entrySet()) {
      HttpResponse<String> r = post("/v1/workorders/WO.A-WATER/commands", OPERATOR, c.getKey());
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(json(r.body()).path("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
    }
    assertThat(
            post(
                    "/v1/workorders/WO.NONE/commands",
                    OPERATOR,
                    "{\"action\":\"GRAB\",\"actor\":\"street:S01\"}")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void thePageSessionIsAnHttpOnlyCookieAndChangesNeedItsCsrfToken() throws Exception {
    assertThat(post("/v1/session", null, "{\"token\":\"wrong-token-0123456789\"}").statusCode())
        .isEqualTo(401);
    HttpResponse<String> login = post("/v1/session", null, "{\"token\":\"" + OPERATOR + "\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .startsWith("gf_session=");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = json(login.body()).path("csrfToken").asText();
    assertThat(json(login.body()).path("role").asText()).isEqualTo("operator");

    assertThat(call("GET", "/v1/alerts", null, null, Map.of("Cookie", cookie)).statusCode())
        .isEqualTo(200);
    String command = "{\"action\":\"DISPATCH\",\"actor\":\"district\"}";
    HttpResponse<String> noCsrf =
        call("POST", "/v1/workorders/WO.A-WATER/commands", null, command, Map.of("Cookie", cookie));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(json(noCsrf.body()).path("message").asText()).contains("X-CSRF-Token");
    assertThat(
            call(
                    "POST",
                    "/v1/workorders/WO.A-WATER/commands",
                    null,
                    command,
                    Map.of("Cookie", cookie, "X-CSRF-Token", "forged"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    "/v1/workorders/WO.A-WATER/commands",
                    null,
                    command,
                    Map.of("Cookie", cookie, "X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(202);

    assertThat(
            call(
                    "DELETE",
                    "/v1/session",
                    null,
                    null,
                    Map.of("Cookie", cookie, "X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(204);
    assertThat(call("GET", "/v1/alerts", null, null, Map.of("Cookie", cookie)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aOneTimeLoginLinkWorksOnce() throws Exception {
    String link = console.oneTimeLoginUrl(org.gridfusion.common.config.ConsoleToken.Role.VIEWER);
    HttpResponse<String> first =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).hasValue("/");
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    JsonNode session =
        json(call("GET", "/v1/session", null, null, Map.of("Cookie", cookie)).body());
    assertThat(session.path("role").asText()).isEqualTo("viewer");
    HttpResponse<String> again =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.headers().firstValue("Location")).hasValue("/?login=expired");
    assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
  }

  // --- queries

  @Test
  void gridsAreGeoJsonWithTheirCurrentLevelAndOneGridSaysWhy() throws Exception {
    JsonNode grids = json(get("/v1/grids", VIEWER).body());
    assertThat(grids.path("type").asText()).isEqualTo("FeatureCollection");
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    grids.path("features").forEach(f -> byId.put(f.path("properties").path("gridId").asText(), f));
    assertThat(byId).containsOnlyKeys(Fixtures.GRID_A, Fixtures.GRID_B);
    JsonNode a = byId.get(Fixtures.GRID_A).path("properties");
    assertThat(a.path("level").asText()).isEqualTo("HIGH");
    assertThat(a.path("score").asDouble()).isEqualTo(58.5);
    assertThat(a.path("street").asText()).isEqualTo("S01");
    assertThat(a.path("community").asText()).isEqualTo("S01-C01");
    assertThat(a.path("name").asText()).isEqualTo("Heping 1");
    assertThat(byId.get(Fixtures.GRID_A).path("geometry").path("type").asText())
        .isEqualTo("Polygon");
    JsonNode b = byId.get(Fixtures.GRID_B).path("properties");
    assertThat(b.path("kind").asText()).isEqualTo("SCHOOL");
    assertThat(b.path("level").asText()).isEqualTo("LOW"); // never scored

    JsonNode grid = json(get("/v1/grids/" + Fixtures.GRID_A, VIEWER).body());
    assertThat(grid.path("level").asText()).isEqualTo("HIGH");
    assertThat(grid.path("factors").findValuesAsText("name"))
        .containsExactly("alert:WATERLOGGING", "grid:population");
    assertThat(grid.path("openAlerts").findValuesAsText("alertId")).containsExactly("A-WATER");
    JsonNode risk = json(get("/v1/grids/" + Fixtures.GRID_A + "/risk?hours=24", VIEWER).body());
    assertThat(risk.path("points").findValuesAsText("level")).containsExactly("MEDIUM", "HIGH");
    assertThat(get("/v1/grids/G-NONE", VIEWER).statusCode()).isEqualTo(404);
  }

  @Test
  void alertsAreFilteredAndNewestFirst() throws Exception {
    assertThat(alertIds("/v1/alerts")).containsSubsequence("A-WATER", "A-VENDING");
    assertThat(alertIds("/v1/alerts?severity=URGENT"))
        .contains("A-WATER")
        .doesNotContain("A-VENDING");
    assertThat(alertIds("/v1/alerts?severity=GENERAL,URGENT")).contains("A-WATER", "A-VENDING");
    assertThat(
            alertIds("/v1/alerts?gridId=" + Fixtures.GRID_B + "&ruleId=STREET_VENDING&status=OPEN"))
        .containsExactly("A-VENDING");
    // active in the window: last seen at or after from, first seen at or before to
    assertThat(alertIds("/v1/alerts?from=" + T0.minusSeconds(600) + "&to=" + T0.plusSeconds(10)))
        .contains("A-WATER")
        .doesNotContain("A-VENDING");
    assertThat(alertIds("/v1/alerts?to=" + T0.minusSeconds(7200).toEpochMilli())).isEmpty();
    assertThat(get("/v1/alerts?from=yesterday", VIEWER).statusCode()).isEqualTo(400);

    JsonNode detail = json(get("/v1/alerts/A-WATER", VIEWER).body());
    assertThat(detail.path("ruleVersion").asText()).isEqualTo("contract-5@1");
    assertThat(detail.path("workOrder").path("orderId").asText()).isEqualTo("WO.A-WATER");
    assertThat(detail.path("workOrder").path("allowedActions").toString())
        .isEqualTo("[\"GRAB\",\"DISPATCH\"]");
  }

  @Test
  void anAlertSaysWhichIncidentItIsPartOfWithItsSiblingsAndTheOrderItIsAttachedTo()
      throws Exception {
    JsonNode water = json(get("/v1/alerts/A-WATER", VIEWER).body());
    assertThat(water.path("incidentId").asText()).isEqualTo("A-WATER");
    assertThat(water.path("incidentAlerts").findValuesAsText("alertId"))
        .containsExactly("A-MANHOLE");
    assertThat(water.path("incidentAlerts").findValuesAsText("ruleId"))
        .containsExactly("MANHOLE_DISPLACED");

    JsonNode manhole = json(get("/v1/alerts/A-MANHOLE", VIEWER).body());
    assertThat(manhole.path("incidentAlerts").findValuesAsText("alertId"))
        .containsExactly("A-WATER");
    assertThat(manhole.path("workOrder").path("orderId").asText()).isEqualTo("WO.A-WATER");

    JsonNode vending = json(get("/v1/alerts/A-VENDING", VIEWER).body());
    assertThat(vending.path("incidentAlerts").size()).isZero(); // written before incidents
    assertThat(alertIds("/v1/alerts?incidentId=A-WATER"))
        .containsExactlyInAnyOrder("A-WATER", "A-MANHOLE");

    JsonNode order = json(get("/v1/workorders?incidentId=A-WATER", VIEWER).body());
    assertThat(order.path("workorders").findValuesAsText("orderId")).containsExactly("WO.A-WATER");
    assertThat(order.path("workorders").get(0).path("alertIds").toString())
        .isEqualTo("[\"A-WATER\",\"A-MANHOLE\"]");

    // a follow-up order's id has a '#', escaped in the path
    Fixtures.index(
        stack.elasticsearchUrl(),
        Documents.workOrder(
            WorkOrder.newBuilder(
                    Fixtures.workOrder("WO.A-FOLLOW#2", "A-FOLLOW-2", Fixtures.GRID_B, T0))
                .setIncidentId("A-FOLLOW")
                .build()));
    JsonNode followUp = json(get("/v1/workorders/WO.A-FOLLOW%232", VIEWER).body());
    assertThat(followUp.path("orderId").asText()).isEqualTo("WO.A-FOLLOW#2");
  }

  @Test
  void workOrdersCarryTheActionsTheLoopAllows() throws Exception {
    JsonNode list =
        json(
            get(
                    "/v1/workorders?status=REPORTED,GRABBED&gridId="
                        + Fixtures.GRID_A
                        + "&overdue=false",
                    VIEWER)
                .body());
    assertThat(list.path("workorders").findValuesAsText("orderId")).containsExactly("WO.A-WATER");
    JsonNode one = json(get("/v1/workorders/WO.A-WATER", VIEWER).body());
    assertThat(one.path("status").asText()).isEqualTo("REPORTED");
    assertThat(one.path("allowedActions").toString()).isEqualTo("[\"GRAB\",\"DISPATCH\"]");
    assertThat(json(get("/v1/workorders?overdue=true", VIEWER).body()).path("workorders").size())
        .isZero();
    assertThat(get("/v1/workorders/WO.NONE", VIEWER).statusCode()).isEqualTo(404);
    assertThat(get("/v1/workorders?overdue=maybe", VIEWER).statusCode()).isEqualTo(400);
  }

  @Test
  void recordsAreSearchedByFieldTimeAndFreeTextPagedAndExportedAsCsv() throws Exception {
    JsonNode all = json(get("/v1/records?gridId=" + Fixtures.GRID_A + "&size=5", VIEWER).body());
    assertThat(all.path("total").asInt()).isEqualTo(7);
    assertThat(all.path("records").findValuesAsText("recordId"))
        .containsExactly("water-6", "water-5", "water-4", "water-3", "water-2");
    JsonNode page2 =
        json(get("/v1/records?gridId=" + Fixtures.GRID_A + "&size=5&offset=5", VIEWER).body());
    assertThat(page2.path("records").findValuesAsText("recordId"))
        .containsExactly("water-1", "water-0");
    assertThat(recordIds("/v1/records?source=department")).containsExactly("ca-2031");
    assertThat(
            recordIds(
                "/v1/records?type=water_level&from="
                    + T0.plusSeconds(5)
                    + "&to="
                    + T0.plusSeconds(6)))
        .containsExactly("water-6", "water-5");
    assertThat(recordIds("/v1/records?q=CA-20"))
        .containsExactly("ca-2031"); // part of an id, any case
    assertThat(recordIds("/v1/records?q=DEV-water-3")).containsExactly("water-3");
    assertThat(recordIds("/v1/records?q=water-3 S01")).containsExactly("water-3"); // every word

    HttpResponse<String> csv = get("/v1/records?source=DEPARTMENT&format=csv", VIEWER);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] lines = csv.body().replace("\uFEFF", "").split("\r\n");
    assertThat(lines[0]).isEqualTo(String.join(",", RecordsApi.CSV_COLUMNS));
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).startsWith("ca-2031,DEPARTMENT,DISPUTE_REPORTED,CIVIL_AFFAIRS,");
    assertThat(lines[1]).endsWith(",\"{\"\"category\"\":\"\"=HYPERLINK(\\\"\"x\\\"\")\"\"}\"");
  }

  // --- live: Kafka to the page

  @Test
  void theAlertStreamSendsEachAlertUpdateFromKafka() throws Exception {
    HttpResponse<String> notSse = get("/v1/alerts/stream", VIEWER);
    assertThat(notSse.statusCode()).isEqualTo(406);
    HttpResponse<Stream<String>> stream =
        HTTP.send(
            request(
                "GET",
                "/v1/alerts/stream",
                "Bearer " + VIEWER,
                null,
                Map.of("Accept", "text/event-stream")),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    Iterator<String> lines = stream.body().iterator();
    Alert live =
        Fixtures.alert(
            "A-LIVE", "FALL_DETECTED", Fixtures.GRID_B, Severity.IMPORTANT, Instant.now());
    Fixtures.publish(stack.kafkaBootstrap(), Topics.ALERTS, Alert.class, live);
    CompletableFuture<JsonNode> event =
        CompletableFuture.supplyAsync(
            () -> {
              String name = null;
              while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("event: ")) name = line.substring(7);
                if (line.startsWith("data: ") && "alert".equals(name)) {
                  JsonNode a = json(line.substring(6));
                  if (a.path("alertId").asText().equals("A-LIVE")) return a;
                }
              }
              return null;
            });
    JsonNode a = event.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
    stream.body().close();
    // the shape of a gf-alerts document
    assertThat(a.path("severity").asText()).isEqualTo("IMPORTANT");
    assertThat(a.path("location").path("lat").asDouble()).isEqualTo(43.605);
    assertThat(a.path("firstSeen").asText()).isEqualTo(live.getFirstSeen().toString());
    assertThat(a.path("evidence").size()).isEqualTo(1);
  }

  @Test
  void aCommandsOutcomeIsTheOrderItMovedOrTheDeadLetterThatRefusedIt() throws Exception {
    Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    WorkOrder order = Fixtures.workOrder("WO.A-OUTCOME", "A-OUTCOME", Fixtures.GRID_B, created);
    Fixtures.index(stack.elasticsearchUrl(), Documents.workOrder(order));
    JsonNode grab =
        json(
            post(
                    "/v1/workorders/WO.A-OUTCOME/commands",
                    OPERATOR,
                    "{\"action\":\"GRAB\",\"actor\":\"street:S01\"}")
                .body());
    JsonNode rate =
        json(
            post(
                    "/v1/workorders/WO.A-OUTCOME/commands",
                    OPERATOR,
                    "{\"action\":\"RATE\",\"actor\":\"district\",\"rating\":4}")
                .body());

    // what the loop would answer: the GRAB applied, the RATE refused (not handled yet)
    List<WorkOrderEvent> history = new ArrayList<>(order.getHistory());
    history.add(
        new WorkOrderEvent(
            "GRAB", "street:S01", "street:S01", Instant.parse(grab.path("ts").asText()), null));
    Fixtures.publish(
        stack.kafkaBootstrap(),
        Topics.WORKORDERS,
        WorkOrder.class,
        WorkOrder.newBuilder(order)
            .setStatus(WorkOrderStatus.GRABBED)
            .setAssignee("street:S01")
            .setHistory(history)
            .build());
    String rateJson =
        "{\"orderId\":\"WO.A-OUTCOME\",\"action\":\"RATE\",\"actor\":\"district\",\"ts\":\""
            + rate.path("ts").asText()
            + "\",\"rating\":4}";
    KafkaProbe.send(
        stack.kafkaBootstrap(),
        Topics.DEADLETTER,
        "command",
        new DeadLetter(
                InputSource.COMMAND,
                Reason.ILLEGAL_TRANSITION,
                "RATE is not allowed while order WO.A-OUTCOME is GRABBED",
                rateJson,
                System.currentTimeMillis(),
                "gf.workorder-commands")
            .toJson());

    JsonNode applied = awaitOutcome("WO.A-OUTCOME", grab.path("commandId").asText());
    assertThat(applied.path("state").asText()).isEqualTo("APPLIED");
    assertThat(applied.path("status").asText()).isEqualTo("GRABBED");
    JsonNode refused = awaitOutcome("WO.A-OUTCOME", rate.path("commandId").asText());
    assertThat(refused.path("state").asText()).isEqualTo("REFUSED");
    assertThat(refused.path("reason").asText()).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(refused.path("detail").asText()).contains("GRABBED");
    assertThat(get("/v1/workorders/WO.A-OUTCOME/commands/nope", VIEWER).statusCode())
        .isEqualTo(404);

    // the same dead letter counts in the health view, by reason and source
    JsonNode health = json(get("/v1/health", VIEWER).body());
    assertThat(
            health.path("deadLettersLastHour").path("byReason").path("ILLEGAL_TRANSITION").asInt())
        .isPositive();
    assertThat(health.path("deadLettersLastHour").path("bySource").path("command").asInt())
        .isPositive();
  }

  @Test
  void healthShowsWhatTheConsoleSeesWhereTheLauncherReportsNothing() throws Exception {
    JsonNode h = json(get("/v1/health", VIEWER).body());
    assertThat(h.path("components").path("kafka").path("state").asText())
        .as(h.toString())
        .isEqualTo("UP");
    assertThat(h.path("components").path("elasticsearch").path("state").asText()).isEqualTo("UP");
    assertThat(h.path("lastIndexedAt").asText()).isNotEmpty();
    assertThat(h.has("inputsPerSecond")).isTrue();
    assertThat(h.has("lastCheckpoint")).isTrue();
    assertThat(h.has("indexingLagRecords")).isTrue();
  }

  // --- the description

  @Test
  void theServedRoutesAreThoseOfTheOpenApiDescription() throws Exception {
    JsonNode served = json(get("/v1/openapi.json", null).body());
    Set<String> described = new HashSet<>();
    served
        .path("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> described.add(m.toUpperCase() + " " + p.getKey())));
    assertThat(new HashSet<>(console.apiRoutes())).isEqualTo(described);
    // and the served description is the one kept in the repository
    assertThat(get("/v1/openapi.yaml", null).body())
        .isEqualTo(Files.readString(Path.of("src/main/resources/openapi.yaml")));
  }

  // --- helpers

  private JsonNode awaitOutcome(String orderId, String commandId) {
    return Await.until(
        "an outcome of command " + commandId,
        () -> json(get("/v1/workorders/" + orderId + "/commands/" + commandId, VIEWER).body()),
        outcome -> !outcome.path("state").asText().equals("PENDING"),
        WITHIN);
  }

  private static List<String> alertIds(String path) throws Exception {
    HttpResponse<String> r = get(path, VIEWER);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json(r.body()).path("alerts").findValuesAsText("alertId");
  }

  private static List<String> recordIds(String path) throws Exception {
    HttpResponse<String> r = get(path.replace(" ", "%20"), VIEWER);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json(r.body()).path("records").findValuesAsText("recordId");
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    return call("GET", path, token == null ? null : "Bearer " + token, null, Map.of());
  }

  static HttpResponse<String> post(String path, String token, String body) throws Exception {
    return call("POST", path, token == null ? null : "Bearer " + token, body, Map.of());
  }

  static HttpResponse<String> call(
      String method, String path, String authorization, String body, Map<String, String> headers)
      throws Exception {
    return HTTP.send(
        request(method, path, authorization, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest request(
      String method, String path, String authorization, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(console.url() + path.substring(1)))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) b.header("Authorization", authorization);
    if (body != null) b.header("Content-Type", "application/json");
    headers.forEach(b::header);
    return b.build();
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }
}
