package org.gridfusion.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate.open;
import static org.gridfusion.jobs.testing.CollectedOutputs.OrderUpdate.reported;
import static org.gridfusion.jobs.testing.Raw.camera;
import static org.gridfusion.jobs.testing.Raw.command;
import static org.gridfusion.jobs.testing.Raw.sensor;
import static org.gridfusion.jobs.testing.Raw.sensorId;
import static org.gridfusion.schema.Severity.GENERAL;
import static org.gridfusion.schema.Severity.URGENT;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gridfusion.jobs.testing.CollectedOutputs;
import org.gridfusion.jobs.testing.CollectedOutputs.AlertUpdate;
import org.gridfusion.jobs.testing.CollectedOutputs.DeadLetterView;
import org.gridfusion.jobs.testing.CollectedOutputs.OrderUpdate;
import org.gridfusion.jobs.testing.District;
import org.gridfusion.jobs.testing.FusionJobRun;
import org.gridfusion.jobs.testing.Script;
import org.gridfusion.jobs.testing.SharedRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop of contract §6 on the real job: alerts open orders, commands move them, the grab
 * window dispatches to the district, the handling deadline flags an order overdue and raises a
 * {@code WORKORDER_OVERDUE} alert, and refused commands (illegal steps, unknown orders, commands
 * that do not parse) are dead letters that leave the order as it was. Event time runs three hours.
 *
 * <p>Commands of an order wait until the order is on gf.workorders (it opens when the alert reaches
 * the loop); from then on their outcome does not depend on the watermark: a command dated after a
 * window or deadline is applied after it.
 */
class WorkOrderLoopITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = FusionJobRun.miniCluster();

  static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant END = t(180);

  static final String AUTO = "WO.MANHOLE_DISPLACED.G-WO-AUTO." + T0.toEpochMilli();
  static final String GRABBED = "WO.WATERLOGGING.G-WO-GRAB." + T0.toEpochMilli();
  static final String LATE = "WO.FALL_DETECTED.G-WO-LATE." + T0.toEpochMilli();

  static final District DISTRICT =
      District.builder()
          .grid("G-WO-AUTO", "BASIC", 1000)
          .sensor("TILT-A", "MANHOLE_TILT")
          .grid("G-WO-GRAB", "BASIC", 1000)
          .sensor("WL-G", "WATER_LEVEL")
          .grid("G-WO-LATE", "BASIC", 1000)
          .camera("CAM-L")
          .grid("G-WO-GENERAL", "MARKET", 3000)
          .camera("CAM-V")
          .build();

  @TempDir static Path dir;
  static CollectedOutputs out;
  static final SharedRun RUN = new SharedRun();

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static Script.Condition opened(String orderId) {
    return o -> o.workOrders().stream().anyMatch(w -> w.getOrderId().equals(orderId));
  }

  /**
   * Plays the class's one job run before its first test (the extension makes its cluster the
   * context of tests only, not of {@code @BeforeAll}).
   */
  @BeforeEach
  void play() throws Exception {
    if (!RUN.playNow(out)) return;
    FusionJobRun.Inputs in = new FusionJobRun.Inputs();
    in.sensors("auto").emit(sensor("TILT-A", "MANHOLE_TILT", 20, t(0)));
    in.sensors("grab").emit(sensor("WL-G", "WATER_LEVEL", 55, t(0)));
    in.cameras("late").emit(camera("late-fall", "CAM-L", "FALL_DETECTED", t(0), 0.9));
    in.cameras("general")
        .emit(
            camera("v-1", "CAM-V", "STREET_VENDING", t(0), 0.9),
            camera("v-2", "CAM-V", "STREET_VENDING", t(1), 0.9),
            camera("v-3", "CAM-V", "STREET_VENDING", t(2), 0.9),
            camera("v-4", "CAM-V", "STREET_VENDING", t(3), 0.9),
            camera("v-5", "CAM-V", "STREET_VENDING", t(4), 0.9));

    // nobody grabs it: the district gets it, handles it, it is rated and closed; then a GRAB
    in.commands("auto")
        .await("order opened", opened(AUTO))
        .emit(
            command(AUTO, "FEEDBACK", t(60), "\"comment\":\"cover replaced\""),
            command(AUTO, "RATE", t(61), "\"rating\":5"),
            command(AUTO, "CLOSE", t(62), null),
            command(AUTO, "GRAB", t(63), null));
    // the street grabs it, hands it to a community, a department joins; a RATE before FEEDBACK;
    // handled only after its two hours
    in.commands("grab")
        .await("order opened", opened(GRABBED))
        .emit(
            command(GRABBED, "GRAB", t(2), null),
            command(GRABBED, "SPLIT", t(3), "\"assignee\":\"community:C03\""),
            command(GRABBED, "JOIN", t(4), "\"departments\":[\"HOUSING\"]"),
            command(GRABBED, "RATE", t(5), "\"rating\":4"),
            command(GRABBED, "FEEDBACK", t(150), "\"comment\":\"pumped out\""));
    // a GRAB dated a minute after the 30-minute grab window finds the order dispatched
    in.commands("late")
        .await("order opened", opened(LATE))
        .emit(command(LATE, "GRAB", t(31), null));
    // commands that do not parse, or name no order
    in.commands("bad")
        .emit(
            command("WO.NOPE", "GRAB", t(1), null),
            "{\"orderId\":\"WO.BROKEN\",",
            command("WO.NO-ASSIGNEE", "SPLIT", t(1), null),
            command("WO.FUTURE", "GRAB", Instant.parse("2100-01-01T00:00:00Z"), null),
            command("WO.FLY", "FLY", t(1), null));

    out =
        FusionJobRun.run(
            CLUSTER, "work-orders", FusionJobRun.settings(DISTRICT.write(dir)), in, END);
  }

  @Test
  void anUngrabbedOrderGoesToTheDistrictAfterThirtyMinutesThenIsHandledRatedAndClosed() {
    OrderUpdate reported =
        reported("IMPORTANT", t(0), Duration.ofMinutes(30), Duration.ofHours(24));
    OrderUpdate dispatched =
        reported.then("DISPATCHED", "district", "AUTO_DISPATCH@" + t(30) + " ->district");
    OrderUpdate handled =
        dispatched.then("HANDLED", "district", "FEEDBACK@" + t(60) + " street:S01->");
    OrderUpdate rated =
        handled.then("RATED", "district", "RATE@" + t(61) + " street:S01->").rated(5);
    OrderUpdate closed = rated.then("CLOSED", "district", "CLOSE@" + t(62) + " street:S01->");
    assertThat(out.workOrder(AUTO)).containsExactly(reported, dispatched, handled, rated, closed);
    assertThat(out.deadLettersAbout(AUTO))
        .extracting(DeadLetterView::reason, DeadLetterView::detail)
        .containsExactly(
            tuple(
                "ILLEGAL_TRANSITION",
                "GRAB is not allowed while order " + AUTO + " is CLOSED (it is finished)"));
  }

  @Test
  void anUrgentOrderGrabbedSplitJoinedButNotHandledInTwoHoursIsOverdueAndRaisesAnAlert() {
    OrderUpdate reported = reported("URGENT", t(0), Duration.ofMinutes(5), Duration.ofHours(2));
    OrderUpdate grabbed =
        reported.then("GRABBED", "street:S01", "GRAB@" + t(2) + " street:S01->street:S01");
    OrderUpdate split =
        grabbed.then("SPLIT", "community:C03", "SPLIT@" + t(3) + " street:S01->community:C03");
    OrderUpdate joined =
        split
            .then("JOINED", "community:C03", "JOIN@" + t(4) + " street:S01->")
            .withDepartments("HOUSING");
    OrderUpdate overdue = joined.flaggedOverdue();
    OrderUpdate handled =
        overdue.then("HANDLED", "community:C03", "FEEDBACK@" + t(150) + " street:S01->");
    assertThat(out.workOrder(GRABBED))
        .containsExactly(reported, grabbed, split, joined, overdue, handled);

    String reading = sensorId("WL-G", "WATER_LEVEL", t(0));
    AlertUpdate water = open("WATERLOGGING", "G-WO-GRAB", URGENT, t(0), t(0), 1, reading);
    AlertUpdate late =
        new AlertUpdate(
            "WORKORDER_OVERDUE." + GRABBED,
            "WORKORDER_OVERDUE",
            "contract-6",
            URGENT,
            "OPEN",
            t(120),
            t(120),
            1,
            List.of(reading),
            null,
            null);
    assertThat(out.alertsIn("G-WO-GRAB")).containsExactly(water, water.closed(t(30)), late);
    // a RATE before FEEDBACK is refused and changes nothing
    assertThat(out.deadLettersAbout(GRABBED))
        .extracting(DeadLetterView::reason, DeadLetterView::detail)
        .containsExactly(
            tuple(
                "ILLEGAL_TRANSITION",
                "RATE is not allowed while order "
                    + GRABBED
                    + " is JOINED (allowed: [SPLIT, JOIN, RETURN, FEEDBACK])"));
  }

  @Test
  void aGrabDatedAfterTheGrabWindowFindsTheOrderWithTheDistrict() {
    OrderUpdate reported =
        reported("IMPORTANT", t(0), Duration.ofMinutes(30), Duration.ofHours(24));
    OrderUpdate dispatched =
        reported.then("DISPATCHED", "district", "AUTO_DISPATCH@" + t(30) + " ->district");
    assertThat(out.workOrder(LATE)).containsExactly(reported, dispatched);
    assertThat(out.deadLettersAbout(LATE))
        .extracting(DeadLetterView::reason)
        .containsExactly("ILLEGAL_TRANSITION");
  }

  @Test
  void aGeneralAlertOpensNoOrder() {
    AlertUpdate vending =
        open(
            "STREET_VENDING",
            "G-WO-GENERAL",
            GENERAL,
            t(4),
            t(4),
            1,
            "CAMERA:v-1",
            "CAMERA:v-2",
            "CAMERA:v-3",
            "CAMERA:v-4",
            "CAMERA:v-5");
    assertThat(out.alertsIn("G-WO-GENERAL")).containsExactly(vending, vending.closed(t(34)));
    assertThat(out.orderIds()).containsExactly(LATE, AUTO, GRABBED);
  }

  @Test
  void commandsThatDoNotParseOrNameNoOrderAreDeadLettersWithTheirReason() {
    assertThat(out.deadLettersAbout("WO.NOPE"))
        .extracting(DeadLetterView::source, DeadLetterView::reason, DeadLetterView::detail)
        .containsExactly(
            tuple("command", "UNKNOWN_ORDER", "no open or recently finished work order WO.NOPE"));
    assertThat(out.deadLettersAbout("WO.BROKEN"))
        .extracting(DeadLetterView::reason, DeadLetterView::payload)
        .containsExactly(tuple("MALFORMED", "{\"orderId\":\"WO.BROKEN\","));
    assertThat(out.deadLettersAbout("WO.NO-ASSIGNEE"))
        .extracting(DeadLetterView::reason, DeadLetterView::detail)
        .containsExactly(
            tuple(
                "MISSING_FIELD",
                "SPLIT needs the community it goes to as assignee, e.g. community:C03"));
    assertThat(out.deadLettersAbout("WO.FUTURE"))
        .extracting(DeadLetterView::reason)
        .containsExactly("TS_IN_FUTURE");
    assertThat(out.deadLettersAbout("WO.FLY"))
        .extracting(DeadLetterView::reason)
        .containsExactly("INVALID_FIELD");
    // and nothing else was refused
    assertThat(out.deadLetters()).hasSize(8);
  }
}
