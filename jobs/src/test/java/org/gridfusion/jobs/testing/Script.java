package org.gridfusion.jobs.testing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one partition of a {@link ScriptedSource} plays, in order: elements, and the points where it
 * waits — for a condition on the collected outputs (an ordering between inputs that travel
 * different paths, e.g. a context record processed before the events it escalates), or at a named
 * hold the test releases (or never does, to stop there).
 *
 * <p>A partition is like a Kafka partition: its elements keep their order, it has its own watermark
 * and holds the job's event time back while it waits.
 */
public final class Script<T> implements Serializable {
  /** One step of a script. */
  public sealed interface Step<T> extends Serializable {}

  record Emit<T>(T element) implements Step<T> {}

  record Await<T>(String description, Condition condition) implements Step<T> {}

  record Hold<T>(String name) implements Step<T> {}

  /** A condition on what the job has emitted so far in this run. */
  @FunctionalInterface
  public interface Condition extends Serializable {
    boolean holds(CollectedOutputs outputs);
  }

  private final String name;
  private final List<Step<T>> steps = new ArrayList<>();

  Script(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  @SafeVarargs
  public final Script<T> emit(T... elements) {
    for (T e : elements) steps.add(new Emit<>(e));
    return this;
  }

  public Script<T> emit(List<T> elements) {
    for (T e : elements) steps.add(new Emit<>(e));
    return this;
  }

  /** Waits until {@code condition} holds for the outputs collected in this run. */
  public Script<T> await(String description, Condition condition) {
    steps.add(new Await<>(description, condition));
    return this;
  }

  /** Waits until the test releases {@code hold} ({@link TestRun#release}), if ever. */
  public Script<T> hold(String hold) {
    steps.add(new Hold<>(hold));
    return this;
  }

  List<Step<T>> steps() {
    return Collections.unmodifiableList(steps);
  }

  /** How many elements the script emits. */
  public int elements() {
    return (int) steps.stream().filter(s -> s instanceof Emit<T>).count();
  }

  boolean isEmpty() {
    return steps.isEmpty();
  }
}
