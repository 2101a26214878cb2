package org.gridfusion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.gridfusion.common.config.Config;
import org.gridfusion.common.config.ConsoleToken.Role;
import org.gridfusion.common.config.GridFusionOptions;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.health.HealthStatus;
import org.gridfusion.common.json.Json;
import org.gridfusion.console.Access.Permission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console and the platform API of contract §9 on one port: the page (static files and
 * WebJars), the JSON API under {@code /v1} (reads from Elasticsearch, commands to Kafka, live
 * updates from Kafka as server-sent events) and its OpenAPI description. Javalin on Jetty.
 *
 * <p>Inputs: {@link ConsoleSettings} and a {@code Supplier<HealthStatus>} from whoever runs the
 * pipeline (the launcher). Outputs: commands on {@code gf.workorder-commands}; nothing else is
 * written anywhere.
 */
public final class ConsoleServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
  static final String OPENAPI = "/openapi.yaml";
  private static final Duration ONE_TIME_LOGIN = Duration.ofHours(24);

  private final Javalin app;
  private final Access access;
  private final EventHub hub;
  private final LiveFeed feed;
  private final Search search;
  private final CommandSender sender;
  private final String host;

  private ConsoleServer(
      Javalin app,
      Access access,
      EventHub hub,
      LiveFeed feed,
      Search search,
      CommandSender sender,
      String host) {
    this.app = app;
    this.access = access;
    this.hub = hub;
    this.feed = feed;
    this.search = search;
    this.sender = sender;
    this.host = host;
  }

  /** Starts the console as configured (console.*, kafka.bootstrap, elasticsearch.url, grid map). */
  public static ConsoleServer start(Config config, Supplier<HealthStatus> health)
      throws InterruptedException {
    return start(
        ConsoleSettings.from(config),
        new TimeWindow(
            config.get(GridFusionOptions.VALIDATION_MAX_FUTURE),
            config.get(GridFusionOptions.VALIDATION_HORIZON)),
        health);
  }

  public static ConsoleServer start(
      ConsoleSettings settings, TimeWindow window, Supplier<HealthStatus> health)
      throws InterruptedException {
    Clock clock = Clock.systemUTC();
    Access access = new Access(settings.tokens(), settings.sessionTtl(), clock);
    EventHub hub = new EventHub();
    CommandOutcomes outcomes = new CommandOutcomes(clock);
    PipelineCounters counters = new PipelineCounters();
    Search search = new Search(settings.elasticsearch());
    CommandSender sender = new CommandSender(settings.kafka());
    LiveFeed feed =
        new LiveFeed(settings.kafka(), hub, outcomes, counters, clock)
            .start(Duration.ofSeconds(20));
    try {
      GridMap map = new GridMap(settings.gridMap());
      Api api =
          new Api(
              access,
              hub,
              new GridsApi(map, search, clock),
              new AlertsApi(search),
              new WorkOrdersApi(search, sender, outcomes, window, clock),
              new RecordsApi(search),
              new HealthApi(health, feed, counters, search, hub, clock),
              openApi());
      Javalin app =
          Javalin.create(config -> configure(config, settings, api))
              .start(settings.bind(), settings.port());
      String host =
          settings.bind().equals("0.0.0.0") || settings.bind().equals("::")
              ? "127.0.0.1"
              : settings.bind();
      ConsoleServer server = new ConsoleServer(app, access, hub, feed, search, sender, host);
      LOG.info("Console at {}", server.url());
      return server;
    } catch (RuntimeException | IOException e) {
      hub.close();
      feed.close();
      sender.close();
      search.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** The handlers, grouped for {@link #configure}. */
  private record Api(
      Access access,
      EventHub hub,
      GridsApi grids,
      AlertsApi alerts,
      WorkOrdersApi workOrders,
      RecordsApi records,
      HealthApi health,
      JsonNode openApi) {}

  private static void configure(JavalinConfig config, ConsoleSettings settings, Api api) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
    config.http.maxRequestSize = 64 * 1024;
    // -Dgridfusion.console.webDir=console/target/classes/console serves the page from a directory,
    // so a front-end change shows on reload without rebuilding the jar (development only)
    String webDir = System.getProperty("gridfusion.console.webDir");
    config.staticFiles.add(
        f -> {
          f.hostedPath = "/";
          f.directory = webDir == null ? "/console" : webDir;
          f.location = webDir == null ? Location.CLASSPATH : Location.EXTERNAL;
          f.headers = Map.of("Cache-Control", "no-cache");
        });
    config.staticFiles.enableWebjars();

    var r = config.routes;
    r.before(ConsoleServer::securityHeaders);
    r.beforeMatched(api.access()::check);

    Access access = api.access();
    String zone = settings.timeZone();
    r.post("/v1/session", ctx -> login(ctx, access, zone));
    r.get("/v1/session", ctx -> session(ctx, access, zone));
    r.delete("/v1/session", ctx -> logout(ctx, access), Permission.READ);
    r.get("/login", ctx -> oneTimeLogin(ctx, access));

    r.get("/v1/grids", api.grids()::grids, Permission.READ);
    r.get("/v1/grids/{gridId}", api.grids()::grid, Permission.READ);
    r.get("/v1/grids/{gridId}/risk", api.grids()::risk, Permission.READ);
    r.get("/v1/alerts", api.alerts()::alerts, Permission.READ);
    r.before("/v1/alerts/stream", ConsoleServer::requireEventStream);
    r.sse(
        "/v1/alerts/stream",
        client -> api.hub().open(client, Set.of(EventHub.ALERT)),
        Permission.READ);
    r.get("/v1/alerts/{alertId}", api.alerts()::alert, Permission.READ);
    r.before("/v1/events", ConsoleServer::requireEventStream);
    r.sse(
        "/v1/events",
        client -> api.hub().open(client, Set.of(EventHub.ALERT, EventHub.GRID, EventHub.WORKORDER)),
        Permission.READ);
    r.get("/v1/workorders", api.workOrders()::workOrders, Permission.READ);
    r.get("/v1/workorders/{orderId}", api.workOrders()::workOrder, Permission.READ);
    r.post("/v1/workorders/{orderId}/commands", api.workOrders()::command, Permission.COMMAND);
    r.get(
        "/v1/workorders/{orderId}/commands/{commandId}",
        api.workOrders()::commandOutcome,
        Permission.READ);
    r.get("/v1/records", api.records()::records, Permission.READ);
    r.get("/v1/health", api.health()::health, Permission.READ);
    r.get("/v1/openapi.json", ctx -> ctx.json(api.openApi()));
    r.get(
        "/v1/openapi.yaml",
        ctx -> ctx.contentType("application/yaml; charset=utf-8").result(openApiText()));

    r.exception(
        ApiError.class,
        (e, ctx) -> {
          if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"gridfusion\"");
          ctx.status(e.status()).json(error(e.code(), e.getMessage()));
        });
    r.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.warn("A console request failed", e);
          try {
            ctx.status(500).json(error("INTERNAL", "the console failed: " + e));
          } catch (RuntimeException gone) {
            // the request is over (a stream the browser left): nothing to answer
          }
        });
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    // everything the page loads is its own: no inline scripts, no other origins
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
            + " form-action 'self'");
  }

  /** Javalin's event-stream handler answers only {@code Accept: text/event-stream}; say so. */
  private static void requireEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ApiError(
          406, "NOT_ACCEPTABLE", "a server-sent event stream: send Accept: text/event-stream");
    }
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("error", code);
    n.put("message", message);
    return n;
  }

  /** {@code POST /v1/session} {@code {"token": ...}}: the page's login. */
  private static void login(Context ctx, Access access, String zone) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ctx.body());
    } catch (IOException e) {
      throw ApiError.badRequest("MALFORMED", "the body must be {\"token\": \"...\"}");
    }
    String token = body == null ? null : body.path("token").asText(null);
    Role role =
        access.roleOf(token == null ? null : token.trim()).orElseThrow(ApiError::unauthorized);
    Access.Session s = access.login(role);
    ctx.header("Set-Cookie", access.cookie(s));
    ctx.header("Cache-Control", "no-store");
    ctx.json(sessionJson(new Access.Principal(role, s), zone));
  }

  /**
   * {@code GET /v1/session}: who the caller is, {@code {"authenticated": false}} when nobody (not a
   * 401: the page asks this first, and a browser logs every 401 as an error).
   */
  private static void session(Context ctx, Access access, String zone) {
    ctx.header("Cache-Control", "no-store");
    ctx.json(sessionJson(access.authenticate(ctx), zone));
  }

  private static ObjectNode sessionJson(Access.Principal p, String zone) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("authenticated", p != null);
    if (p == null) return n;
    n.put("role", p.role().wire());
    n.put("timeZone", zone);
    if (p.session() != null) {
      n.put("csrfToken", p.session().csrf());
      n.put("expiresAt", p.session().expiresAt().toString());
    }
    return n;
  }

  private static void logout(Context ctx, Access access) {
    Access.Principal p = Access.principal(ctx);
    if (p.session() != null) access.logout(p.session());
    ctx.header("Set-Cookie", Access.expiredCookie());
    ctx.status(204);
  }

  /** {@code GET /login?once=CODE}: the link {@code up} prints; logs in once, then the page. */
  private static void oneTimeLogin(Context ctx, Access access) {
    var role = access.redeem(ctx.queryParam("once"));
    if (role.isEmpty()) {
      ctx.redirect("/?login=expired", HttpStatus.SEE_OTHER);
      return;
    }
    Access.Session s = access.login(role.get());
    ctx.header("Set-Cookie", access.cookie(s));
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  static String openApiText() throws IOException {
    try (InputStream in = ConsoleServer.class.getResourceAsStream(OPENAPI)) {
      if (in == null) throw new IOException("missing resource " + OPENAPI);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode openApi() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(openApiText());
  }

  /** Where the page is, e.g. {@code http://127.0.0.1:8090/}. */
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
  }

  public int port() {
    return app.port();
  }

  /**
   * A link that logs its first visitor in as {@code role} within 24 h: for a console whose token
   * was generated and printed, so a new user opens it without copying the token.
   */
  public String oneTimeLoginUrl(Role role) {
    return url() + "login?once=" + access.oneTimeLogin(role, ONE_TIME_LOGIN);
  }

  /** Every API route as {@code METHOD path} (Javalin's path syntax), for the OpenAPI check. */
  List<String> apiRoutes() {
    List<String> out = new ArrayList<>();
    for (ParsedEndpoint e : app.unsafe.internalRouter.allHttpHandlers()) {
      HandlerType t = e.endpoint.method;
      if (t.isHttpMethod() && e.endpoint.path.startsWith("/v1/")) {
        out.add(t.name() + " " + e.endpoint.path);
      }
    }
    return out;
  }

  @Override
  public void close() {
    hub.close(); // while the server still holds the streams' requests
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.debug("stopping the console", e);
    }
    feed.close();
    sender.close();
    search.close();
  }
}
