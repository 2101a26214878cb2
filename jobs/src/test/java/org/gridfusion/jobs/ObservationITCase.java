package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.Raw.department;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.schema.Severity.IMPORTANT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.common.privacy.Pseudonymiser;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.schema.DepartmentRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §10, observation not assumption: {@code ELDERLY_INACTIVE} counts silence only over event
 * time the pipeline observed. A subject registered two days before the pipeline first heard from
 * their grid has been silent since that first record, not for two days; a subject whose door was
 * heard from is silent since the door's last record; a subject in a grid never heard from is not
 * judged at all. The observation history is job state: a job restored from a savepoint taken after
 * the grid's first record still counts from that record.
 */
class ObservationITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  /** When the pipeline first hears from the grids. */
  static final Instant FIRST_HEARD = Instant.parse("2026-11-24T08:00:00Z");

  /** Two days before anything was heard. */
  static final Instant REGISTERED = FIRST_HEARD.minus(Duration.ofDays(2));

  static final Instant DAY_LATER = FIRST_HEARD.plus(Duration.ofHours(24));

  /** Forty minutes past a day of observed silence: the alert has opened and closed. */
  static final Instant END = DAY_LATER.plus(Duration.ofMinutes(40));

  static final String SAVEPOINT = "savepoint";

  static final District DISTRICT =
      District.builder()
          .grid("G-COLD", "BASIC", 1000)
          .sensor("DOOR-COLD", "DOOR")
          .sensor("TEMP-COLD", "TEMPERATURE")
          .address("ADDR-COLD")
          .grid("G-HEARD", "BASIC", 1000)
          .sensor("DOOR-HEARD", "DOOR")
          .address("ADDR-HEARD")
          .grid("G-UNSEEN", "BASIC", 1000)
          .sensor("DOOR-UNSEEN", "DOOR")
          .address("ADDR-UNSEEN")
          .build();

  static Script.Condition recorded(String recordId) {
    return o -> o.hasRecord(recordId);
  }

  static DepartmentRecord elderly(String id, String address, String subjectId, String door) {
    return department(
        id,
        "CIVIL_AFFAIRS",
        "ELDERLY_LIVING_ALONE",
        REGISTERED,
        address,
        subjectId,
        Map.of("doorSensorId", door));
  }

  static String ref(String subjectId) {
    return new Pseudonymiser("job-test-secret-0123456789").subjectRef(subjectId);
  }

  /**
   * Three elderly people registered two days before the first record; the job first hears from
   * their grids at {@link #FIRST_HEARD} (a thermometer in one, the door itself two hours later in
   * the other) or never; with {@code hold}, every partition stops at {@link #SAVEPOINT} after the
   * first records.
   */
  static FusionJobRun.Inputs inputs(boolean hold) {
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    Script<?> registrations =
        in.departments("registrations")
            .emit(
                elderly("ca-cold", "ADDR-COLD", "110101194001010001", "DOOR-COLD"),
                elderly("ca-heard", "ADDR-HEARD", "110101194001010002", "DOOR-HEARD"),
                elderly("ca-unseen", "ADDR-UNSEEN", "110101194001010003", "DOOR-UNSEEN"));
    Script<?> cold =
        in.sensors("cold")
            .await("the people are registered", recorded("DEPARTMENT:ca-unseen"))
            .emit(sensor("TEMP-COLD", "TEMPERATURE", 21, FIRST_HEARD));
    Script<?> heard =
        in.sensors("heard")
            .await("the people are registered", recorded("DEPARTMENT:ca-unseen"))
            .emit(
                sensor("DOOR-HEARD", "DOOR", 1, FIRST_HEARD),
                sensor("DOOR-HEARD", "DOOR", 0, FIRST_HEARD.plus(Duration.ofHours(2))));
    if (hold) {
      registrations.hold(SAVEPOINT);
      cold.hold(SAVEPOINT);
      heard.hold(SAVEPOINT);
    }
    return in;
  }

  /** The alerts the inputs must raise up to {@link #END}, run through or restored. */
  static void assertObservedSilences(CollectedOutputs out) {
    // silent since the grid's first record, not since the registration two days before it
    AlertUpdate cold =
        open("ELDERLY_INACTIVE", "G-COLD", IMPORTANT, DAY_LATER, DAY_LATER, 1, "DEPARTMENT:ca-cold")
            .subject(ref("110101194001010001"));
    assertThat(out.alertsIn("G-COLD"))
        .containsExactly(cold, cold.closed(DAY_LATER.plus(Duration.ofMinutes(30))));
    // silent since the door's last record
    Instant heardDue = FIRST_HEARD.plus(Duration.ofHours(26));
    assertThat(heardDue).isAfter(END); // not due within the run
    assertThat(out.alertsIn("G-HEARD")).isEmpty();
    // never observed: never judged
    assertThat(out.alertsIn("G-UNSEEN")).isEmpty();
  }

  @Test
  void silenceCountsFromTheFirstRecordHeardNotFromARegistrationTwoDaysOlder(@TempDir Path dir)
      throws Exception {
    CollectedOutputs out =
        FusionJobRun.run(
            CLUSTER, "observation", FusionJobRun.settings(DISTRICT.write(dir)), inputs(false), END);
    assertObservedSilences(out);
    assertThat(out.deadLetters()).isEmpty();
  }

  @Test
  void heardFromRunsAgainstTheRecordWhenTheDoorHasReported(@TempDir Path dir) throws Exception {
    // the door of G-HEARD reported last at FIRST_HEARD + 2 h: its day of silence ends at + 26 h
    Instant due = FIRST_HEARD.plus(Duration.ofHours(26));
    Instant end = due.plus(Duration.ofMinutes(5));
    CollectedOutputs out =
        FusionJobRun.run(
            CLUSTER,
            "observation-heard",
            FusionJobRun.settings(DISTRICT.write(dir)),
            inputs(false),
            end);
    AlertUpdate heard =
        open("ELDERLY_INACTIVE", "G-HEARD", IMPORTANT, due, due, 1, "DEPARTMENT:ca-heard")
            .subject(ref("110101194001010002"));
    assertThat(out.alertsIn("G-HEARD")).containsExactly(heard);
    assertThat(out.alertsIn("G-UNSEEN")).isEmpty();
  }

  @Test
  void aJobRestoredFromASavepointKeepsWhenItBeganObserving(
      @InjectClusterClient ClusterClient<?> cluster, @TempDir Path dir) throws Exception {
    FusionJob.Settings settings = FusionJobRun.settings(DISTRICT.write(dir.resolve("reference")));
    CollectedOutputs before;
    String savepoint;
    try (FusionJobRun.Running first =
        FusionJobRun.start(
            CLUSTER, "observed-before", settings, inputs(true), END, null, Set.of())) {
      first.awaitHolding(Set.of("registrations", "cold", "heard"));
      savepoint = first.stopWithSavepoint(cluster, dir.resolve("savepoints").toUri().toString());
      before = first.run().outputs();
    }
    CollectedOutputs after;
    try (FusionJobRun.Running second =
        FusionJobRun.start(
            CLUSTER, "observed-after", settings, inputs(true), END, savepoint, Set.of(SAVEPOINT))) {
      after = second.awaitEnd();
    }
    assertThat(before.alerts()).isEmpty();
    // after the restore nothing more is heard from G-COLD: only the kept history dates its silence
    assertObservedSilences(after);
  }
}
