package org.gridfusion.bench.esper;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.gridfusion.jobs.rules.Escalation;
import org.gridfusion.jobs.rules.Match;
import org.gridfusion.jobs.rules.Rule;
import org.gridfusion.jobs.rules.RuleSet;

/**
 * Any GridFusion rule set as Esper statements (issue 16): each rule written the way {@link
 * EsperRules} writes its default counterpart — a filter per threshold, a pattern per consecutive
 * rule, a time window with {@code having count(*)} per count rule, a named window of runs per
 * lasting rule, a heartbeat pattern per absence rule — with the rule's own parameters, so a city's
 * 1,000 rules become some 1,500 statements, as an Esper user would deploy them. Per-grid and
 * per-kind overrides become a {@code case} on the grid in the severity; an override that changes
 * more than the severity is refused (the benchmark's sets need no more).
 *
 * <p>The incident table and the shared event types are those of {@link EsperRules}; absence rules
 * share one register of watched doors per subject type (the rules differ only in silence).
 */
public final class EsperRuleSet {
  private EsperRuleSet() {}

  /** The EPL module for {@code set}. */
  public static String epl(RuleSet set) {
    StringBuilder epl = new StringBuilder(PREAMBLE);
    Set<String> registers = new LinkedHashSet<>();
    for (Rule rule : set.rules()) {
      String severity = severity(set, rule);
      if (rule instanceof Rule.Threshold t) threshold(epl, t, severity);
      else if (rule instanceof Rule.CoOccurrence c) coOccurrence(epl, c, severity);
      else if (rule instanceof Rule.Consecutive c) consecutive(epl, c, severity);
      else if (rule instanceof Rule.Count c) count(epl, c, severity);
      else if (rule instanceof Rule.Lasting l) lasting(epl, l, severity);
      else if (rule instanceof Rule.Absence a) absence(epl, a, severity, registers);
    }
    epl.append(EsperRules.INCIDENTS);
    return epl.toString();
  }

  // ---------------------------------------------------------------- rule kinds

  private static void threshold(StringBuilder epl, Rule.Threshold t, String severity) {
    String sev = sev(severity, t, "r", "r." + t.match().field(), "r.ts.toEpochMilli()");
    epl.append(
        """
        @name('%s') %s
        insert into Firing
        select '%s' as ruleId, %s as severity, r.gridId as gridId, r.ts.toEpochMilli() as ts
        from Record(%s) as r;

        """
            .formatted(
                t.id(), needsContext(t) ? "context PerGrid" : "", t.id(), sev, filter(t.match())));
  }

  private static void coOccurrence(StringBuilder epl, Rule.CoOccurrence c, String severity) {
    long w = c.within().toMillis();
    Match[] sides = {c.first(), c.second()};
    for (int side = 0; side < 2; side++) {
      Match mine = sides[side];
      Match other = sides[1 - side];
      String sev = sev(severity, c, "r", null, "r.ts.toEpochMilli()");
      epl.append(
          """
          @name('%1$s-%2$d') context PerGrid
          insert into Firing
          select '%1$s' as ruleId, %3$s as severity, r.gridId as gridId,
            (select min(ts.toEpochMilli()) from Record(%5$s)#time(%6$d msec)) as ts
          from Record(%4$s) as r
          where exists (select * from Record(%5$s)#time(%6$d msec));

          """
              .formatted(c.id(), side, sev, filter(mine), filter(other), w + 1));
      if (c.unmatched() == null) continue;
      epl.append(
          """
          @name('%1$s-%2$d') context PerGrid
          insert into Firing
          select '%1$s' as ruleId, %3$d as severity, p.s.gridId as gridId, p.s.ts.toEpochMilli() as ts
          from pattern [every s=Record(%4$s)
                        -> (timer:interval(%6$d msec) and not Record(%5$s))] as p
          where not exists (select * from Record(%5$s)#time(%7$d msec) o
                            where o.ts.toEpochMilli() >= p.s.ts.toEpochMilli() - %8$d);

          """
              .formatted(
                  c.unmatched().id(),
                  side,
                  c.unmatched().severity().ordinal(),
                  filter(mine),
                  filter(other),
                  w + 1,
                  2 * w + 60_000,
                  w));
    }
  }

  private static void consecutive(StringBuilder epl, Rule.Consecutive c, String severity) {
    Match m = c.match();
    int n = c.count();
    if (n < 2) throw new UnsupportedOperationException(c.id() + ": a run of one is a threshold");
    String last = "a" + (n - 1);
    StringBuilder chain = new StringBuilder();
    StringBuilder high = new StringBuilder();
    for (int i = 1; i < n; i++) {
      chain.append(i > 1 ? " -> " : "").append("a").append(i).append("=Record(");
      chain.append(kind(m)).append(", deviceId = a0.deviceId)");
      high.append(i > 1 ? " and " : "").append("a").append(i).append('.').append(m.field());
      high.append(" >= ").append(num(m.atLeast()));
    }
    String sev = sev(severity, c, last, last + ".value", last + ".ts.toEpochMilli()");
    epl.append(
        """
        @name('%s') context PerGrid
        insert into Firing
        select '%s' as ruleId, %s as severity, %s.gridId as gridId, %s.ts.toEpochMilli() as ts
        from pattern [every a0=Record(%s) -> (%s) where timer:within(%d msec)]
        where %s;

        """
            .formatted(
                c.id(), c.id(), sev, last, last, filter(m), chain, c.memory().toMillis(), high));
  }

  private static void count(StringBuilder epl, Rule.Count c, String severity) {
    String value = c.match().field() == null ? null : "c." + c.match().field();
    String sev = sev(severity, c, "c", value, "c.ts.toEpochMilli()");
    epl.append(
        """
        @name('%s') context PerGrid
        insert into Firing
        select '%s' as ruleId, %s as severity, c.gridId as gridId, c.ts.toEpochMilli() as ts
        from Record(%s)#time(%d msec) as c
        having count(*) >= %d;

        """
            .formatted(
                c.id(), c.id(), sev, filter(c.match()), c.within().toMillis() + 1, c.count()));
  }

  private static void lasting(StringBuilder epl, Rule.Lasting l, String severity) {
    Match m = l.match();
    String loud =
        (m.atLeast() == null ? "true" : "n." + m.field() + " >= " + num(m.atLeast()))
            + " and inLocalHours(n.ts, "
            + l.from().toSecondOfDay()
            + ", "
            + l.to().toSecondOfDay()
            + ")";
    String sev = sev(severity, l, "n", "n.value", "n.ts.toEpochMilli()");
    epl.append(
        """
        create window Run_%1$s#unique(deviceId) as (deviceId string, since long);

        @name('%1$s-run')
        on Record(%2$s) as n
        merge Run_%1$s as r where r.deviceId = n.deviceId
        when matched and not (%3$s) then delete
        when not matched and %3$s then
          insert select n.deviceId as deviceId, n.ts.toEpochMilli() as since;

        @name('%1$s') context PerGrid
        insert into Firing
        select '%1$s' as ruleId, %4$s as severity, n.gridId as gridId, n.ts.toEpochMilli() as ts
        from Record(%5$s) as n
        where %3$s
          and n.ts.toEpochMilli() - (select r.since from Run_%1$s as r where r.deviceId = n.deviceId) >= %6$d;

        """
            .formatted(l.id(), kind(m), loud, sev, filter(m), l.lasting().toMillis()));
  }

  private static void absence(
      StringBuilder epl, Rule.Absence a, String severity, Set<String> registers) {
    String register = a.subjectType() + "_" + a.deviceAttribute();
    if (registers.isEmpty()) {
      registers.add(register);
      epl.append(
          """
          create window Watched#unique(deviceId) as (deviceId string, subjectRef string);
          create window DeviceSeen#unique(deviceId) as (deviceId string);

          @name('register')
          insert into Watched
          select attributes('%1$s') as deviceId, subjectRef as subjectRef
          from Record(source = Source.DEPARTMENT, type = '%2$s')
          where attributes('%1$s') is not null and attributes('%1$s').trim() != '';

          @name('registered')
          insert into Heartbeat
          select r.gridId as gridId, r.gridKind as gridKind, r.attributes('%1$s') as deviceId,
                 r.subjectRef as subjectRef, r.ts.toEpochMilli() as ts
          from Record(source = Source.DEPARTMENT, type = '%2$s') as r
          where r.attributes('%1$s') is not null and r.attributes('%1$s').trim() != ''
            and not exists (select * from DeviceSeen as s where s.deviceId = r.attributes('%1$s'));

          @name('device')
          insert into Heartbeat
          select gridId as gridId, gridKind as gridKind, deviceId as deviceId,
                 cast(null, string) as subjectRef, ts.toEpochMilli() as ts
          from Record(%3$s);

          @name('seen')
          insert into DeviceSeen select deviceId as deviceId from Record(%3$s);

          """
              .formatted(a.deviceAttribute(), a.subjectType(), kind(a.match())));
    } else if (!registers.contains(register)) {
      throw new UnsupportedOperationException(
          "absence rules of more than one subject type: " + registers + ", " + register);
    }
    long silence = a.silence().toMillis();
    String sev = sev(severity, a, "p.h", null, "p.h.ts + " + silence);
    epl.append(
        """
        @name('%1$s')
        insert into Firing
        select '%1$s' as ruleId, %2$s as severity, p.h.gridId as gridId, w.subjectRef as subjectRef,
               p.h.ts + %3$d as ts
        from pattern [every h=Heartbeat -> (timer:interval(%4$d msec) and not Heartbeat(deviceId = h.deviceId))] as p unidirectional,
             Watched as w
        where w.deviceId = p.h.deviceId;

        """
            .formatted(a.id(), sev, silence, silence + 1));
  }

  // ---------------------------------------------------------------- severities

  /**
   * The rule's base severity in a grid: a {@code case} over its overrides (by grid id first, then
   * by grid kind, as {@link RuleSet#rulesFor} chooses), on the triggering record's {@code gridId}
   * and {@code gridKind}.
   */
  private static String severity(RuleSet set, Rule rule) {
    List<RuleSet.GridOverride> mine =
        set.overrides().stream().filter(o -> o.ruleId().equals(rule.id())).toList();
    if (mine.isEmpty()) return String.valueOf(rule.severity().ordinal());
    StringBuilder s = new StringBuilder("case");
    for (RuleSet.GridOverride o : mine) {
      onlySeverity(rule, o.rule());
      if (!o.gridIds().isEmpty())
        s.append(" when $.gridId in (")
            .append(quoted(o.gridIds()))
            .append(") then ")
            .append(o.rule().severity().ordinal());
    }
    for (RuleSet.GridOverride o : mine) {
      if (!o.gridKinds().isEmpty())
        s.append(" when $.gridKind in (")
            .append(quoted(o.gridKinds()))
            .append(") then ")
            .append(o.rule().severity().ordinal());
    }
    return s.append(" else ").append(rule.severity().ordinal()).append(" end").toString();
  }

  /**
   * The severity of a firing: the base (with {@code $} standing for the triggering record {@code
   * alias}) raised by every escalation that applies — on the value {@code value} (null: the rule
   * passes none), the grid's kind, its standing context and its recent department records up to
   * {@code ts}.
   */
  private static String sev(String base, Rule rule, String alias, String value, String ts) {
    List<String> terms = new ArrayList<>();
    terms.add(base.replace("$", alias));
    for (Escalation e : rule.escalate()) {
      List<String> when = new ArrayList<>();
      if (e.atLeast() != null)
        when.add(value == null ? "false" : value + " >= " + num(e.atLeast()));
      if (e.gridKinds() != null && !e.gridKinds().isEmpty())
        when.add(alias + ".gridKind in (" + quoted(e.gridKinds()) + ")");
      if (e.context() != null)
        when.add(
            "exists (select * from Record(source = Source.DEPARTMENT, type = '"
                + e.context()
                + "')#firstevent)");
      if (e.recentTypes() != null && !e.recentTypes().isEmpty())
        when.add(
            "exists (select * from Record(source = Source.DEPARTMENT, type in ("
                + quoted(e.recentTypes())
                + "))#lastevent d where d.ts.toEpochMilli() >= "
                + ts
                + " - "
                + e.recentWithin().toMillis()
                + ")");
      if (when.isEmpty()) continue; // an escalation with no condition never applies
      terms.add(
          "case when "
              + String.join(" and ", when)
              + " then "
              + e.severity().ordinal()
              + " else -1 end");
    }
    return terms.size() == 1 ? terms.get(0) : "max(" + String.join(", ", terms) + ")";
  }

  private static boolean needsContext(Rule rule) {
    return rule.escalate().stream().anyMatch(e -> e.context() != null || e.recentTypes() != null);
  }

  /** Refuses an override that changes more than the severity. */
  private static void onlySeverity(Rule base, Rule override) {
    for (RecordComponent c : base.getClass().getRecordComponents()) {
      if (c.getName().equals("severity")) continue;
      try {
        if (!Objects.equals(c.getAccessor().invoke(base), c.getAccessor().invoke(override)))
          throw new UnsupportedOperationException(
              "override of " + base.id() + " changes " + c.getName() + ", not only the severity");
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ---------------------------------------------------------------- filters

  private static String kind(Match m) {
    return "source = Source." + m.source() + ", type = '" + m.type() + "'";
  }

  private static String filter(Match m) {
    if (m.atLeast() == null) return kind(m);
    if (m.field() == null) return kind(m) + ", false";
    return kind(m) + ", " + m.field() + " >= " + bound(m);
  }

  /**
   * A match's threshold as a literal of its field's type: Esper filters refuse to compare the
   * integer {@code objectCount} with a double, and {@code n ≥ 50.5} is {@code n ≥ 51} for an
   * integer.
   */
  private static String bound(Match m) {
    return "objectCount".equals(m.field())
        ? String.valueOf((long) Math.ceil(m.atLeast()))
        : num(m.atLeast());
  }

  private static String num(double d) {
    return BigDecimal.valueOf(d).toPlainString();
  }

  private static String quoted(java.util.Collection<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
  }

  private static final String PREAMBLE =
      """
      create objectarray schema Firing(ruleId string, severity int, gridId string, subjectRef string, ts long);
      create objectarray schema Alert(ruleId string, gridId string, subjectRef string, firstSeen long, severity int);
      create objectarray schema Heartbeat(gridId string, gridKind string, deviceId string, subjectRef string, ts long);
      create context PerGrid partition by gridId from Record;

      """;
}
