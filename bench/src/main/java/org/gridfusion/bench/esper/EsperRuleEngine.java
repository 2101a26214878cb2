package org.gridfusion.bench.esper;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridfusion.bench.RaisedAlert;
import org.gridfusion.bench.RulePipeline;
import org.gridfusion.schema.Record;
import org.gridfusion.schema.Severity;

/**
 * The Esper baseline: {@link EsperRules}' EPL deployed on an Esper runtime of its own, on an
 * external clock driven by event time.
 *
 * <p>Esper's clock only moves forward and its windows and timers are measured on it, so records are
 * released to it in event-time order: they wait in a small buffer until the watermark passes them
 * (the stream's disorder, a few seconds), then each advances the clock to its {@code ts} and is
 * sent. This is how event-time input is fed to Esper (its documentation asks for time-ordered
 * events under external timing); GridFusion's operators take the same records in arrival order
 * instead. A record behind the clock (later than the watermark promised) is still sent, at the
 * current time.
 *
 * <p>Compiling the EPL is done once per JVM and is not part of any measured run; each instance has
 * its own runtime, so runs do not share state.
 */
public final class EsperRuleEngine implements RulePipeline {
  private static final AtomicInteger RUNTIMES = new AtomicInteger();
  private static final Configuration CONFIGURATION = EsperRules.configuration();
  private static final Map<String, EPCompiled> COMPILED = new HashMap<>();

  private record Pending(long ts, long seq, Record record) {}

  private final EPRuntime runtime;
  private final EPEventService events;
  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>(
          (a, b) -> a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.seq, b.seq));
  private final Map<String, RaisedAlert> alerts = new HashMap<>();
  private long seq;
  private long clock;

  /** The ten default rules as written by hand in {@link EsperRules}. */
  public EsperRuleEngine() {
    this(EsperRules.EPL);
  }

  /** Any EPL module with an {@code alerts} statement (e.g. {@link EsperRuleSet#epl}). */
  public EsperRuleEngine(String epl) {
    runtime =
        EPRuntimeProvider.getRuntime(
            "gridfusion-esper-" + RUNTIMES.incrementAndGet(), CONFIGURATION);
    events = runtime.getEventService();
    // Start the clock at 0 before anything is scheduled; records then move it to their event time.
    events.clockExternal();
    events.advanceTime(0);
    try {
      EPDeployment d = runtime.getDeploymentService().deploy(compile(epl));
      EPStatement st = runtime.getDeploymentService().getStatement(d.getDeploymentId(), "alerts");
      st.addListener(
          (newEvents, oldEvents, statement, rt) -> {
            if (newEvents != null) for (EventBean e : newEvents) collect(e);
          });
    } catch (EPDeployException e) {
      runtime.destroy();
      throw new IllegalStateException("Esper refused the rules: " + e.getMessage(), e);
    }
  }

  /**
   * The compiled EPL module, compiled on first use (seconds; a minute or so for a city's rules) and
   * shared by every runtime.
   */
  public static synchronized EPCompiled compile(String epl) {
    EPCompiled compiled = COMPILED.get(epl);
    if (compiled == null) {
      try {
        compiled =
            EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(CONFIGURATION));
      } catch (EPCompileException e) {
        throw new IllegalStateException("The Esper rules do not compile: " + e.getMessage(), e);
      }
      COMPILED.put(epl, compiled);
    }
    return compiled;
  }

  private void collect(EventBean e) {
    String ruleId = (String) e.get("ruleId");
    String gridId = (String) e.get("gridId");
    String subjectRef = (String) e.get("subjectRef");
    long firstSeen = (Long) e.get("firstSeen");
    Severity severity = Severity.values()[(Integer) e.get("severity")];
    String id = RaisedAlert.id(ruleId, gridId, subjectRef, firstSeen);
    alerts.put(id, new RaisedAlert(ruleId, gridId, severity, subjectRef, firstSeen));
  }

  @Override
  public void accept(Record r) {
    pending.add(new Pending(r.getTs().toEpochMilli(), seq++, r));
  }

  @Override
  public void watermark(long ts) {
    while (!pending.isEmpty() && pending.peek().ts() <= ts) {
      Pending p = pending.poll();
      advance(p.ts());
      events.sendEventBean(p.record(), "Record");
    }
    // As Flink fires its event-time timers: everything due up to the watermark happens now.
    advance(ts);
  }

  private void advance(long ts) {
    if (ts > clock) {
      events.advanceTime(ts);
      clock = ts;
    }
  }

  @Override
  public Map<String, RaisedAlert> alerts() {
    return alerts;
  }

  @Override
  public void close() {
    runtime.destroy();
  }
}
