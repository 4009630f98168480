package io.volumekit.benchmarks;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.binding.LinearScanVolumeMatcher;
import io.volumekit.core.binding.VolumeMatcher;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Binding N pending claims against N available PVs in one settle (docs/performance.md).
 *
 * <p>Setup (not measured) stores N Available PVs and N Pending claims; the measured call is one
 * {@code settle()}, which binds them all. {@code matcher=linear} is Kubernetes' algorithm (every
 * PV of the access-mode group scanned per claim), the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx10g", "-Xmn6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class BindingBenchmark {

  @Param({"1000", "10000", "100000"})
  public int n;

  @Param({"indexed", "linear"})
  public String matcher;

  private VolumeKit kit;

  @Setup(Level.Invocation)
  public void setUp() {
    if (matcher.equals("linear") && n > 10_000) {
      throw new IllegalStateException("skipped: the n^2 baseline at n=" + n + " takes hours");
    }
    VolumeMatcher m = matcher.equals("linear") ? new LinearScanVolumeMatcher() : new IndexedVolumeMatcher();
    kit = VolumeKit.builder().deterministic(1).matcher(m).eventRecorder(EventRecorder.discarding()).build();
    for (int i = 0; i < n; i++) {
      kit.apply(Objects.pv(i));
    }
    kit.settle(); // PVs become Available
    for (int i = 0; i < n; i++) {
      kit.apply(Objects.pvc(i));
    }
  }

  @Benchmark
  public SettleResult bindAll() {
    SettleResult r = kit.settle();
    if (!r.quiescent()) {
      throw new IllegalStateException("did not settle: " + r);
    }
    return r;
  }
}
