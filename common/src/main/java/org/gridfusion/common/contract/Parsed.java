package org.gridfusion.common.contract;

/** The outcome of reading one input: a value, or why it was refused. */
public sealed interface Parsed<T> {
  record Ok<T>(T value) implements Parsed<T> {}

  record Rejected<T>(Rejection rejection) implements Parsed<T> {}

  static <T> Parsed<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Parsed<T> rejected(Reason reason, String detail) {
    return new Rejected<>(new Rejection(reason, detail));
  }
}
