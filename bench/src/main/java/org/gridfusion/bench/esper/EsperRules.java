package org.gridfusion.bench.esper;

import com.espertech.esper.common.client.configuration.Configuration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Source;

/**
 * The ten default rules of contract §5 and GridFusion's incident tracking written in Esper's EPL,
 * the way an Esper user would write them: filters for thresholds, a keyed context per grid, time
 * windows with {@code having count(*)} for counts, patterns with {@code timer:interval ... and not}
 * for absences, named windows for per-device state, subqueries for the grid context of escalations
 * and a table with {@code on ... merge} for one alert per incident.
 *
 * <p>Time is Esper's external clock driven by event time ({@link EsperRuleEngine} releases records
 * in event-time order and advances the clock to each one's {@code ts}), so windows are measured on
 * {@code ts} as the contract says. The contract's windows are inclusive ("within 5 min": a partner
 * at exactly 5 min counts); where Esper's are half-open, the EPL says so.
 *
 * <p>Records are the job's Avro {@link Record} objects, registered as a bean event type: Esper
 * compiles property access to plain getter calls, so nothing is copied or converted per record.
 */
public final class EsperRules {
  /** The contract's local time zone (GridFusion's {@code time.zone} default). */
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private static final LocalTime NIGHT_FROM = LocalTime.of(22, 0);
  private static final LocalTime NIGHT_TO = LocalTime.of(6, 0);

  private EsperRules() {}

  /**
   * NIGHT_NOISE's hours, 22:00–06:00 local: a plug-in single-row function, as EPL has no zone-aware
   * time of day.
   */
  public static boolean inNightHours(Instant ts) {
    LocalTime t = ts.atZone(ZONE).toLocalTime();
    return !t.isBefore(NIGHT_FROM) || t.isBefore(NIGHT_TO);
  }

  /**
   * Whether {@code ts} falls within local hours {@code from}–{@code to} (seconds of the day; the
   * range may wrap midnight): a lasting rule's {@code localHours}, for {@link EsperRuleSet}.
   */
  public static boolean inLocalHours(Instant ts, int from, int to) {
    int t = ts.atZone(ZONE).toLocalTime().toSecondOfDay();
    return from < to ? t >= from && t < to : t >= from || t < to;
  }

  static Configuration configuration() {
    Configuration c = new Configuration();
    c.getCommon().addEventType("Record", Record.class);
    c.getCommon().addImport(Source.class);
    c.getCompiler()
        .addPlugInSingleRowFunction("inNightHours", EsperRules.class.getName(), "inNightHours");
    c.getCompiler()
        .addPlugInSingleRowFunction("inLocalHours", EsperRules.class.getName(), "inLocalHours");
    // Event time, not wall-clock time: the engine advances the clock itself.
    c.getRuntime().getThreading().setInternalTimerEnabled(false);
    // One thread sends everything, as the rule operator runs in one task thread: Esper's advice for
    // that case is to drop the locks and ordering latches that only matter with several sending
    // threads.
    c.getRuntime().getExecution().setDisableLocking(true);
    c.getRuntime().getThreading().setInsertIntoDispatchPreserveOrder(false);
    c.getRuntime().getThreading().setListenerDispatchPreserveOrder(false);
    c.getRuntime().getThreading().setNamedWindowConsumerDispatchPreserveOrder(false);
    return c;
  }

  /**
   * One alert per rule, grid and subject, as GridFusion's IncidentTracker keeps them; shared with
   * {@link EsperRuleSet}, which compiles the same tracking behind its own rules.
   */
  static final String INCIDENTS =
      """
      create table Incident(ruleId string primary key, gridId string primary key, subjectRef string primary key,
                            firstSeen long, lastSeen long, severity int);

      @name('incidents')
      on Firing as f
      merge Incident as i
      where i.ruleId = f.ruleId and i.gridId = f.gridId and i.subjectRef = coalesce(f.subjectRef, '')
      when not matched then
        insert select f.ruleId as ruleId, f.gridId as gridId, coalesce(f.subjectRef, '') as subjectRef,
                      f.ts as firstSeen, f.ts as lastSeen, f.severity as severity
        then insert into Alert select f.ruleId as ruleId, f.gridId as gridId, f.subjectRef as subjectRef,
                      f.ts as firstSeen, f.severity as severity
      when matched and f.ts > i.lastSeen + 1800000 then
        update set firstSeen = f.ts, lastSeen = f.ts, severity = f.severity
        then insert into Alert select f.ruleId as ruleId, f.gridId as gridId, f.subjectRef as subjectRef,
                      f.ts as firstSeen, f.severity as severity
      when matched then
        update set lastSeen = max(i.lastSeen, f.ts), severity = max(i.severity, f.severity)
        then insert into Alert select f.ruleId as ruleId, f.gridId as gridId, f.subjectRef as subjectRef,
                      i.firstSeen as firstSeen, max(i.severity, f.severity) as severity;

      @name('alerts') select * from Alert;
      """;

  /**
   * The EPL module. Statement names are the rule ids, so a failing statement says which rule it is.
   */
  public static final String EPL =
      """
      // Severity ranks in the order of the contract, so max() is the escalation.
      create constant variable int GENERAL = 0;
      create constant variable int IMPORTANT = 1;
      create constant variable int URGENT = 2;

      // What the rules emit, and what the incident table turns firings into (object arrays: the
      // cheapest event representation for derived streams).
      create objectarray schema Firing(ruleId string, severity int, gridId string, subjectRef string, ts long);
      create objectarray schema Alert(ruleId string, gridId string, subjectRef string, firstSeen long, severity int);
      // A sign of life of a watched elderly person: the registration, then every report of the door sensor.
      create objectarray schema Heartbeat(gridId string, deviceId string, subjectRef string, ts long);

      // Every rule looks at one grid at a time (contract section 5, "same grid"): one context partition per grid
      // holds the windows, patterns and context records. State keyed by device (device ids are unique
      // across grids) lives in named windows outside it: Esper partitions a named window only if its rows
      // are of a type the context partitions, which derived rows are not.
      create context PerGrid partition by gridId from Record;

      //-------------------------------------------------------------- thresholds
      // One record at a threshold: stateless, so no context needed.

      @name('WATERLOGGING')
      insert into Firing
      select 'WATERLOGGING' as ruleId, case when value >= 50 then URGENT else IMPORTANT end as severity,
             gridId as gridId, ts.toEpochMilli() as ts
      from Record(source = Source.SENSOR, type = 'WATER_LEVEL', value >= 30);

      @name('MANHOLE_DISPLACED')
      insert into Firing
      select 'MANHOLE_DISPLACED' as ruleId, IMPORTANT as severity, gridId as gridId, ts.toEpochMilli() as ts
      from Record(source = Source.SENSOR, type = 'MANHOLE_TILT', value >= 15);

      @name('FALL_DETECTED')
      insert into Firing
      select 'FALL_DETECTED' as ruleId, IMPORTANT as severity, gridId as gridId, ts.toEpochMilli() as ts
      from Record(source = Source.CAMERA, type = 'FALL_DETECTED', confidence >= 0.7);

      //-------------------------------------------------------------- FIRE_CONFIRMED / FIRE_SUSPECTED
      // Each side fires when the other side has a record in the previous 5 min (inclusive: an Esper time
      // window keeps an event for strictly less than its length, hence the extra millisecond), dated by
      // the earliest such partner (records arrive in event-time order here, so it is the earlier input).

      @name('FIRE_CONFIRMED-smoke')
      context PerGrid
      insert into Firing
      select 'FIRE_CONFIRMED' as ruleId, URGENT as severity, gridId as gridId,
        (select min(ts.toEpochMilli()) from Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8)#time(5 min 1 msec)) as ts
      from Record(source = Source.SENSOR, type = 'SMOKE', value >= 10)
      where exists (select * from Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8)#time(5 min 1 msec));

      @name('FIRE_CONFIRMED-camera')
      context PerGrid
      insert into Firing
      select 'FIRE_CONFIRMED' as ruleId, URGENT as severity, gridId as gridId,
        (select min(ts.toEpochMilli()) from Record(source = Source.SENSOR, type = 'SMOKE', value >= 10)#time(5 min 1 msec)) as ts
      from Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8)
      where exists (select * from Record(source = Source.SENSOR, type = 'SMOKE', value >= 10)#time(5 min 1 msec));

      // Either side alone: no partner in the 5 min after it (the "and not" of the pattern; the timer runs one
      // millisecond past 5 min so a partner at exactly 5 min, sent after the clock reached it, still
      // counts) and none in the 5 min before it (the subquery, evaluated when the timer fires).

      @name('FIRE_SUSPECTED-smoke')
      context PerGrid
      insert into Firing
      select 'FIRE_SUSPECTED' as ruleId, IMPORTANT as severity, p.s.gridId as gridId, p.s.ts.toEpochMilli() as ts
      from pattern [every s=Record(source = Source.SENSOR, type = 'SMOKE', value >= 10)
                    -> (timer:interval(5 min 1 msec)
                        and not Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8))] as p
      where not exists (select * from Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8)#time(11 min) c
                        where c.ts.toEpochMilli() >= p.s.ts.toEpochMilli() - 300000);

      @name('FIRE_SUSPECTED-camera')
      context PerGrid
      insert into Firing
      select 'FIRE_SUSPECTED' as ruleId, IMPORTANT as severity, p.c.gridId as gridId, p.c.ts.toEpochMilli() as ts
      from pattern [every c=Record(source = Source.CAMERA, type = 'FIRE_SMOKE', confidence >= 0.8)
                    -> (timer:interval(5 min 1 msec)
                        and not Record(source = Source.SENSOR, type = 'SMOKE', value >= 10))] as p
      where not exists (select * from Record(source = Source.SENSOR, type = 'SMOKE', value >= 10)#time(11 min) s
                        where s.ts.toEpochMilli() >= p.c.ts.toEpochMilli() - 300000);

      //-------------------------------------------------------------- GAS_LEAK
      // Two consecutive readings of one device at 20 or more: a high reading followed by the next
      // reading of the same device, high too. A reading is remembered for an hour, the memory of the
      // GridFusion rule.
      // URGENT in a school or hospital grid, or in a grid with a hazardous enterprise on record.

      @name('GAS_LEAK')
      context PerGrid
      insert into Firing
      select 'GAS_LEAK' as ruleId,
             case when b.gridKind in ('SCHOOL', 'HOSPITAL')
                    or exists (select * from Record(source = Source.DEPARTMENT, type = 'HAZARDOUS_ENTERPRISE')#firstevent)
                  then URGENT else IMPORTANT end as severity,
             b.gridId as gridId, b.ts.toEpochMilli() as ts
      from pattern [every a=Record(source = Source.SENSOR, type = 'GAS', value >= 20)
                    -> b=Record(source = Source.SENSOR, type = 'GAS', deviceId = a.deviceId) where timer:within(1 hour)]
      where b.value >= 20;

      //-------------------------------------------------------------- counts
      // At least N matching records in the grid within the window ending at the newest one (inclusive,
      // hence the extra millisecond). Only arriving records fire: insert into carries the insert stream.
      // CROWD_GATHERING is URGENT after a police call or petition in the grid within the previous 24 h.

      @name('CROWD_GATHERING')
      context PerGrid
      insert into Firing
      select 'CROWD_GATHERING' as ruleId,
             case when exists (select * from Record(source = Source.DEPARTMENT, type in ('INCIDENT_REPORT', 'PETITION_FILED'))#lastevent d
                               where d.ts.toEpochMilli() >= c.ts.toEpochMilli() - 86400000)
                  then URGENT else IMPORTANT end as severity,
             c.gridId as gridId, c.ts.toEpochMilli() as ts
      from Record(source = Source.CAMERA, type = 'CROWD', objectCount >= 50)#time(10 min 1 msec) as c
      having count(*) >= 3;

      @name('STREET_VENDING')
      context PerGrid
      insert into Firing
      select 'STREET_VENDING' as ruleId, GENERAL as severity, v.gridId as gridId, v.ts.toEpochMilli() as ts
      from Record(source = Source.CAMERA, type = 'STREET_VENDING')#time(1 hour 1 msec) as v
      having count(*) >= 5;

      //-------------------------------------------------------------- NIGHT_NOISE
      // Per device, when its current run of loud night readings began: the first loud reading starts a
      // run, any other reading (quiet, or outside 22:00-06:00) ends it. A loud reading 30 min or more
      // into its run fires; IMPORTANT with a dispute reported in the grid within the previous 7 days.

      create window NoiseRun#unique(deviceId) as (deviceId string, since long);

      @name('NIGHT_NOISE-run')
      on Record(source = Source.SENSOR, type = 'NOISE') as n
      merge NoiseRun as r where r.deviceId = n.deviceId
      when matched and not (n.value >= 70 and inNightHours(n.ts)) then delete
      when not matched and n.value >= 70 and inNightHours(n.ts) then
        insert select n.deviceId as deviceId, n.ts.toEpochMilli() as since;

      @name('NIGHT_NOISE')
      context PerGrid
      insert into Firing
      select 'NIGHT_NOISE' as ruleId,
             case when exists (select * from Record(source = Source.DEPARTMENT, type = 'DISPUTE_REPORTED')#lastevent d
                               where d.ts.toEpochMilli() >= n.ts.toEpochMilli() - 604800000)
                  then IMPORTANT else GENERAL end as severity,
             n.gridId as gridId, n.ts.toEpochMilli() as ts
      from Record(source = Source.SENSOR, type = 'NOISE', value >= 70) as n
      where inNightHours(n.ts)
        and n.ts.toEpochMilli() - (select r.since from NoiseRun as r where r.deviceId = n.deviceId) >= 1800000;

      //-------------------------------------------------------------- ELDERLY_INACTIVE
      // Door sensors watched for an elderly person living alone (the latest registration per sensor).
      // Silence counts only over observed time (contract section 10): from the door's last report,
      // whether or not anyone was registered yet; a door never heard from counts from its
      // registration (in this stream every grid is observed from the start). 24 h without a sign of
      // life (one millisecond more: a report at exactly 24 h counts) fires for the subject watched then.

      create window Watched#unique(deviceId) as (deviceId string, subjectRef string);
      create window DoorSeen#unique(deviceId) as (deviceId string);

      @name('ELDERLY_INACTIVE-register')
      insert into Watched
      select attributes('doorSensorId') as deviceId, subjectRef as subjectRef
      from Record(source = Source.DEPARTMENT, type = 'ELDERLY_LIVING_ALONE')
      where attributes('doorSensorId') is not null and attributes('doorSensorId').trim() != '';

      @name('ELDERLY_INACTIVE-registered')
      insert into Heartbeat
      select r.gridId as gridId, r.attributes('doorSensorId') as deviceId, r.subjectRef as subjectRef, r.ts.toEpochMilli() as ts
      from Record(source = Source.DEPARTMENT, type = 'ELDERLY_LIVING_ALONE') as r
      where r.attributes('doorSensorId') is not null and r.attributes('doorSensorId').trim() != ''
        and not exists (select * from DoorSeen as s where s.deviceId = r.attributes('doorSensorId'));

      @name('ELDERLY_INACTIVE-door')
      insert into Heartbeat
      select gridId as gridId, deviceId as deviceId, cast(null, string) as subjectRef, ts.toEpochMilli() as ts
      from Record(source = Source.SENSOR, type = 'DOOR');

      @name('ELDERLY_INACTIVE-seen')
      insert into DoorSeen
      select deviceId as deviceId
      from Record(source = Source.SENSOR, type = 'DOOR');

      @name('ELDERLY_INACTIVE')
      insert into Firing
      select 'ELDERLY_INACTIVE' as ruleId, IMPORTANT as severity, p.h.gridId as gridId, w.subjectRef as subjectRef,
             p.h.ts + 86400000 as ts
      from pattern [every h=Heartbeat -> (timer:interval(24 hours 1 msec) and not Heartbeat(deviceId = h.deviceId))] as p unidirectional,
           Watched as w
      where w.deviceId = p.h.deviceId;

      //-------------------------------------------------------------- incidents
      // One alert per rule, grid and subject (contract section 5): a firing more than 30 min after the last
      // firing of the incident starts a new alert; otherwise the alert grows and keeps its highest
      // severity. Every firing emits the current state of the alert, as the IncidentTracker of GridFusion does.

      """
          + INCIDENTS;
}
