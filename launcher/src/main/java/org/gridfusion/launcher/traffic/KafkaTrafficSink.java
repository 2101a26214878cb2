package org.gridfusion.launcher.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.KafkaConnection;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.connectors.kafka.KafkaPublisher;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;
import org.gridfusion.simulator.traffic.InFlight;
import org.gridfusion.simulator.traffic.SinkCounters;
import org.gridfusion.simulator.traffic.SinkCounts;
import org.gridfusion.simulator.traffic.TrafficSink;
import org.gridfusion.simulator.traffic.TrafficSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated traffic written straight into the raw topics (gf.raw.sensor, gf.raw.camera,
 * gf.raw.department) exactly as the connectors write it: parsed with the contract's {@link
 * InputParsers}, Avro single-object encoded, keyed as the bridge, the HTTP ingest and the inbox key
 * them, invalid input dead-lettered. It lets {@code gridfusion bench --ingress kafka} and {@code
 * gridfusion simulate run --via kafka} load the job without MQTT, HTTP and the inbox in front of
 * it. An input counts as acknowledged when Kafka acked it (and as rejected too when that was its
 * dead letter).
 *
 * <p>At most {@value #MAX_IN_FLIGHT} sends are outstanding; the sender waits beyond that, which is
 * the back-pressure a fast simulation needs.
 */
public final class KafkaTrafficSink implements TrafficSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTrafficSink.class);
  public static final int MAX_IN_FLIGHT = 20_000;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaPublisher kafka;
  private final InputParsers parsers;
  private final AvroCodec<SensorReading> sensorCodec = AvroCodec.of(SensorReading.class);
  private final AvroCodec<CameraEvent> cameraCodec = AvroCodec.of(CameraEvent.class);
  private final AvroCodec<DepartmentRecord> departmentCodec = AvroCodec.of(DepartmentRecord.class);
  private final InFlight inFlight = new InFlight(MAX_IN_FLIGHT);
  private final SinkCounters counters = new SinkCounters();
  private final String origin;

  /**
   * @param clientId the Kafka client id, also the {@code origin} of dead letters and department
   *     records
   * @param privacy pseudonymises the dead letters, as the connectors do
   */
  public KafkaTrafficSink(KafkaConnection kafka, String clientId, PayloadPseudonymiser privacy) {
    this.kafka = new KafkaPublisher(kafka, clientId, privacy);
    this.origin = clientId;
    this.parsers = new InputParsers(TimeWindow.CONTRACT_DEFAULT);
  }

  @Override
  public void sendSensor(String topic, String payloadJson) {
    counters.sent(TrafficSource.SENSOR, 1);
    track(TrafficSource.SENSOR, () -> publishSensor(topic, payloadJson));
  }

  @Override
  public void sendCameraBatch(List<String> eventJsons) {
    counters.sent(TrafficSource.CAMERA, eventJsons.size());
    for (String json : eventJsons) track(TrafficSource.CAMERA, () -> publishCamera(json));
  }

  @Override
  public void sendDepartment(List<String> jsonLines) {
    counters.sent(TrafficSource.DEPARTMENT, jsonLines.size());
    for (String line : jsonLines) track(TrafficSource.DEPARTMENT, () -> publishDepartment(line));
  }

  /**
   * One sensor reading as the MQTT bridge writes it. Completes with true once Kafka has the
   * reading, false once it has its dead letter.
   */
  public CompletableFuture<Boolean> publishSensor(String topic, String payload) {
    long receivedAt = System.currentTimeMillis();
    Parsed<SensorReading> p = parsers.sensorReading(topic, payload, receivedAt);
    if (p instanceof Parsed.Ok<SensorReading> ok) {
      return kafka
          .send(Topics.RAW_SENSOR, ok.value().getDeviceId(), sensorCodec.encode(ok.value()))
          .thenApply(m -> true);
    }
    return deadLetter((Parsed.Rejected<?>) p, InputSource.SENSOR, payload, receivedAt);
  }

  /** One camera event as the HTTP ingest writes it. */
  public CompletableFuture<Boolean> publishCamera(String json) {
    long receivedAt = System.currentTimeMillis();
    Parsed<JsonNode> node = InputParsers.json(json);
    Parsed<CameraEvent> p =
        node instanceof Parsed.Ok<JsonNode> ok
            ? parsers.cameraEvent(ok.value(), receivedAt)
            : new Parsed.Rejected<>(((Parsed.Rejected<JsonNode>) node).rejection());
    if (p instanceof Parsed.Ok<CameraEvent> ok) {
      return kafka
          .send(Topics.RAW_CAMERA, ok.value().getCameraId(), cameraCodec.encode(ok.value()))
          .thenApply(m -> true);
    }
    return deadLetter((Parsed.Rejected<?>) p, InputSource.CAMERA, json, receivedAt);
  }

  /** One department record as the inbox writes it. */
  public CompletableFuture<Boolean> publishDepartment(String line) {
    long receivedAt = System.currentTimeMillis();
    Parsed<JsonNode> node = InputParsers.json(line);
    Parsed<DepartmentRecord> p =
        node instanceof Parsed.Ok<JsonNode> ok
            ? parsers.departmentRecord(ok.value(), receivedAt, origin)
            : new Parsed.Rejected<>(((Parsed.Rejected<JsonNode>) node).rejection());
    if (p instanceof Parsed.Ok<DepartmentRecord> ok) {
      return kafka
          .send(Topics.RAW_DEPARTMENT, ok.value().getRecordId(), departmentCodec.encode(ok.value()))
          .thenApply(m -> true);
    }
    return deadLetter((Parsed.Rejected<?>) p, InputSource.DEPARTMENT, line, receivedAt);
  }

  private CompletableFuture<Boolean> deadLetter(
      Parsed.Rejected<?> rejected, InputSource source, String payload, long receivedAt) {
    return kafka
        .deadLetter(rejected.rejection().toDeadLetter(source, payload, receivedAt, origin))
        .thenApply(m -> false);
  }

  private void track(TrafficSource source, Supplier<CompletableFuture<Boolean>> send) {
    try {
      if (!inFlight.acquire(FLUSH_TIMEOUT)) {
        counters.failed(source, 1);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      counters.failed(source, 1);
      return;
    }
    send.get()
        .whenComplete(
            (stored, error) -> {
              if (error != null) {
                counters.failed(source, 1);
                LOG.debug("raw {} send failed: {}", source, error.toString());
              } else {
                counters.acknowledged(source, 1);
                if (!stored) counters.rejected(source, 1);
              }
              inFlight.release();
            });
  }

  @Override
  public void flush() {
    kafka.flush();
    inFlight.drain(FLUSH_TIMEOUT, LOG, "Kafka sink: sends");
  }

  @Override
  public SinkCounts counts(TrafficSource source) {
    return counters.snapshot(source);
  }

  @Override
  public void close() {
    flush();
    kafka.close();
  }
}
