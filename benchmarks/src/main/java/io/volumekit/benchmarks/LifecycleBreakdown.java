package io.volumekit.benchmarks;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the CPU cost of one pod lifecycle ({@link PodLifecycleBenchmark.Lifecycles}, engine only)
 * into its parts, by replaying what one lifecycle did, part by part, on the very states it did it
 * on:
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
 *       writes.
 * </ul>
 *
 * <p>{@code reconcileAndWatchInOrder} replays the reconciles and watch calls together, in the order the
 * runtime made them (the two parts above, without the store and runtime between them).
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

  /** A reconcile as the runtime made it: who, on which state, for which key. */
  private record Reconcile(Controller controller, ClusterState state, ObjectKey key) {}

  /** A watch call as the runtime made it: who, on which state (after the change), for which change. */
  private record Watch(Controller controller, ClusterState state, Change change) {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Reconcile> reconciles = new ArrayList<>();
    List<Watch> watches = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    List<Object> inOrder = new ArrayList<>(); // reconciles and watch calls as they came
    boolean[] recording = {false};
    java.util.function.UnaryOperator<List<Controller>> recorder = list -> {
      list.replaceAll(c -> new ForwardingController(c) {
        @Override
        public Decision reconcile(ClusterState state, ObjectKey key) {
          if (recording[0]) {
            reconciles.add(new Reconcile(c, state, key));
            inOrder.add(reconciles.get(reconciles.size() - 1));
          }
          return c.reconcile(state, key);
        }

        @Override
        public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
          if (recording[0]) {
            watches.add(new Watch(c, state, change));
            inOrder.add(watches.get(watches.size() - 1));
          }
          c.watch(state, change, enqueue);
        }
      });
      return list;
    };
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (PodLifecycleBenchmark.Lifecycles l = new PodLifecycleBenchmark.Lifecycles("WaitForFirstConsumer",
        EventRecorder.discarding(), "none", io.volumekit.core.metrics.EngineMetrics.noop(), recorder)) {
      l.verifyOne();
      l.kit.runtime().watch(c -> {
        if (recording[0]) {
          changes.add(c);
        }
      });
      for (int i = 0; i < 1_000; i++) { // warm the engine before the lifecycle that is recorded
        l.run(1);
      }
      ClusterState before = l.kit.state();
      recording[0] = true;
      l.run(1);
      recording[0] = false;
      System.out.printf("one lifecycle: %d reconciles, %d watch calls, %d changes%n", reconciles.size(),
          watches.size(), changes.size());
      long sink = 0;
      for (int round = 0; round < rounds; round++) {
        long t = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += l.run(1);
        }
        double whole = perLifecycle(threads, t, n);
        t = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          for (Reconcile r : reconciles) {
            sink += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
          }
        }
        double reconcile = perLifecycle(threads, t, n);
        long[] queued = {0};
        Consumer<ObjectKey> count = k -> queued[0]++;
        t = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          for (Watch w : watches) {
            w.controller().watch(w.state(), w.change(), count);
          }
        }
        double watch = perLifecycle(threads, t, n);
        t = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          ClusterState s = before;
          long rv = before.resourceVersion();
          for (Change c : changes) {
            s = s.apply(c, ++rv);
          }
          sink += s.resourceVersion();
        }
        double apply = perLifecycle(threads, t, n);
        t = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          for (Object o : inOrder) {
            if (o instanceof Reconcile r) {
              sink += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
            } else {
              Watch w = (Watch) o;
              w.controller().watch(w.state(), w.change(), count);
            }
          }
        }
        double interleaved = perLifecycle(threads, t, n);
        System.out.printf(
            "round=%d lifecycles=%d cpuUsPerLifecycle whole=%.2f reconcile=%.2f watch=%.2f apply=%.2f rest=%.2f"
                + " reconcileAndWatchInOrder=%.2f (queued %d, sink %d)%n",
            round, n, whole, reconcile, watch, apply, whole - reconcile - watch - apply, interleaved,
            queued[0] / n / 2, sink % 10);
      }
      perController(reconciles, watches, threads, n);
    }
  }

  /** CPU µs per reconcile and per watch call, per controller (one pass, after the rounds). */
  private static void perController(List<Reconcile> reconciles, List<Watch> watches, ThreadMXBean threads, int n) {
    String[] names = reconciles.stream().map(r -> r.controller().name()).distinct().sorted().toArray(String[]::new);
    for (String name : names) {
      Reconcile[] mine = reconciles.stream().filter(r -> r.controller().name().equals(name)).toArray(Reconcile[]::new);
      long t = threads.getCurrentThreadCpuTime();
      long sink = 0;
      for (int i = 0; i < n; i++) {
        for (Reconcile r : mine) {
          sink += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
        }
      }
      System.out.printf("  reconcile %-32s x%d  %.2f us per lifecycle (%d)%n", name, mine.length,
          perLifecycle(threads, t, n), sink % 2);
    }
    String[] watchers = watches.stream().map(w -> w.controller().name()).distinct().sorted().toArray(String[]::new);
    Consumer<ObjectKey> ignore = k -> {};
    for (String name : watchers) {
      Watch[] mine = watches.stream().filter(w -> w.controller().name().equals(name)).toArray(Watch[]::new);
      long t = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        for (Watch w : mine) {
          w.controller().watch(w.state(), w.change(), ignore);
        }
      }
      System.out.printf("  watch %-36s x%d  %.2f us per lifecycle%n", name, mine.length, perLifecycle(threads, t, n));
    }
  }

  private static double perLifecycle(ThreadMXBean threads, long cpu0, int n) {
    return (threads.getCurrentThreadCpuTime() - cpu0) / 1_000.0 / n;
  }
}
