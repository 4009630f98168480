package io.volumekit.benchmarks;

import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.event.StoredEventRecorder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The pod-lifecycle benchmark measured by CPU time as well as wall time: on a shared, overloaded
 * machine {@link PodLifecycleBenchmark}'s wall time mostly measures waiting for a core. In
 * deterministic mode every reconcile and CSI call runs on the calling thread, so that thread's CPU
 * time is what the engine costs (GC threads are reported apart).
 *
 * <p>Per round and per variant it prints lifecycles per second by wall time and by engine CPU
 * time, and the GC time: {@code seq} (one lifecycle per settle pair), {@code batch<K>} (K
 * lifecycles per settle pair) and {@code rawCsi} (the baseline: the eight CSI calls alone).
 *
 * <p>Run: {@code java -Xmx4g -Xmn2g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.PodLifecycleCpuTime [lifecyclesPerRound=20000] [rounds=5]
 * [bindingMode=WaitForFirstConsumer] [batch=100] [nodeFs=tmp|shm|none] [events=discarded|stored]}
 * ({@code nodeFs}: see {@link PodLifecycleBenchmark.Lifecycles}).
 */
public final class PodLifecycleCpuTime {

  private PodLifecycleCpuTime() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String mode = args.length > 2 ? args[2] : "WaitForFirstConsumer";
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : PodLifecycleBenchmark.BATCH;
    String nodeFs = args.length > 4 ? args[4] : "tmp";
    boolean storedEvents = args.length > 5 && args[5].equals("stored");
    EventRecorder events = storedEvents ? new StoredEventRecorder() : EventRecorder.discarding();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    try (PodLifecycleBenchmark.Lifecycles seq = new PodLifecycleBenchmark.Lifecycles(mode, events, nodeFs);
         PodLifecycleBenchmark.Lifecycles batched = new PodLifecycleBenchmark.Lifecycles(mode, events, nodeFs)) {
      seq.verifyOne();
      batched.verifyOne();
      PodLifecycleBenchmark.RawCsi raw = new PodLifecycleBenchmark.RawCsi();
      raw.verifyOne();
      WarmRounds warm = new WarmRounds();
      for (int round = 0; round < rounds; round++) {
        long gc0 = gcMillis();
        long cpu0 = threads.getCurrentThreadCpuTime();
        alloc0 = allocated(threads);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          seq.run(1);
        }
        warm.add("seq", round, report(mode + " nodeFs=" + nodeFs, storedEvents, "seq", round, n, t0, cpu0, gc0, threads));

        gc0 = gcMillis();
        cpu0 = threads.getCurrentThreadCpuTime();
        alloc0 = allocated(threads);
        t0 = System.nanoTime();
        for (int i = 0; i < n / batch; i++) {
          batched.run(batch);
        }
        warm.add("batch" + batch, round,
            report(mode + " nodeFs=" + nodeFs, storedEvents, "batch" + batch, round, n / batch * batch, t0, cpu0, gc0, threads));

        int rawN = n * 10;
        gc0 = gcMillis();
        cpu0 = threads.getCurrentThreadCpuTime();
        alloc0 = allocated(threads);
        t0 = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < rawN; i++) {
          sink += raw.run();
        }
        warm.add("rawCsi", round, report(mode + " nodeFs=" + nodeFs, storedEvents, "rawCsi", round, rawN, t0, cpu0, gc0, threads));
        if (sink == 0) {
          throw new IllegalStateException("raw CSI calls returned nothing");
        }
      }
      warm.print("CpuUsPerLifecycle", "rawCsi");
    }
  }

  /** Prints the round's line and returns its CPU µs per lifecycle. */
  private static double report(String mode, boolean storedEvents, String variant, int round, int n,
      long t0, long cpu0, long gc0, ThreadMXBean threads) {
    long wallNs = System.nanoTime() - t0;
    long cpuNs = threads.getCurrentThreadCpuTime() - cpu0;
    long gc = gcMillis() - gc0;
    long bytes = allocated(threads) - alloc0;
    System.out.printf("mode=%s events=%s variant=%s round=%d lifecycles=%d wallMs=%d cpuMs=%d gcMs=%d "
            + "perSecWall=%.0f perSecCpu=%.0f allocBytesPerLifecycle=%d cpuUsPerLifecycle=%.2f%n",
        mode, storedEvents ? "stored" : "discarded", variant, round, n, wallNs / 1_000_000, cpuNs / 1_000_000, gc,
        n * 1e9 / wallNs, n * 1e9 / cpuNs, bytes / n, cpuNs / 1e3 / n);
    return cpuNs / 1e3 / n;
  }

  /** The thread's allocated bytes when the round being measured began. */
  private static long alloc0;

  /** Bytes allocated so far by this thread (the engine's, in deterministic mode), or -1 if unknown. */
  private static long allocated(ThreadMXBean threads) {
    // Allocation does not depend on what else the machine runs, unlike CPU time on a shared box.
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
