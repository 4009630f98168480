package io.volumekit.benchmarks;

import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.state.ClusterState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * Splits the CPU cost of one pod lifecycle ({@link PodLifecycleBenchmark.Lifecycles}, engine only)
 * into its parts, by replaying ({@link Replay}) what one lifecycle did, part by part, on the very
 * states it did it on:
 *
 * <ul>
 *   <li><b>reconcile</b>: every {@code Controller.reconcile(state, key)} of the lifecycle, on the
 *       state it saw (deciding only: nothing is written);
 *   <li><b>watch</b>: every {@code Controller.watch(state, change)} the runtime routed to a
 *       controller during the lifecycle;
 *   <li><b>apply</b>: the lifecycle's committed changes applied one after the other to the state
 *       before the lifecycle ({@code ClusterState.apply(change, rv)}: the persistent state with its
 *       indexes, no validation, no admission);
 *   <li><b>rest</b>: the measured whole lifecycle minus the three parts above: the runtime (queue,
 *       operations and their bookkeeping, effects with the in-memory driver's calls, events), the
 *       store's write path (defaults, validation, admission, write plans) and the user's four
 *       writes;
 *   <li><b>reconcileAndWatchInOrder</b>: the reconciles and watch calls together, in the order the
 *       runtime made them (the first two parts without the store and the runtime between them).
 * </ul>
 *
 * <p>Each part is replayed in a loop of its own, so its code and data are hotter in the caches than
 * when the parts alternate in a real lifecycle: each part is a lower bound, and the rest an upper
 * one. What it is for: telling how far a target for the whole lifecycle is from the parts that a
 * change of the runtime alone cannot remove (a lifecycle cannot cost less than its decisions, its
 * watches and its state updates, unless those change).
 *
 * <p>Run: {@code java -Xmx4g -Xmn2g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.LifecycleBreakdown [lifecycles=20000] [rounds=5]}.
 */
public final class LifecycleBreakdown {

  private LifecycleBreakdown() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Replay replay = new Replay();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (PodLifecycleBenchmark.Lifecycles l = new PodLifecycleBenchmark.Lifecycles("WaitForFirstConsumer",
        EventRecorder.discarding(), "none", io.volumekit.core.metrics.EngineMetrics.noop(), replay.wrap())) {
      l.verifyOne();
      l.kit.runtime().watch(replay::changed);
      for (int i = 0; i < 1_000; i++) { // warm the engine before the lifecycle that is recorded
        l.run(1);
      }
      ClusterState before = l.kit.state();
      replay.recording = true;
      l.run(1);
      replay.recording = false;
      System.out.printf("one lifecycle: %d reconciles, %d watch calls, %d changes%n", replay.reconciles.size(),
          replay.watches.size(), replay.changes.size());
      long[] sink = {0};
      for (int round = 0; round < rounds; round++) {
        double whole = perLifecycle(threads, n, () -> l.run(1));
        double reconcile = perLifecycle(threads, n, replay::reconcileAll);
        double watch = perLifecycle(threads, n, () -> {
          replay.watchAll();
          return 0;
        });
        double apply = perLifecycle(threads, n, () -> replay.applyAll(before).resourceVersion());
        double inOrder = perLifecycle(threads, n, replay::inOrderAll);
        System.out.printf(
            "round=%d lifecycles=%d cpuUsPerLifecycle whole=%.2f reconcile=%.2f watch=%.2f apply=%.2f rest=%.2f"
                + " reconcileAndWatchInOrder=%.2f%n",
            round, n, whole, reconcile, watch, apply, whole - reconcile - watch - apply, inOrder);
      }
      perController(replay, threads, n);
    }
  }

  /** CPU µs per lifecycle of each controller's reconciles and of its watch calls (one pass, after the rounds). */
  private static void perController(Replay replay, ThreadMXBean threads, int n) {
    String[] names = replay.reconciles.stream().map(r -> r.controller().name()).distinct().sorted()
        .toArray(String[]::new);
    for (String name : names) {
      Replay.Reconcile[] mine = replay.reconciles.stream().filter(r -> r.controller().name().equals(name))
          .toArray(Replay.Reconcile[]::new);
      double us = perLifecycle(threads, n, () -> {
        long decided = 0;
        for (Replay.Reconcile r : mine) {
          decided += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
        }
        return decided;
      });
      System.out.printf("  reconcile %-32s x%d  %.2f us per lifecycle%n", name, mine.length, us);
    }
    String[] watchers = replay.watches.stream().map(w -> w.controller().name()).distinct().sorted()
        .toArray(String[]::new);
    for (String name : watchers) {
      Replay.Watch[] mine = replay.watches.stream().filter(w -> w.controller().name().equals(name))
          .toArray(Replay.Watch[]::new);
      double us = perLifecycle(threads, n, () -> {
        long[] queued = {0};
        for (Replay.Watch w : mine) {
          w.controller().watch(w.state(), w.change(), k -> queued[0]++);
        }
        return queued[0];
      });
      System.out.printf("  watch %-36s x%d  %.2f us per lifecycle%n", name, mine.length, us);
    }
  }

  /** CPU µs per call of {@code n} calls of {@code work}. */
  private static double perLifecycle(ThreadMXBean threads, int n, LongSupplier work) {
    long sink = 0;
    long t = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      sink += work.getAsLong();
    }
    double us = (threads.getCurrentThreadCpuTime() - t) / 1_000.0 / n;
    if (sink == Long.MIN_VALUE) {
      System.out.println(); // keeps the results alive
    }
    return us;
  }
}
