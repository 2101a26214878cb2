package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gridfusion.common.contract.SensorType;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.schema.RiskScore;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.district.Device;
import org.gridfusion.simulator.scenario.Incident;
import org.gridfusion.simulator.scenario.Incidents;
import org.gridfusion.simulator.traffic.TrafficItem;
import org.gridfusion.testkit.ElasticsearchProbe;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.gridfusion.testkit.KafkaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 6 end to end: water rises in a grid (an URGENT alert) and the grid turns HIGH in gf-grid-risk,
 * gf-grid-status and on gf.risk; then the incident ends and, with nothing new, the grid decays back to
 * LOW. The scenario is dated hours back, so the decay plays out as soon as event time moves on.
 */
@ExtendWith(EmbeddedStackExtension.class)
class RiskScoreITCase {

  @Test
  void aGridRisesToHighOnAnUrgentAlertThenDecaysBackToLow() throws Exception {
    TestPipeline gf = TestPipeline.get();
    String es = gf.stack.elasticsearchUrl();
    Device gauge = quietGauge(gf);
    Instant at = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(7);
    Incident water = Incidents.waterlogging(gf.district, at, gauge.deviceId());
    String grid = water.truth().gridId();
    for (TrafficItem item : water.items()) gf.publish(item.topic(), item.payload());

    String riskQuery = "{\"size\":500,\"sort\":[{\"ts\":\"asc\"}],\"query\":{\"term\":{\"gridId\":\"" + grid + "\"}}}";
    JsonNode high = ElasticsearchProbe.awaitHits(es, "gf-grid-risk*",
            "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"gridId\":\"" + grid + "\"}},{\"terms\":{\"level\":[\"HIGH\",\"CRITICAL\"]}}]}}}",
            1, TestPipeline.WITHIN)
        .sources().get(0);
    assertThat(high.get("ts").asText()).isEqualTo(at.toString()); // at once, at the alert's event time
    assertThat(high.get("score").asDouble()).isGreaterThanOrEqualTo(50);
    assertThat(high.get("openAlerts").asInt()).isEqualTo(1);
    assertThat(high.get("factors").get(0).get("name").asText()).isEqualTo("alert:WATERLOGGING");

    // the street grabs the work order the alert opened and reports it handled, so no overdue alert
    // re-raises the grid later (commands sent before event time moves past the order's deadlines)
    String orderId = "WO.WATERLOGGING." + grid + "." + at.toEpochMilli();
    gf.awaitWorkOrder(orderId, o -> true, null);
    gf.workOrderCommand(orderId, "GRAB", at.plus(Duration.ofMinutes(1)), null);
    gf.workOrderCommand(orderId, "FEEDBACK", at.plus(Duration.ofMinutes(20)), "\"comment\":\"pumped out\"");
    gf.awaitWorkOrder(orderId, o -> o.get("status").asText().equals("HANDLED"), null);

    // event time moves on (live traffic would do it): the incident ends after 30 quiet minutes and fades
    long deadline = System.nanoTime() + TestPipeline.WITHIN.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      gf.reading("TEMPERATURE", gf.district.sensors(SensorType.TEMPERATURE).get(0).deviceId(), 3.5,
          Instant.now().plus(Duration.ofMinutes(2)));
      ElasticsearchProbe.refresh(es, "gf-grid-status*");
      var hits = ElasticsearchProbe.search(es, "gf-grid-status*", "{\"query\":{\"term\":{\"gridId\":\"" + grid + "\"}}}");
      if (hits.total() == 1 && hits.sources().get(0).get("level").asText().equals("LOW")) {
        status = hits.sources().get(0);
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(status).as("gf-grid-status of " + grid + " back to LOW; series: "
        + ElasticsearchProbe.search(es, "gf-grid-risk*", riskQuery).sources()).isNotNull();
    assertThat(status.get("openAlerts").asInt()).isZero();
    assertThat(status.get("location").get("lat").asDouble()).isNotZero();
    assertThat(Instant.parse(status.get("updatedAt").asText())).isAfter(at.plus(Duration.ofMinutes(60)));

    // the time series in between: one point per minute while it fell, never rising, HIGH → MEDIUM → LOW
    ElasticsearchProbe.refresh(es, "gf-grid-risk*");
    List<JsonNode> series = ElasticsearchProbe.search(es, "gf-grid-risk*", riskQuery).sources();
    List<Double> scores = new ArrayList<>();
    series.forEach(s -> scores.add(s.get("score").asDouble()));
    assertThat(scores).as("scores of " + grid + ": " + series).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    List<String> points = series.stream().map(s -> s.get("ts").asText() + " " + s.get("score").asText() + " " + s.get("level").asText()
        + " " + s.get("openAlerts").asText()).toList();
    assertThat(series).as("series %s", points).extracting(s -> s.get("level").asText()).contains("HIGH", "MEDIUM", "LOW");

    JsonNode alert = gf.alerts("WATERLOGGING", grid).sources().get(0);
    assertThat(alert.get("status").asText()).isEqualTo("CLOSED");
    assertThat(alert.get("closedAt").asText()).isEqualTo(at.plus(Duration.ofMinutes(30)).toString());

    // and the same scores for real-time consumers on gf.risk
    var onKafka = KafkaProbe.readUntil(gf.stack.kafkaBootstrap(), Topics.RISK,
        rs -> rs.stream().anyMatch(r -> decode(r.value()).getGridId().equals(grid)), Duration.ofSeconds(30));
    assertThat(onKafka).extracting(r -> decode(r.value())).filteredOn(r -> r.getGridId().equals(grid))
        .extracting(r -> r.getLevel().name()).contains("HIGH");
  }

  /**
   * A water gauge in a grid nothing else has touched: the score of a grid with a newer past would be
   * assessed at that grid's own later time, where a six-hour-old incident is long over. Other tests'
   * devices (the first and last gauges, the middle one, the last manhole sensor) are left alone.
   */
  private static Device quietGauge(TestPipeline gf) {
    List<Device> gauges = gf.district.sensors(SensorType.WATER_LEVEL);
    List<Device> tilts = gf.district.sensors(SensorType.MANHOLE_TILT);
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (int i = 0; i < Math.min(4, gauges.size()); i++) taken.add(gauges.get(i).gridId());
    taken.add(gauges.get(gauges.size() - 1).gridId());
    taken.add(gauges.get(gauges.size() / 2).gridId());
    taken.add(tilts.get(tilts.size() - 1).gridId());
    String es = gf.stack.elasticsearchUrl();
    for (int i = gauges.size() - 2; i > 0; i--) {
      Device g = gauges.get(i);
      if (taken.contains(g.gridId())) continue;
      String q = "{\"query\":{\"term\":{\"gridId\":\"" + g.gridId() + "\"}}}";
      ElasticsearchProbe.refresh(es, "gf-*");
      if (ElasticsearchProbe.search(es, "gf-grid-status*", q).total() == 0 && ElasticsearchProbe.search(es, "gf-alerts*", q).total() == 0) {
        return g;
      }
    }
    throw new IllegalStateException("no untouched grid with a water gauge left in the test district");
  }

  private static final AvroCodec<RiskScore> CODEC = AvroCodec.of(RiskScore.class);

  private static RiskScore decode(byte[] value) {
    try {
      return CODEC.decode(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not a RiskScore on " + Topics.RISK, e);
    }
  }
}
