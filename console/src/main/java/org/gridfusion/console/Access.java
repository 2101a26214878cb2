package org.gridfusion.console;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gridfusion.common.config.ConsoleToken;
import org.gridfusion.common.config.ConsoleToken.Role;

/**
 * Who may use the console and the API (contract §9). An API client sends {@code Authorization:
 * Bearer <token>} with every request; the page logs in once with the same token and then holds an
 * HttpOnly, {@code SameSite=Strict} session cookie. Requests that change something and come with
 * the cookie must also carry the session's CSRF token in {@code X-CSRF-Token}: a cookie travels
 * with any request the browser makes, a header only with the page's own. Bearer requests need no
 * CSRF token, as no browser attaches a bearer token by itself.
 *
 * <p>Tokens are kept as SHA-256 digests and looked up by digest, so comparing them leaks nothing
 * through timing. Sessions live in memory: a restarted console asks the page to log in again.
 */
final class Access {
  static final String COOKIE = "gf_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String PRINCIPAL = "gridfusion.principal";
  private static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a route needs; a route with neither is public. */
  enum Permission implements RouteRole {
    /** any valid credential: viewer or operator */
    READ,
    /** an operator's: sending work-order commands */
    COMMAND
  }

  /** Who is calling: a role, and the session when the call came with the page's cookie. */
  record Principal(Role role, Session session) {}

  record Session(String id, Role role, String csrf, Instant expiresAt) {}

  private record OneTime(Role role, Instant expiresAt) {}

  private final Map<String, Role> roleByDigest = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, OneTime> oneTime = new ConcurrentHashMap<>();
  private final Duration sessionTtl;
  private final Clock clock;

  Access(List<ConsoleToken> tokens, Duration sessionTtl, Clock clock) {
    tokens.forEach(t -> roleByDigest.put(digest(t.token()), t.role()));
    this.sessionTtl = sessionTtl;
    this.clock = clock;
  }

  Optional<Role> roleOf(String token) {
    return token == null ? Optional.empty() : Optional.ofNullable(roleByDigest.get(digest(token)));
  }

  /** A new session for {@code role}; the oldest sessions give way beyond a bound. */
  Session login(Role role) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> s.expiresAt().isBefore(now));
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
          .ifPresent(s -> sessions.remove(s.id()));
    }
    Session s = new Session(random(32), role, random(24), now.plus(sessionTtl));
    sessions.put(s.id(), s);
    return s;
  }

  void logout(Session s) {
    sessions.remove(s.id());
  }

  /**
   * A link code that logs in once as {@code role}: what {@code up} and {@code demo} print, so a new
   * user opens the console without copying a token. Used or expired, it is worth nothing.
   */
  String oneTimeLogin(Role role, Duration valid) {
    String code = random(24);
    oneTime.put(code, new OneTime(role, clock.instant().plus(valid)));
    return code;
  }

  Optional<Role> redeem(String code) {
    if (code == null) return Optional.empty();
    OneTime o = oneTime.remove(code);
    return o == null || o.expiresAt().isBefore(clock.instant())
        ? Optional.empty()
        : Optional.of(o.role());
  }

  /** The cookie that carries {@code s}: HttpOnly, same-site only, gone when the session ends. */
  String cookie(Session s) {
    return COOKIE
        + "="
        + s.id()
        + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + sessionTtl.toSeconds();
  }

  static String expiredCookie() {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  /**
   * Runs before every matched route: lets public routes through, otherwise finds the caller and
   * refuses with 401 (no valid credentials), or 403 (a viewer's command, or a cookie request that
   * changes something without the session's CSRF token).
   */
  void check(Context ctx) {
    Set<RouteRole> needed = ctx.routeRoles();
    if (needed.isEmpty()) return;
    Principal p = authenticate(ctx);
    if (p == null) throw ApiError.unauthorized();
    if (needed.contains(Permission.COMMAND) && p.role() != Role.OPERATOR) {
      throw ApiError.forbidden("a " + p.role().wire() + " may read but not send commands");
    }
    boolean changes = !List.of("GET", "HEAD", "OPTIONS").contains(ctx.method().name());
    if (changes && p.session() != null) {
      String csrf = ctx.header(CSRF_HEADER);
      if (csrf == null
          || !MessageDigest.isEqual(
              csrf.getBytes(StandardCharsets.UTF_8),
              p.session().csrf().getBytes(StandardCharsets.UTF_8))) {
        throw ApiError.forbidden(
            "a request with the session cookie that changes something needs the session's "
                + CSRF_HEADER
                + " header");
      }
    }
    ctx.attribute(PRINCIPAL, p);
  }

  static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /** The bearer token if one is sent (a wrong one is not replaced by a cookie), else the cookie. */
  Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
      return roleOf(header.substring(7).trim()).map(r -> new Principal(r, null)).orElse(null);
    }
    String id = ctx.cookie(COOKIE);
    if (id == null) return null;
    Session s = sessions.get(id);
    if (s == null) return null;
    if (s.expiresAt().isBefore(clock.instant())) {
      sessions.remove(id);
      return null;
    }
    return new Principal(s.role(), s);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
