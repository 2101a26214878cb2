package org.gridfusion.simulator.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.simulator.traffic.TrafficSink;
import org.gridfusion.simulator.traffic.TrafficSource;

/**
 * Sends a {@link ScenarioPlan} through a {@link TrafficSink} step by step and records the truth.
 *
 * <p>A step is sent once the wall clock has reached its last input's event time (a scenario set in
 * the past goes out at once; one set in the present plays in real time, since the contract refuses
 * readings from the future): readings and camera events one by one, each acknowledged before the
 * next and {@code inputSpacing} apart. The moment everything was acknowledged is the step's {@code
 * sentAt}.
 *
 * <p>Department records go first, and {@code contextSettle} before the rest: they travel through
 * the inbox, which is polled, and an escalation (a police call before a crowd, a dispute before
 * night noise) only counts if its record reached the rules before the deciding input. All records
 * already due are sent together in one file at the start.
 *
 * <p>The player only sends what the scenario says. Rules that wait for event time to pass (a
 * suspected fire, a day of silence) need event time to move on afterwards: background traffic does
 * that, or {@link #tick} readings.
 */
public final class ScenarioPlayer {
  private final TrafficSink sink;
  private final Clock clock;
  private final Consumer<String> log;
  private final Duration contextSettle;
  private final Duration inputSpacing;

  /**
   * @param contextSettle pause after department records, for the inbox to pick them up
   * @param inputSpacing pause between the inputs of one step: a replay packs an incident's minutes
   *     into milliseconds, and the pipeline keeps no order between inputs that close (its
   *     de-duplication redistributes records by id before the rules see them), so 24, 18.5, 25 %LEL
   *     could be judged as 24, 25; a few hundred milliseconds, beyond Flink's buffer timeout, keep
   *     them in order
   */
  public ScenarioPlayer(
      TrafficSink sink,
      Clock clock,
      Duration contextSettle,
      Duration inputSpacing,
      Consumer<String> log) {
    this.sink = sink;
    this.clock = clock;
    this.contextSettle = contextSettle;
    this.inputSpacing = inputSpacing;
    this.log = log == null ? s -> {} : log;
  }

  public TruthFile play(ScenarioPlan plan) throws InterruptedException {
    TruthFile.Builder truth = new TruthFile.Builder(plan.name()).cover(plan.from(), plan.to());
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    for (ScenarioStep step : plan.steps()) {
      departments(step).stream()
          .filter(i -> !i.eventTime().isAfter(now))
          .forEach(i -> due.add(i.payload()));
    }
    Instant contextSent = null;
    if (!due.isEmpty()) {
      sink.sendDepartment(due);
      sink.flush();
      contextSent = clock.instant();
      log.accept(
          "sent "
              + due.size()
              + " department records; waiting "
              + contextSettle.toMillis()
              + " ms for the inbox");
      Thread.sleep(contextSettle.toMillis());
    }
    for (ScenarioStep step : plan.steps()) {
      Duration wait = Duration.between(clock.instant(), step.lastEventTime());
      if (!wait.isNegative() && !wait.isZero()) Thread.sleep(wait.toMillis());
      List<TrafficItem> late =
          departments(step).stream().filter(i -> i.eventTime().isAfter(now)).toList();
      if (!late.isEmpty()) {
        sink.sendDepartment(late.stream().map(TrafficItem::payload).toList());
        sink.flush();
        Thread.sleep(contextSettle.toMillis());
      }
      List<TrafficItem> rest =
          step.items().stream().filter(i -> i.source() != TrafficSource.DEPARTMENT).toList();
      send(rest, !step.feedOutage());
      // A step of department records alone (an elderly person registered) was sent with the
      // context.
      Instant sentAt =
          rest.isEmpty() && late.isEmpty() && contextSent != null ? contextSent : clock.instant();
      Instant evidenceFrom = rest.isEmpty() ? step.lastEventTime() : rest.get(0).eventTime();
      step.expected().ifPresent(t -> truth.expect(t, evidenceFrom, sentAt, step.label()));
      if (!step.mustNotRaise().isEmpty()) {
        truth.nearMiss(
            step.label(), step.gridId(), step.lastEventTime(), step.mustNotRaise(), sentAt);
      }
      log.accept(
          "sent "
              + step.label()
              + " in "
              + step.gridId()
              + step.expected()
                  .map(t -> " (expect " + t.ruleId() + " " + t.severity() + ")")
                  .orElse(
                      " (expect nothing" + " from " + String.join("/", step.mustNotRaise()) + ")"));
    }
    return truth.build();
  }

  /**
   * A harmless reading (a temperature within the everyday range) dated {@code at}: it moves the
   * pipeline's event time on, so that rules waiting for time fire, without touching any rule of §5.
   */
  public void tick(String temperatureDeviceId, Instant at) {
    sink.sendSensor(
        "gf/sensors/TEMPERATURE/" + temperatureDeviceId, "{\"ts\":\"" + at + "\",\"value\":21.5}");
    sink.flush();
  }

  private static List<TrafficItem> departments(ScenarioStep step) {
    return step.items().stream().filter(i -> i.source() == TrafficSource.DEPARTMENT).toList();
  }

  /**
   * @param spaced {@code inputSpacing} between inputs; a feed outage's are each from another
   *     device, no rule judges them together, and they are many (every sensor twice)
   */
  private void send(List<TrafficItem> items, boolean spaced) throws InterruptedException {
    // One at a time, each acknowledged before the next, as a device reports: rules judge runs and
    // counts as the inputs arrive, and inputs overtaking each other in flight would make gas
    // readings
    // of 24, 18.5, 25 look like 24, 25, or date a crowd by its second sighting instead of its
    // third.
    for (int n = 0; n < items.size(); n++) {
      if (n > 0 && spaced) Thread.sleep(inputSpacing.toMillis());
      TrafficItem i = items.get(n);
      if (i.source() == TrafficSource.SENSOR) sink.sendSensor(i.topic(), i.payload());
      else sink.sendCameraBatch(List.of(i.payload()));
      sink.flush();
    }
  }
}
