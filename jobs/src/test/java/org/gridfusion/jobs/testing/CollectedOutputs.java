package org.gridfusion.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.gridfusion.common.json.Json;
import org.gridfusion.schema.Alert;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.Severity;
import org.gridfusion.schema.WorkOrder;
import org.gridfusion.schema.WorkOrderEvent;

/**
 * What the job emitted in one run, by output ({@link TestSinks}), with views that leave out what
 * the wall clock decides ({@code detectedAt}, a dead letter's {@code receivedAt} for commands) so
 * tests can compare everything else exactly.
 *
 * <p>Outputs of one key (one alert, one order, one grid's scores) arrive in the order the job
 * emitted them; outputs of different keys interleave as the parallel subtasks happened to run, so
 * the views sort by key and keep the emission order within one.
 */
public final class CollectedOutputs {
  private final Map<String, List<Object>> outputs;
  private final Map<String, long[]> collectedAt;

  CollectedOutputs(Map<String, List<Object>> outputs, Map<String, long[]> collectedAt) {
    this.outputs = outputs;
    this.collectedAt = collectedAt;
  }

  /**
   * The wall-clock time each element of {@code output} reached its sink, in the order of {@link
   * #get}.
   */
  public List<Instant> collectedAt(String output) {
    long[] t = collectedAt.getOrDefault(output, new long[0]);
    int n = Math.min(t.length, get(output).size());
    List<Instant> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(Instant.ofEpochMilli(t[i]));
    return out;
  }

  @SuppressWarnings("unchecked")
  public <T> List<T> get(String output) {
    return (List<T>) outputs.getOrDefault(output, List.of());
  }

  /**
   * Outputs written to a topic but not to its index, or the other way round ({@link
   * TestSinks#MIRRORED}); empty when the job wrote the same elements to both.
   */
  public List<String> unmirrored() {
    List<String> problems = new ArrayList<>();
    for (List<String> pair : TestSinks.MIRRORED) {
      List<Object> a = new ArrayList<>(get(pair.get(0)));
      List<Object> b = new ArrayList<>(get(pair.get(1)));
      for (Object o : get(pair.get(1))) a.remove(o);
      for (Object o : get(pair.get(0))) b.remove(o);
      a.forEach(o -> problems.add("only on " + pair.get(0) + ": " + o));
      b.forEach(o -> problems.add("only on " + pair.get(1) + ": " + o));
    }
    return problems;
  }

  // ------------------------------------------------------------------ records

  public List<Record> records() {
    return get(TestSinks.RECORDS);
  }

  /** The ids of the records of one grid on gf.records, sorted by event time and id. */
  public List<String> recordIdsIn(String gridId) {
    return records().stream()
        .filter(r -> r.getGridId().equals(gridId))
        .sorted(Comparator.comparing(Record::getTs).thenComparing(Record::getRecordId))
        .map(Record::getRecordId)
        .toList();
  }

  public boolean hasRecord(String recordId) {
    return records().stream().anyMatch(r -> r.getRecordId().equals(recordId));
  }

  // ------------------------------------------------------------------ alerts

  public List<Alert> alerts() {
    return get(TestSinks.ALERTS);
  }

  /** Every update of every alert of one grid: by first firing, rule and id, then as emitted. */
  public List<AlertUpdate> alertsIn(String gridId) {
    return alerts(a -> a.getGridId().equals(gridId));
  }

  public List<AlertUpdate> alerts(Predicate<Alert> which) {
    List<Alert> mine = new ArrayList<>(alerts().stream().filter(which).toList());
    // a stable sort: the updates of one alert keep their order
    mine.sort(
        Comparator.comparing(Alert::getFirstSeen)
            .thenComparing(Alert::getRuleId)
            .thenComparing(Alert::getAlertId));
    return mine.stream().map(AlertUpdate::of).toList();
  }

  public boolean hasAlert(Predicate<Alert> which) {
    return alerts().stream().anyMatch(which);
  }

  /** An alert as emitted, without the wall-clock {@code detectedAt}. */
  public record AlertUpdate(
      String alertId,
      String ruleId,
      String ruleVersion,
      Severity severity,
      String status,
      Instant firstSeen,
      Instant lastSeen,
      int count,
      List<String> evidence,
      Instant closedAt,
      String subjectRef) {
    static AlertUpdate of(Alert a) {
      return new AlertUpdate(
          a.getAlertId(),
          a.getRuleId(),
          a.getRuleVersion(),
          a.getSeverity(),
          a.getStatus(),
          a.getFirstSeen(),
          a.getLastSeen(),
          a.getCount(),
          List.copyOf(a.getEvidence()),
          a.getClosedAt(),
          a.getSubjectRef());
    }

    /** The first update of an alert with no subject, raised by the default rules. */
    public static AlertUpdate open(
        String ruleId,
        String gridId,
        Severity severity,
        Instant firstSeen,
        Instant lastSeen,
        int count,
        String... evidence) {
      return new AlertUpdate(
          ruleId + "." + gridId + "." + firstSeen.toEpochMilli(),
          ruleId,
          "default-1",
          severity,
          "OPEN",
          firstSeen,
          lastSeen,
          count,
          List.of(evidence),
          null,
          null);
    }

    /** The same alert, grown by a firing at {@code lastSeen} with {@code evidence} added. */
    public AlertUpdate grown(Severity severity, Instant lastSeen, String... more) {
      List<String> all = new ArrayList<>(evidence);
      for (String e : more) if (!all.contains(e)) all.add(e);
      return new AlertUpdate(
          alertId,
          ruleId,
          ruleVersion,
          severity,
          status,
          firstSeen,
          lastSeen,
          count + 1,
          all,
          closedAt,
          subjectRef);
    }

    /** The same alert's final update: closed at {@code at}. */
    public AlertUpdate closed(Instant at) {
      return new AlertUpdate(
          alertId,
          ruleId,
          ruleVersion,
          severity,
          "CLOSED",
          firstSeen,
          lastSeen,
          count,
          evidence,
          at,
          subjectRef);
    }

    public AlertUpdate version(String version) {
      return new AlertUpdate(
          alertId,
          ruleId,
          version,
          severity,
          status,
          firstSeen,
          lastSeen,
          count,
          evidence,
          closedAt,
          subjectRef);
    }

    /** The same alert about a subject (whose ref is part of its id). */
    public AlertUpdate subject(String ref) {
      return new AlertUpdate(
          ruleId
              + "."
              + alertId.substring(ruleId.length() + 1, alertId.lastIndexOf('.'))
              + "."
              + ref
              + alertId.substring(alertId.lastIndexOf('.')),
          ruleId,
          ruleVersion,
          severity,
          status,
          firstSeen,
          lastSeen,
          count,
          evidence,
          closedAt,
          ref);
    }

    @Override
    public String toString() {
      return alertId
          + " "
          + severity
          + " "
          + status
          + " x"
          + count
          + " "
          + firstSeen
          + ".."
          + lastSeen
          + (closedAt == null ? "" : " closed " + closedAt)
          + " v="
          + ruleVersion
          + (subjectRef == null ? "" : " subject=" + subjectRef)
          + " "
          + evidence
          + "\n";
    }
  }

  // ------------------------------------------------------------------ dead letters

  /** Dead letters as JSON, in the order they came. */
  public List<JsonNode> deadLetters() {
    List<String> texts = get(TestSinks.DEAD_LETTERS);
    return texts.stream().map(CollectedOutputs::json).toList();
  }

  /** Dead letters whose payload or origin contains {@code marker}, without their receipt time. */
  public List<DeadLetterView> deadLettersAbout(String marker) {
    return deadLetters().stream()
        .filter(
            d ->
                d.path("payload").asText().contains(marker)
                    || d.path("origin").asText().contains(marker))
        .map(DeadLetterView::of)
        .sorted(Comparator.comparing(DeadLetterView::toString))
        .toList();
  }

  /** A dead letter without {@code receivedAt}. */
  public record DeadLetterView(String source, String reason, String detail, String payload) {
    static DeadLetterView of(JsonNode d) {
      return new DeadLetterView(
          d.path("source").asText(),
          d.path("reason").asText(),
          d.path("detail").asText(),
          d.path("payload").asText());
    }
  }

  // ------------------------------------------------------------------ risk

  public List<RiskScore> risk() {
    return get(TestSinks.RISK);
  }

  /** One grid's scores, as emitted. */
  public List<RiskPoint> riskOf(String gridId) {
    return risk().stream().filter(r -> r.getGridId().equals(gridId)).map(RiskPoint::of).toList();
  }

  /** A score as emitted (the grid's description left out). */
  public record RiskPoint(
      Instant ts, double score, String level, int openAlerts, List<String> factors) {
    static RiskPoint of(RiskScore r) {
      return new RiskPoint(
          r.getTs(),
          r.getScore(),
          r.getLevel().name(),
          r.getOpenAlerts(),
          r.getFactors().stream().map(f -> f.getName() + "=" + f.getContribution()).toList());
    }

    @Override
    public String toString() {
      return ts + " " + score + " " + level + " open=" + openAlerts + " " + factors + "\n";
    }
  }

  // ------------------------------------------------------------------ work orders

  public List<WorkOrder> workOrders() {
    return get(TestSinks.WORK_ORDERS);
  }

  /** Every update of one order, as emitted. */
  public List<OrderUpdate> workOrder(String orderId) {
    return workOrders().stream()
        .filter(o -> o.getOrderId().equals(orderId))
        .map(OrderUpdate::of)
        .toList();
  }

  public List<String> orderIds() {
    return workOrders().stream().map(WorkOrder::getOrderId).distinct().sorted().toList();
  }

  /** A work order after one step; its history as {@code ACTION@ts actor->assignee}. */
  public record OrderUpdate(
      String status,
      String level,
      String assignee,
      List<String> departments,
      boolean overdue,
      Integer rating,
      Instant grabDeadline,
      Instant dueAt,
      List<String> history) {
    static OrderUpdate of(WorkOrder o) {
      return new OrderUpdate(
          o.getStatus().name(),
          o.getLevel().name(),
          o.getAssignee(),
          List.copyOf(o.getDepartments()),
          o.getOverdue(),
          o.getRating(),
          o.getGrabDeadline(),
          o.getDueAt(),
          o.getHistory().stream().map(OrderUpdate::step).toList());
    }

    /** A new order as an alert of {@code level} first seen {@code at} opens it (contract §6). */
    public static OrderUpdate reported(
        String level, Instant at, java.time.Duration grabWindow, java.time.Duration handling) {
      return new OrderUpdate(
          "REPORTED",
          level,
          null,
          List.of(),
          false,
          null,
          at.plus(grabWindow),
          at.plus(handling),
          List.of("REPORTED@" + at));
    }

    /** The order after a step: its status, assignee and the step's history entry. */
    public OrderUpdate then(String status, String assignee, String step) {
      List<String> h = new ArrayList<>(history);
      h.add(step);
      boolean grabbing = !status.equals("REPORTED");
      return new OrderUpdate(
          status,
          level,
          assignee,
          departments,
          overdue,
          rating,
          grabbing ? null : grabDeadline,
          dueAt,
          h);
    }

    public OrderUpdate withDepartments(String... names) {
      return new OrderUpdate(
          status, level, assignee, List.of(names), overdue, rating, grabDeadline, dueAt, history);
    }

    public OrderUpdate rated(int stars) {
      return new OrderUpdate(
          status, level, assignee, departments, overdue, stars, grabDeadline, dueAt, history);
    }

    /** The order flagged overdue at its deadline. */
    public OrderUpdate flaggedOverdue() {
      List<String> h = new ArrayList<>(history);
      h.add("OVERDUE@" + dueAt);
      return new OrderUpdate(
          status, level, assignee, departments, true, rating, grabDeadline, dueAt, h);
    }

    static String step(WorkOrderEvent e) {
      return e.getAction()
          + "@"
          + e.getTs()
          + (e.getActor() == null && e.getAssignee() == null
              ? ""
              : " "
                  + Objects.toString(e.getActor(), "")
                  + "->"
                  + Objects.toString(e.getAssignee(), ""));
    }

    @Override
    public String toString() {
      return status
          + " "
          + level
          + " assignee="
          + assignee
          + " departments="
          + departments
          + " overdue="
          + overdue
          + " rating="
          + rating
          + " grab<"
          + grabDeadline
          + " due="
          + dueAt
          + " "
          + history
          + "\n";
    }
  }

  private static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException("not JSON: " + s, e);
    }
  }
}
