package io.volumekit.benchmarks;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.state.ClusterState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Splits the CPU cost of binding {@code n} pending claims against {@code n} available PVs in one
 * settle ({@link BindingCpuTime}) into parts, as {@link LifecycleBreakdown} does for a pod
 * lifecycle: the settle is recorded ({@link Replay}) and its reconciles, its routed watch calls and
 * its committed changes are replayed, each part once, on the states they saw, and the watch calls
 * per controller. The parts do not add up to the settle: the replays read 10^5 objects and states
 * that a full GC has moved since, with caches colder than in the settle, where most reads are of
 * objects just written; each part is an upper bound for its share of the settle.
 *
 * <p>Run: {@code java -Xmx14g -Xmn6g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.BindingBreakdown [n=100000] [rounds=3]}.
 */
public final class BindingBreakdown {

  private BindingBreakdown() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < rounds; round++) {
      Replay replay = new Replay();
      VolumeKit kit = VolumeKit.builder().deterministic(1).matcher(new IndexedVolumeMatcher())
          .eventRecorder(EventRecorder.discarding()).controllers(replay.wrap()).build();
      kit.runtime().watch(replay::changed);
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pv(i));
      }
      kit.settle();
      for (int i = 0; i < n; i++) {
        kit.apply(Objects.pvc(i));
      }
      ClusterState before = kit.state();
      replay.recording = true;
      System.gc();
      long t = threads.getCurrentThreadCpuTime();
      kit.settle();
      double settle = ms(threads, t);
      replay.recording = false;
      // The recording itself (three lists) is part of the settle's figure: BindingCpuTime's is the
      // one to quote for the whole; this one is for the split.
      System.gc();
      t = threads.getCurrentThreadCpuTime();
      long decided = replay.reconcileAll();
      double reconcile = ms(threads, t);
      t = threads.getCurrentThreadCpuTime();
      replay.watchAll();
      double watch = ms(threads, t);
      t = threads.getCurrentThreadCpuTime();
      long rv = replay.applyAll(before).resourceVersion();
      double apply = ms(threads, t);
      System.out.printf("n=%d round=%d reconciles=%d (deciding %d) watchCalls=%d changes=%d cpuMs settle=%.0f"
              + " reconcile=%.0f watch=%.0f apply=%.0f (queued %d, rv %d)%n",
          n, round, replay.reconciles.size(), decided, replay.watches.size(), replay.changes.size(), settle, reconcile,
          watch, apply, replay.queued(), rv);
      if (round == rounds - 1) {
        java.util.Map<String, Long> perController = new java.util.TreeMap<>();
        replay.watches.forEach(w -> perController.merge(w.controller().name(), 1L, Long::sum));
        perController.forEach((c, calls) -> System.out.printf("  watch calls per claim %-36s %.2f%n", c,
            calls / (double) n));
      }
    }
  }

  private static double ms(ThreadMXBean threads, long cpu0) {
    return (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
  }
}
