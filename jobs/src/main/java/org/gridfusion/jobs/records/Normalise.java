package org.gridfusion.jobs.records;

import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.common.contract.ContractJson;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.common.kafka.Topics;
import org.gridfusion.common.privacy.Pseudonymiser;
import org.gridfusion.jobs.reference.ReferenceData;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;

/**
 * Normalises one raw input stream; what cannot be placed goes to {@link DeadLetters#TAG} with its
 * reason and the raw input in its contract JSON form as payload ({@link ContractJson}; the job's
 * dead-letter sink pseudonymises it, {@link DeadLetterPrivacy}), and is counted ({@code
 * deadLetters} metric). One class for the three inputs: they differ only in which {@link
 * RecordNormaliser} step applies, how the input reads as contract JSON and where it came from,
 * given as serializable method references by the factories below.
 */
public final class Normalise<T> extends ProcessFunction<T, Record> {
  /** The source-specific step. */
  @FunctionalInterface
  interface Step<T> extends Serializable {
    Parsed<Record> apply(RecordNormaliser normaliser, T raw, ReferenceData.Snapshot ref);
  }

  /** When the connector received the raw input (the dead letter's receivedAt). */
  @FunctionalInterface
  interface ReceivedAt<T> extends Serializable {
    long of(T raw);
  }

  /**
   * A text about the raw input: its contract JSON, or its origin — the raw topic the job read it
   * from, then where the connector got it ({@code gf.raw.department:inbox:f.jsonl:3}), so a job's
   * dead letter is never taken for a connector's.
   */
  @FunctionalInterface
  interface Text<T> extends Serializable {
    String of(T raw);
  }

  private final ReferenceFiles files;
  private final String hmacSecret;
  private final InputSource source;
  private final Step<T> step;
  private final ReceivedAt<T> receivedAt;
  private final Text<T> payload;
  private final Text<T> origin;
  private transient ReferenceData reference;
  private transient RecordNormaliser normaliser;
  private transient Counter accepted;
  private transient Counter rejected;

  private Normalise(
      ReferenceFiles files,
      String hmacSecret,
      InputSource source,
      Step<T> step,
      ReceivedAt<T> receivedAt,
      Text<T> payload,
      Text<T> origin) {
    this.files = files;
    this.hmacSecret = hmacSecret;
    this.source = source;
    this.step = step;
    this.receivedAt = receivedAt;
    this.payload = payload;
    this.origin = origin;
  }

  public static Normalise<CameraEvent> cameras(ReferenceFiles files, String secret) {
    return new Normalise<>(
        files,
        secret,
        InputSource.CAMERA,
        RecordNormaliser::camera,
        e -> e.getReceivedAt().toEpochMilli(),
        ContractJson::camera,
        e -> Topics.RAW_CAMERA);
  }

  public static Normalise<SensorReading> sensors(ReferenceFiles files, String secret) {
    return new Normalise<>(
        files,
        secret,
        InputSource.SENSOR,
        RecordNormaliser::sensor,
        r -> r.getReceivedAt().toEpochMilli(),
        ContractJson::sensor,
        r -> Topics.RAW_SENSOR + ":" + ContractJson.sensorTopic(r));
  }

  public static Normalise<DepartmentRecord> departments(ReferenceFiles files, String secret) {
    return new Normalise<>(
        files,
        secret,
        InputSource.DEPARTMENT,
        RecordNormaliser::department,
        d -> d.getReceivedAt().toEpochMilli(),
        ContractJson::department,
        d -> Topics.RAW_DEPARTMENT + (d.getOrigin() == null ? "" : ":" + d.getOrigin()));
  }

  @Override
  public void open(OpenContext ctx) throws Exception {
    reference = ReferenceData.open(files);
    normaliser = new RecordNormaliser(new Pseudonymiser(hmacSecret));
    accepted = getRuntimeContext().getMetricGroup().counter("recordsNormalised");
    rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void close() throws Exception {
    if (reference != null) reference.close();
  }

  @Override
  public void processElement(T raw, Context ctx, Collector<Record> out) {
    Parsed<Record> r = step.apply(normaliser, raw, reference.current());
    if (r instanceof Parsed.Ok<Record> ok) {
      accepted.inc();
      out.collect(ok.value());
    } else if (r instanceof Parsed.Rejected<Record> no) {
      rejected.inc();
      ctx.output(
          DeadLetters.TAG,
          no.rejection()
              .toDeadLetter(source, payload.of(raw), receivedAt.of(raw), origin.of(raw))
              .toJson());
    }
  }
}
