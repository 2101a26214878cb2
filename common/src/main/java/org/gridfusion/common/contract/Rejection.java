package org.gridfusion.common.contract;

/** Why an input was refused: a contract reason code and a detail a person can act on. */
public record Rejection(Reason reason, String detail) {
  public DeadLetter toDeadLetter(InputSource source, String payload, long receivedAt) {
    return new DeadLetter(source, reason, detail, payload, receivedAt, null);
  }

  public DeadLetter toDeadLetter(
      InputSource source, String payload, long receivedAt, String origin) {
    return new DeadLetter(source, reason, detail, payload, receivedAt, origin);
  }

  @Override
  public String toString() {
    return reason + ": " + detail;
  }
}
