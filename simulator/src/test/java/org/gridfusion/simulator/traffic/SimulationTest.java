package org.gridfusion.simulator.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.simulator.district.District;
import org.gridfusion.simulator.district.DistrictGenerator;
import org.gridfusion.simulator.district.DistrictSpec;
import org.gridfusion.simulator.format.Timestamps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs in real time, so bounds are loose: a busy 2-core build machine must not make these flaky.
 */
class SimulationTest {
  static final Instant BEGINNING = Instant.parse("2026-11-24T00:00:00Z");
  static District district;

  @BeforeAll
  static void generate() {
    district = DistrictGenerator.generate(DistrictSpec.small(3));
  }

  @Test
  void paysOutTrafficAtTheConfiguredPaceWithBatchesAndProgress() {
    TrafficConfig config =
        TrafficConfig.defaults(1, BEGINNING)
            .withSpeedUp(60)
            .withRates(200, 40, 20)
            .withShares(0.02, 0.05)
            .withBatching(10, Duration.ofMillis(100), 5, Duration.ofMillis(300));
    RecordingTrafficSink sink = new RecordingTrafficSink();
    List<Progress> reports = new CopyOnWriteArrayList<>();
    Progress last = Simulation.run(district, config, sink, Duration.ofMillis(2500), reports::add);

    assertThat(last.finished()).isTrue();
    assertThat(reports).hasSizeGreaterThanOrEqualTo(2);
    assertThat(reports.get(reports.size() - 1)).isSameAs(last);
    assertThat(reports.get(0).finished()).isFalse();
    assertThat(sink.flushes).isPositive();
    assertThat(sink.closed).as("the caller owns the sink").isFalse();

    // 2.5 s at 200/s; a slow machine may send less, never much more
    assertThat(sink.sensors.size()).isBetween(100, 560);
    assertThat(last.source(TrafficSource.SENSOR).sent()).isEqualTo(sink.sensors.size());
    assertThat(last.source(TrafficSource.SENSOR).generated()).isEqualTo(sink.sensors.size());
    assertThat(last.source(TrafficSource.CAMERA).acknowledged())
        .isEqualTo(sink.cameraEvents().size());
    assertThat(sink.cameraBatches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 10));
    assertThat(sink.departmentFiles)
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).hasSizeBetween(1, 5));

    // nothing is sent ahead of its time: 2.5 s wall at 60x is 150 s of event time
    Instant latest = BEGINNING;
    for (MqttMessage m : sink.sensors) {
      if (!(InputParsers.json(m.payload()) instanceof Parsed.Ok<JsonNode> json))
        continue; // a bad one
      JsonNode ts = json.value().path("ts");
      if (ts.isMissingNode()) continue;
      Instant t = OffsetDateTime.parse(ts.asText()).toInstant();
      if (t.isAfter(BEGINNING)) latest = t.isAfter(latest) ? t : latest;
    }
    assertThat(latest).isBefore(BEGINNING.plusSeconds(150 + 30));
    assertThat(last.eventTime()).isBetween(BEGINNING.plusSeconds(100), BEGINNING.plusSeconds(300));
  }

  @Test
  void malformedCameraEventsTravelAloneSoTheyCannotSpoilABatch() {
    TrafficConfig config =
        TrafficConfig.defaults(2, BEGINNING)
            .withSpeedUp(600)
            .withRates(0, 300, 0)
            .withShares(0, 0.3)
            .withBatching(50, Duration.ofMillis(50), 10, Duration.ofSeconds(1));
    RecordingTrafficSink sink = new RecordingTrafficSink();
    Simulation.run(district, config, sink, Duration.ofMillis(1500), ProgressListener.NONE);
    int malformed = 0;
    for (List<String> batch : sink.cameraBatches) {
      for (String event : batch) {
        boolean json = !(InputParsers.json(event) instanceof Parsed.Rejected<?>);
        if (!json) {
          malformed++;
          assertThat(batch).hasSize(1);
        }
      }
    }
    assertThat(malformed).as("malformed events among " + sink.cameraEvents().size()).isPositive();
  }

  @Test
  void stopEndsAnOpenEndedRunAfterFlushing() throws Exception {
    TrafficConfig config = TrafficConfig.defaults(3, BEGINNING).withRates(100, 10, 1);
    RecordingTrafficSink sink = new RecordingTrafficSink();
    Simulation simulation = new Simulation(district, config, sink, ProgressListener.NONE);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Progress> result = runner.submit(() -> simulation.run(null));
      sink.awaitSensorReading(Duration.ofSeconds(10)); // running
      assertThat(result.isDone()).isFalse();
      simulation.stop();
      assertThat(simulation.awaitTermination(Duration.ofSeconds(10))).isTrue();
      Progress last = result.get(10, TimeUnit.SECONDS);
      assertThat(last.finished()).isTrue();
      assertThat(sink.flushes).isEqualTo(1);
      assertThat(sink.sensors).isNotEmpty();
      assertThatThrownBy(() -> simulation.run(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      runner.shutdownNow();
    }
  }

  @Test
  void injectedMessagesAreSentAtOnce() throws Exception {
    TrafficConfig config =
        TrafficConfig.defaults(4, BEGINNING)
            .withRates(0, 0, 0.01)
            .withBatching(100, Duration.ofMinutes(1), 100, Duration.ofMinutes(1));
    RecordingTrafficSink sink = new RecordingTrafficSink();
    Simulation simulation = new Simulation(district, config, sink, ProgressListener.NONE);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Progress> result = runner.submit(() -> simulation.run(Duration.ofSeconds(20)));
      // started or not, the simulation's event time is where an injected incident belongs
      Instant now = simulation.eventTime();
      assertThat(now).isBetween(BEGINNING, BEGINNING.plusSeconds(10));
      String camera =
          "{\"eventId\":\"x\",\"cameraId\":\"CAM-000001\",\"type\":\"FALL_DETECTED\",\"ts\":\""
              + Timestamps.utcMillis(now)
              + "\",\"confidence\":0.9}";
      simulation.inject(
          List.of(
              new TrafficItem(
                  TrafficSource.SENSOR,
                  now,
                  "gf/sensors/WATER_LEVEL/WATER_LEVEL-00001",
                  "{\"value\":55}",
                  Quality.GOOD,
                  null,
                  null,
                  "WATER_LEVEL"),
              new TrafficItem(
                  TrafficSource.CAMERA,
                  now,
                  null,
                  camera,
                  Quality.GOOD,
                  null,
                  null,
                  "FALL_DETECTED")));
      sink.awaitCameraEvent(Duration.ofSeconds(5));
      // sent long before the one-minute batch linger
      assertThat(sink.cameraEvents()).containsExactly(camera);
      assertThat(sink.sensors)
          .extracting(MqttMessage::topic)
          .contains("gf/sensors/WATER_LEVEL/WATER_LEVEL-00001");
      simulation.stop();
      result.get(10, TimeUnit.SECONDS);
    } finally {
      runner.shutdownNow();
    }
  }

  @Test
  void aThrowingListenerDoesNotStopTheRun() {
    TrafficConfig config = TrafficConfig.defaults(5, BEGINNING).withRates(50, 0, 0);
    RecordingTrafficSink sink = new RecordingTrafficSink();
    Progress last =
        Simulation.run(
            district,
            config,
            sink,
            Duration.ofMillis(1300),
            p -> {
              throw new IllegalStateException("listener bug");
            });
    assertThat(last.finished()).isTrue();
    assertThat(sink.sensors).isNotEmpty();
  }

  @Test
  void configRejectsSettingsThatBreakTheContract() {
    TrafficConfig ok = TrafficConfig.defaults(1, BEGINNING);
    assertThatThrownBy(() -> ok.withShares(0.4, 0.2))
        .hasMessageContaining("duplicateShare/badShare");
    assertThatThrownBy(() -> ok.withDoorReportInterval(Duration.ofHours(24)))
        .hasMessageContaining("doorReportInterval");
    assertThatThrownBy(() -> ok.withBatching(1001, Duration.ZERO, 1, Duration.ZERO))
        .hasMessageContaining("cameraBatchSize");
    assertThatThrownBy(() -> ok.withSpeedUp(0)).hasMessageContaining("speedUp");
    assertThat(TrafficConfig.replayStart(BEGINNING, Duration.ofMinutes(10), 60))
        .isEqualTo(BEGINNING.minusSeconds(36_000));
  }
}
