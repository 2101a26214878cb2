package org.gridfusion.jobs.records;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.gridfusion.common.contract.InputSource;
import org.gridfusion.common.contract.Parsed;
import org.gridfusion.jobs.reference.ReferenceData;
import org.gridfusion.jobs.reference.ReferenceFiles;
import org.gridfusion.schema.CameraEvent;
import org.gridfusion.schema.DepartmentRecord;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.SensorReading;

/**
 * Normalises one raw input stream; what cannot be placed goes to {@link DeadLetters#TAG} with its
 * reason and the raw record as payload, and is counted ({@code deadLetters} metric).
 */
public abstract class Normalise<T> extends ProcessFunction<T, Record> {
  private final ReferenceFiles files;
  private final String hmacSecret;
  private transient ReferenceData reference;
  private transient RecordNormaliser normaliser;
  private transient Counter accepted;
  private transient Counter rejected;

  protected Normalise(ReferenceFiles files, String hmacSecret) {
    this.files = files;
    this.hmacSecret = hmacSecret;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) throws Exception {
    reference = ReferenceData.open(files);
    normaliser = new RecordNormaliser(new Pseudonymiser(hmacSecret));
    accepted = getRuntimeContext().getMetricGroup().counter("recordsNormalised");
    rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  protected abstract Parsed<Record> normalise(T raw, RecordNormaliser normaliser, ReferenceData.Snapshot ref);

  protected abstract InputSource source();

  protected abstract long receivedAt(T raw);

  @Override
  public void processElement(T raw, Context ctx, Collector<Record> out) {
    Parsed<Record> r = normalise(raw, normaliser, reference.current());
    if (r instanceof Parsed.Ok<Record> ok) {
      accepted.inc();
      out.collect(ok.value());
    } else if (r instanceof Parsed.Rejected<Record> no) {
      rejected.inc();
      ctx.output(DeadLetters.TAG, no.rejection().toDeadLetter(source(), raw.toString(), receivedAt(raw)).toJson());
    }
  }

  public static final class Cameras extends Normalise<CameraEvent> {
    public Cameras(ReferenceFiles files, String secret) {
      super(files, secret);
    }

    @Override
    protected Parsed<Record> normalise(CameraEvent raw, RecordNormaliser n, ReferenceData.Snapshot ref) {
      return n.camera(raw, ref);
    }

    @Override
    protected InputSource source() {
      return InputSource.CAMERA;
    }

    @Override
    protected long receivedAt(CameraEvent raw) {
      return raw.getReceivedAt().toEpochMilli();
    }
  }

  public static final class Sensors extends Normalise<SensorReading> {
    public Sensors(ReferenceFiles files, String secret) {
      super(files, secret);
    }

    @Override
    protected Parsed<Record> normalise(SensorReading raw, RecordNormaliser n, ReferenceData.Snapshot ref) {
      return n.sensor(raw, ref);
    }

    @Override
    protected InputSource source() {
      return InputSource.SENSOR;
    }

    @Override
    protected long receivedAt(SensorReading raw) {
      return raw.getReceivedAt().toEpochMilli();
    }
  }

  public static final class Departments extends Normalise<DepartmentRecord> {
    public Departments(ReferenceFiles files, String secret) {
      super(files, secret);
    }

    @Override
    protected Parsed<Record> normalise(DepartmentRecord raw, RecordNormaliser n, ReferenceData.Snapshot ref) {
      return n.department(raw, ref);
    }

    @Override
    protected InputSource source() {
      return InputSource.DEPARTMENT;
    }

    @Override
    protected long receivedAt(DepartmentRecord raw) {
      return raw.getReceivedAt().toEpochMilli();
    }
  }
}
