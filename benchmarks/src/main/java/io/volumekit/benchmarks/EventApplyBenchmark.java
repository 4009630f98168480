package io.volumekit.benchmarks;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One change applied to a state of 10k or 1M objects (docs/performance.md, "One change applied to a state of 10k vs 1M objects"): the cost of an
 * update of {@link ClusterState} (persistent map + indexes) must grow as log n.
 *
 * <p>{@code persistent}: {@code ClusterState.put} of one PV whose phase flips (it moves in and out
 * of the binder's index). {@code copyOnWrite}: the baseline, an immutable copy of a plain map of
 * the same size per change.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx10g", "-Xmn6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventApplyBenchmark {

  @Param({"10000", "1000000"})
  public int objects;

  private ClusterState state;
  private PersistentVolume available;
  private PersistentVolume released;
  private java.util.Map<String, Object> plain;
  private boolean flip;
  private int i;

  @Setup
  public void setUp() {
    ClusterState s = ClusterState.empty();
    plain = new java.util.HashMap<>();
    for (int k = 0; k < objects / 2; k++) {
      PersistentVolume pv = Objects.pv(k);
      pv = pv.withStatus(pv.status().withPhase(java.util.Optional.of("Available")));
      s = s.put(pv);
      PersistentVolumeClaim c = Objects.pvc(k);
      s = s.put(c);
      plain.put(pv.metadata().name(), pv);
      plain.put("ns/" + c.metadata().name(), c);
    }
    state = s;
    PersistentVolume pv = Objects.pv(objects / 4);
    available = pv.withStatus(pv.status().withPhase(java.util.Optional.of("Available")));
    released = pv.withStatus(pv.status().withPhase(java.util.Optional.of("Released")));
  }

  @Benchmark
  public ClusterState persistent() {
    flip = !flip;
    state = state.put(flip ? released : available);
    return state;
  }

  @Benchmark
  public Object copyOnWriteBaseline() {
    if (objects > 10_000) {
      throw new IllegalStateException("skipped at 1M: one copy per change is the O(n) anchor");
    }
    flip = !flip;
    java.util.Map<String, Object> copy = new java.util.HashMap<>(plain);
    copy.put(available.metadata().name(), flip ? released : available);
    plain = java.util.Map.copyOf(copy);
    return plain;
  }
}
