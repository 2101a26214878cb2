package org.gridfusion.jobs.rules;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.gridfusion.schema.Severity;

/**
 * The kinds of rule the rule file can express. Each is evaluated per grid by {@link RuleEngine};
 * the ten default rules of contract §5 are instances written in {@code rules/default-rules.yaml}.
 */
public sealed interface Rule extends Serializable {
  String id();

  String title();

  Severity severity();

  List<Escalation> escalate();

  /** How long the engine must remember a record for this rule. */
  Duration memory();

  /**
   * One record at or above a threshold ({@code WATERLOGGING}, {@code MANHOLE_DISPLACED}, {@code
   * FALL_DETECTED}).
   */
  record Threshold(
      String id, String title, Match match, Severity severity, List<Escalation> escalate)
      implements Rule {
    @Override
    public Duration memory() {
      return Duration.ZERO;
    }
  }

  /**
   * {@code count} consecutive readings of one device at or above the threshold ({@code GAS_LEAK}).
   */
  record Consecutive(
      String id, String title, Match match, int count, Severity severity, List<Escalation> escalate)
      implements Rule {
    @Override
    public Duration memory() {
      return Duration.ofHours(1);
    }
  }

  /**
   * At least {@code count} matching records in the grid within {@code within} ({@code
   * CROWD_GATHERING}).
   */
  record Count(
      String id,
      String title,
      Match match,
      int count,
      Duration within,
      Severity severity,
      List<Escalation> escalate)
      implements Rule {
    @Override
    public Duration memory() {
      return within;
    }
  }

  /**
   * A record of each of two kinds in the grid within {@code within} of each other ({@code
   * FIRE_CONFIRMED}); a record left without a partner once {@code within} has passed in event time
   * raises the {@code unmatched} rule ({@code FIRE_SUSPECTED}).
   */
  record CoOccurrence(
      String id,
      String title,
      Match first,
      Match second,
      Duration within,
      Severity severity,
      List<Escalation> escalate,
      Unmatched unmatched)
      implements Rule {
    @Override
    public Duration memory() {
      return within.multipliedBy(2);
    }
  }

  /** The complement of a co-occurrence rule. */
  record Unmatched(String id, String title, Severity severity) implements Serializable {}

  /**
   * One device's readings stay at or above the threshold for {@code lasting}, within local hours
   * {@code from}–{@code to} (which may wrap midnight) ({@code NIGHT_NOISE}).
   */
  record Lasting(
      String id,
      String title,
      Match match,
      Duration lasting,
      LocalTime from,
      LocalTime to,
      Severity severity,
      List<Escalation> escalate)
      implements Rule {
    @Override
    public Duration memory() {
      return lasting;
    }

    public boolean inHours(LocalTime t) {
      return from.isBefore(to)
          ? !t.isBefore(from) && t.isBefore(to)
          : !t.isBefore(from) || t.isBefore(to);
    }
  }

  /**
   * A subject registered by a department record ({@code subjectType}, whose attribute {@code
   * deviceAttribute} names a device) whose device reports nothing matching for {@code silence} of
   * event time ({@code ELDERLY_INACTIVE}).
   */
  record Absence(
      String id,
      String title,
      String subjectType,
      String deviceAttribute,
      Match match,
      Duration silence,
      Severity severity,
      List<Escalation> escalate)
      implements Rule {
    @Override
    public Duration memory() {
      return silence;
    }
  }
}
