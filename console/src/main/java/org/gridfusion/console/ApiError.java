package org.gridfusion.console;

/**
 * An API answer other than success, as {@code {"error": CODE, "message": ...}} with its HTTP
 * status: thrown from a handler, written by the server's exception handler.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ApiError unauthorized() {
    return new ApiError(
        401,
        "UNAUTHORIZED",
        "send Authorization: Bearer <token> (a console.tokens entry), or log in on the console page");
  }

  static ApiError forbidden(String why) {
    return new ApiError(403, "FORBIDDEN", why);
  }

  static ApiError badRequest(String code, String why) {
    return new ApiError(400, code, why);
  }

  static ApiError notFound(String what) {
    return new ApiError(404, "NOT_FOUND", what);
  }

  static ApiError unavailable(String why) {
    return new ApiError(503, "UNAVAILABLE", why);
  }
}
