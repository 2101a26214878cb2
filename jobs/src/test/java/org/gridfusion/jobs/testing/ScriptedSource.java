package org.gridfusion.jobs.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source that plays {@link Script}s, one per partition (split). Partition {@code p} is
 * read by subtask {@code p % parallelism}, so a test decides which inputs share a reader, as Kafka
 * partitions would. Each partition emits its elements in order through its own split output, so it
 * has its own watermark (the job's strategy assigns timestamps and watermarks), and a partition
 * waiting at a condition or a hold holds event time back for the whole job.
 *
 * <p>A partition that has played its script ends; a reader whose partitions have all ended ends too
 * (its watermark then no longer counts). The job's event time is therefore bounded by the
 * partitions still waiting: a test ends a run at an instant of its choosing with one partition that
 * ticks to that instant and then holds (see {@link FusionJobRun}), never by letting every source
 * end, which would move the watermark to the end of time and fire every timer.
 *
 * <p>The position of each partition is its checkpointed state, so a job restored from a savepoint
 * continues each script where it stopped — except partitions marked {@code replayed}, which start
 * again (the run's clock: after a restore the watermark starts from nothing and must be driven
 * again).
 */
public final class ScriptedSource<T>
    implements Source<T, ScriptedSource.Split, List<ScriptedSource.Split>>, ResultTypeQueryable<T> {
  private final String runId;
  private final List<Script<T>> partitions;
  private final List<Boolean> replayed;
  private final TypeInformation<T> type;

  public ScriptedSource(
      String runId, List<Script<T>> partitions, List<Boolean> replayed, TypeInformation<T> type) {
    this.runId = runId;
    this.partitions = List.copyOf(partitions);
    this.replayed = List.copyOf(replayed);
    this.type = type;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return type;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED; // partitions may hold until the job is stopped
  }

  @Override
  public SplitEnumerator<Split, List<Split>> createEnumerator(
      SplitEnumeratorContext<Split> context) {
    List<Split> all = new ArrayList<>();
    for (int p = 0; p < partitions.size(); p++) all.add(new Split(p, 0));
    return new Enumerator(context, all);
  }

  @Override
  public SplitEnumerator<Split, List<Split>> restoreEnumerator(
      SplitEnumeratorContext<Split> context, List<Split> unassigned) {
    return new Enumerator(context, unassigned);
  }

  @Override
  public SimpleVersionedSerializer<Split> getSplitSerializer() {
    return new SplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<List<Split>> getEnumeratorCheckpointSerializer() {
    return new SplitListSerializer();
  }

  @Override
  public SourceReader<T, Split> createReader(SourceReaderContext context) {
    return new Reader(TestRun.get(runId));
  }

  /** A partition and how far it has played. */
  public record Split(int partition, int position) implements SourceSplit {
    @Override
    public String splitId() {
      return "p" + partition;
    }
  }

  /** Hands every partition to its reader ({@code p % parallelism}), then says there are no more. */
  private static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
    private final SplitEnumeratorContext<Split> context;
    private final List<Split> unassigned;

    Enumerator(SplitEnumeratorContext<Split> context, List<Split> unassigned) {
      this.context = context;
      this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {}

    @Override
    public void addSplitsBack(List<Split> splits, int subtask) {
      unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {
      int parallelism = context.currentParallelism();
      for (Iterator<Split> it = unassigned.iterator(); it.hasNext(); ) {
        Split s = it.next();
        if (s.partition() % parallelism == subtask) {
          context.assignSplit(s, subtask);
          it.remove();
        }
      }
      context.signalNoMoreSplits(subtask);
    }

    @Override
    public List<Split> snapshotState(long checkpointId) {
      return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
  }

  /** Plays its partitions round-robin, one element at a time. */
  private final class Reader implements SourceReader<T, Split> {
    private final TestRun run;
    private final Map<String, Playing> playing = new LinkedHashMap<>();
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> wakeUp = new CompletableFuture<>();

    Reader(TestRun run) {
      this.run = run;
    }

    private final class Playing {
      final int partition;
      int position;
      SourceOutput<T> output;

      Playing(Split s) {
        this.partition = s.partition();
        this.position = s.position();
      }
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) {
      // taken before looking, so a change while we look still wakes us
      CompletableFuture<Void> change = run.nextChange();
      for (Map.Entry<String, Playing> e : playing.entrySet()) {
        // every partition gets its own watermark from the start, so it holds event time back
        // even while it waits before its first element
        if (e.getValue().output == null)
          e.getValue().output = output.createOutputForSplit(e.getKey());
      }
      List<String> ended = new ArrayList<>();
      try {
        for (Map.Entry<String, Playing> e : playing.entrySet()) {
          Playing p = e.getValue();
          List<Script.Step<T>> steps = partitions.get(p.partition).steps();
          while (p.position < steps.size()) {
            Script.Step<T> step = steps.get(p.position);
            if (step instanceof Script.Emit<T> emit) {
              p.output.collect(emit.element());
              p.position++;
              // the others first next time: partitions interleave as they would on Kafka
              playing.remove(e.getKey());
              playing.put(e.getKey(), p);
              return InputStatus.MORE_AVAILABLE;
            } else if (step instanceof Script.Await<T> await) {
              if (!await.condition().holds(run.outputs())) break;
              p.position++;
            } else if (step instanceof Script.Hold<T> hold) {
              if (!run.isReleased(hold.name())) {
                run.holding(partitions.get(p.partition).name());
                break;
              }
              p.position++;
            }
          }
          if (p.position >= steps.size()) ended.add(e.getKey());
        }
      } finally {
        for (String id : ended) {
          playing.remove(id);
          output.releaseOutputForSplit(id);
        }
      }
      if (!ended.isEmpty()) return InputStatus.MORE_AVAILABLE;
      if (playing.isEmpty() && noMoreSplits) return InputStatus.END_OF_INPUT;
      available = CompletableFuture.anyOf(change, wakeUp).thenApply(x -> null);
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<Split> snapshotState(long checkpointId) {
      List<Split> state = new ArrayList<>();
      for (Playing p : playing.values())
        state.add(new Split(p.partition, replayed.get(p.partition) ? 0 : p.position));
      return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<Split> splits) {
      for (Split s : splits) playing.put(s.splitId(), new Playing(s));
      wake();
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      wake();
    }

    private void wake() {
      CompletableFuture<Void> w = wakeUp;
      wakeUp = new CompletableFuture<>();
      w.complete(null);
    }

    @Override
    public void close() {}
  }

  private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Split s) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(s.partition());
        out.writeInt(s.position());
      }
      return bytes.toByteArray();
    }

    @Override
    public Split deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return new Split(in.readInt(), in.readInt());
      }
    }
  }

  private static final class SplitListSerializer implements SimpleVersionedSerializer<List<Split>> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<Split> splits) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(splits.size());
        for (Split s : splits) {
          out.writeInt(s.partition());
          out.writeInt(s.position());
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public List<Split> deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        List<Split> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) splits.add(new Split(in.readInt(), in.readInt()));
        return splits;
      }
    }
  }
}
