package org.gridfusion.connectors.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.gridfusion.common.contract.DeadLetter;
import org.gridfusion.common.contract.InputParsers;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.contract.Reason;
import org.gridfusion.common.contract.Rejection;
import org.gridfusion.common.contract.TimeWindow;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.privacy.PayloadPseudonymiser;
import org.gridfusion.schema.SensorReading;
import org.gridfusion.schema.codec.AvroCodec;

/**
 * One MQTT message turned into the one Kafka record it becomes (contract §2.2, §3): a valid reading
 * as Avro on {@code gf.raw.sensor} keyed by device, anything else as a dead letter with its reason.
 * The MQTT endpoint and the bridge both use it, so a reading is judged the same whichever way it
 * came in.
 *
 * <p>A payload over {@code maxPayloadBytes} is not parsed: it is dead-lettered as {@code TOO_LARGE}
 * with its first {@code maxPayloadBytes} kept (a reading is a few dozen bytes; a huge one is a
 * faulty or hostile sender, and what it sent should be visible without filling the topic).
 *
 * <p>Thread-safe and pure: no I/O, the caller sends the {@link Delivery} and acknowledges the
 * message only once Kafka has it.
 */
public final class SensorReadingIngest {
  private final InputParsers parsers;
  private final int maxPayloadBytes;
  private final PayloadPseudonymiser privacy;
  private final AvroCodec<SensorReading> codec = AvroCodec.of(SensorReading.class);

  /**
   * @param privacy pseudonymises a dead letter's payload before it leaves (a door sensor's text
   *     value may carry a phone number); the same secret as every other output
   */
  public SensorReadingIngest(TimeWindow window, int maxPayloadBytes, PayloadPseudonymiser privacy) {
    this.parsers = new InputParsers(window);
    this.maxPayloadBytes = maxPayloadBytes;
    this.privacy = privacy;
  }

  /**
   * A record for Kafka.
   *
   * @param rejected null for a valid reading, else why it went to the dead-letter topic
   */
  public record Delivery(String topic, String key, byte[] value, Reason rejected) {
    public boolean isReading() {
      return rejected == null;
    }
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * What a message on {@code mqttTopic} becomes.
   *
   * @param payload the whole payload, or its first bytes when {@code payloadSize} is larger
   * @param payloadSize the payload's size as received
   */
  public Delivery accept(String mqttTopic, byte[] payload, int payloadSize, long receivedAt) {
    String origin = "mqtt:" + mqttTopic;
    if (payloadSize > maxPayloadBytes) {
      byte[] kept = Arrays.copyOf(payload, Math.min(payload.length, maxPayloadBytes));
      Rejection why =
          new Rejection(
              Reason.TOO_LARGE,
              "payload of "
                  + payloadSize
                  + " bytes is larger than ingest.mqtt.maxPayloadBytes ("
                  + maxPayloadBytes
                  + "); its first "
                  + kept.length
                  + " bytes are kept");
      // Cut anywhere, possibly inside a character: decoded leniently, it is evidence, not input.
      return deadLetter(why, new String(kept, StandardCharsets.UTF_8), receivedAt, origin);
    }
    Parsed<String> text = InputParsers.utf8(payload);
    Parsed<SensorReading> reading =
        text instanceof Parsed.Ok<String> ok
            ? parsers.sensorReading(mqttTopic, ok.value(), receivedAt)
            : new Parsed.Rejected<>(((Parsed.Rejected<String>) text).rejection());
    if (reading instanceof Parsed.Ok<SensorReading> r) {
      SensorReading value = r.value();
      return new Delivery(Topics.RAW_SENSOR, value.getDeviceId(), codec.encode(value), null);
    }
    Rejection why = ((Parsed.Rejected<SensorReading>) reading).rejection();
    String kept =
        text instanceof Parsed.Ok<String> ok
            ? ok.value()
            : new String(payload, StandardCharsets.ISO_8859_1);
    return deadLetter(why, kept, receivedAt, origin);
  }

  /** {@link #accept(String, byte[], int, long)} of a whole payload. */
  public Delivery accept(String mqttTopic, byte[] payload, long receivedAt) {
    return accept(mqttTopic, payload, payload.length, receivedAt);
  }

  private Delivery deadLetter(Rejection why, String payload, long receivedAt, String origin) {
    DeadLetter letter =
        privacy.apply(why.toDeadLetter(InputSource.SENSOR, payload, receivedAt, origin));
    return new Delivery(
        Topics.DEADLETTER,
        letter.key(),
        letter.toJson().getBytes(StandardCharsets.UTF_8),
        why.reason());
  }
}
