package org.gridfusion.common.contract;

/** Thrown inside the parsers only, turned into a {@link Parsed.Rejected} at their boundary. */
final class InvalidInput extends RuntimeException {
  final Reason reason;

  InvalidInput(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }
}
