package io.volumekit.benchmarks;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.binding.LinearScanVolumeMatcher;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.runtime.SettleResult;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The binding benchmark measured by CPU time as well as wall time: on a shared, overloaded
 * machine the wall time of {@link BindingBenchmark} mostly measures waiting for a core, so this
 * prints, per round, the settle's wall time, the engine thread's CPU time and the GC time, the
 * bytes allocated per claim and the raw CSI baseline ({@code rawCsiUs}) measured in the same run.
 *
 * <p>Run: {@code java -Xmx10g -Xmn6g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.BindingCpuTime 100000 indexed 5}.
 */
public final class BindingCpuTime {

  private BindingCpuTime() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean linear = args.length > 1 && args[1].equals("linear");
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PodLifecycleBenchmark.RawCsi raw = new PodLifecycleBenchmark.RawCsi();
    raw.verifyOne();
    WarmRounds warm = new WarmRounds();
    for (int round = 0; round < rounds; round++) {
      VolumeKit kit = VolumeKit.builder().deterministic(1)
          .matcher(linear ? new LinearScanVolumeMatcher() : new IndexedVolumeMatcher())
          .eventRecorder(EventRecorder.discarding()).build();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pv(i));
      }
      kit.settle();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pvc(i));
      }
      System.gc();
      long gc0 = gcMillis();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = allocated(threads);
      long t0 = System.nanoTime();
      SettleResult r = kit.settle();
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long gc = gcMillis() - gc0;
      long bytes = allocated(threads) - alloc0;
      double rawUs = rawCsiMicros(raw, threads);
      warm.add("settle", round, cpu);
      warm.add("rawCsi", round, rawUs);
      System.out.printf("n=%d matcher=%s round=%d wallMs=%d engineCpuMs=%d gcMs=%d quiescent=%s steps=%d "
              + "allocBytesPerClaim=%d rawCsiUs=%.2f%n",
          n, linear ? "linear" : "indexed", round, wall, cpu, gc, r.quiescent(), r.steps(), bytes / n, rawUs);
    }
    warm.print("", ""); // settle in engine CPU ms, rawCsi in µs per eight calls: no ratio of the two
  }

  /**
   * The baseline of the pod lifecycle benchmarks, measured in the same run so that figures taken
   * on a loaded machine can be given as a ratio to it: CPU µs of the eight CSI calls of one
   * lifecycle made directly on the in-memory driver (200,000 times).
   */
  private static double rawCsiMicros(PodLifecycleBenchmark.RawCsi raw, ThreadMXBean threads) {
    int calls = 200_000;
    long cpu0 = threads.getCurrentThreadCpuTime();
    long sink = 0;
    for (int i = 0; i < calls; i++) {
      sink += raw.run();
    }
    if (sink == 0) {
      throw new IllegalStateException("raw CSI calls returned nothing");
    }
    return (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / calls;
  }

  /** Bytes allocated so far by this thread (the engine's, in deterministic mode), or -1 if unknown. */
  private static long allocated(ThreadMXBean threads) {
    return threads instanceof com.sun.management.ThreadMXBean t ? t.getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
  }

  private static long gcMillis() {
    long t = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }
}
