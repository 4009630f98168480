package io.volumekit.benchmarks;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.metrics.EngineMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what one pod lifecycle ({@link PodLifecycleBenchmark.Lifecycles}) costs in work rather
 * than time: reconciles per controller, committed store writes per kind, and reconciles that
 * decided nothing (an empty {@link Decision}) per controller and key kind, and watch calls (and
 * those that queued nothing) per controller and kind and type of change, per lifecycle. Counts
 * do not depend on the load of the machine, unlike {@link PodLifecycleCpuTime}'s CPU time.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.PodLifecycleCounts
 * [lifecycles=1000] [bindingMode=WaitForFirstConsumer] [batch=1] [trace]}; {@code trace} also prints
 * every write and reconcile in order (empty decisions marked), for one lifecycle a line each.
 */
public final class PodLifecycleCounts {

  private PodLifecycleCounts() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    String mode = args.length > 1 ? args[1] : "WaitForFirstConsumer";
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    // "trace": print every write and reconcile (empty ones marked) of the lifecycles, in order.
    boolean printing = args.length > 3 && args[3].equals("trace");
    Map<String, long[]> reconciles = new TreeMap<>();
    Map<String, long[]> writes = new TreeMap<>();
    boolean[] counting = {false};
    EngineMetrics metrics = new EngineMetrics() {
      @Override
      public void reconciled(String controller, Duration took) {
        if (counting[0]) {
          reconciles.computeIfAbsent(controller, c -> new long[1])[0]++;
        }
      }
    };
    Map<String, long[]> empty = new TreeMap<>();
    // per controller, kind and type of change: watch calls, and those that queued nothing
    Map<String, long[]> watches = new TreeMap<>();
    java.util.function.UnaryOperator<java.util.List<Controller>> counting0 = list -> {
      list.replaceAll(c -> new ForwardingController(c) {
        @Override
        public void watch(ClusterState state, io.volumekit.core.key.Change change,
            java.util.function.Consumer<ObjectKey> enqueue) {
          boolean[] queued = {false};
          c.watch(state, change, k -> {
            queued[0] = true;
            enqueue.accept(k);
          });
          if (counting[0]) {
            long[] w = watches.computeIfAbsent(c.name() + " " + change.kind() + " " + change.type(), k -> new long[2]);
            w[0]++;
            if (!queued[0]) {
              w[1]++;
            }
          }
        }

        @Override
        public Decision reconcile(ClusterState state, ObjectKey key) {
          Decision d = c.reconcile(state, key);
          if (counting[0] && printing) {
            System.out.println("    reconcile " + c.name() + " " + key + (d.isEmpty() ? " EMPTY" : summary(d)));
          }
          if (counting[0] && d.isEmpty()) {
            empty.computeIfAbsent(c.name() + " " + key.kind(), k -> new long[1])[0]++;
          }
          return d;
        }
      });
      return list;
    };
    try (PodLifecycleBenchmark.Lifecycles l =
             new PodLifecycleBenchmark.Lifecycles(mode, EventRecorder.discarding(), "none", metrics, counting0)) {
      l.verifyOne();
      l.kit.runtime().watch(c -> {
        if (counting[0] && printing) {
          System.out.println("write " + c.type() + " " + c.key());
        }
        if (counting[0]) {
          writes.computeIfAbsent(c.kind() + " " + c.type(), k -> new long[1])[0]++;
          if (c.before().isPresent() && c.after().isPresent()
              && withoutVersion(c.before().get()).equals(withoutVersion(c.after().get()))) {
            writes.computeIfAbsent(c.kind() + " MODIFIED but equal apart from resourceVersion", k -> new long[1])[0]++;
          }
        }
      });
      counting[0] = true;
      for (int i = 0; i < n / batch; i++) {
        l.run(batch);
      }
    }
    int lifecycles = n / batch * batch;
    System.out.printf("mode=%s batch=%d lifecycles=%d reconciles/lifecycle=%.2f writes/lifecycle=%.2f%n", mode, batch,
        lifecycles, total(reconciles) / (double) lifecycles,
        writes.entrySet().stream().filter(e -> !e.getKey().contains(" but ")).mapToLong(e -> e.getValue()[0]).sum()
            / (double) lifecycles);
    reconciles.forEach((c, v) -> System.out.printf("  reconcile %-40s %.2f%n", c, v[0] / (double) lifecycles));
    writes.forEach((c, v) -> System.out.printf("  write %-40s %.2f%n", c, v[0] / (double) lifecycles));
    System.out.printf("empty decisions/lifecycle=%.2f%n", total(empty) / (double) lifecycles);
    empty.forEach((c, v) -> System.out.printf("  empty %-50s %.2f%n", c, v[0] / (double) lifecycles));
    System.out.printf("watch calls/lifecycle=%.2f, of which queued nothing=%.2f%n",
        watches.values().stream().mapToLong(v -> v[0]).sum() / (double) lifecycles,
        watches.values().stream().mapToLong(v -> v[1]).sum() / (double) lifecycles);
    watches.forEach((c, v) -> System.out.printf("  watch %-60s %.2f (idle %.2f)%n", c, v[0] / (double) lifecycles,
        v[1] / (double) lifecycles));
  }

  private static io.volumekit.model.meta.ApiObject withoutVersion(io.volumekit.model.meta.ApiObject o) {
    return o.withMetadata(o.metadata().withResourceVersion(java.util.Optional.empty()));
  }

  /** What a decision holds, by part: writes, effects, events, forgotten, acknowledged, scheduled, queued. */
  private static String summary(Decision d) {
    StringBuilder b = new StringBuilder();
    d.writes().forEach(w -> b.append(" write:").append(w.key().kind()));
    d.effects().forEach(e -> b.append(" effect:").append(e.id()));
    d.events().forEach(e -> b.append(" event:").append(e.reason()));
    d.forget().forEach(e -> b.append(" forget:").append(e));
    d.acknowledge().forEach(e -> b.append(" ack:").append(e));
    d.scheduled().forEach(e -> b.append(" scheduled:").append(e.effect().id()));
    d.enqueue().forEach(k -> b.append(" enqueue:").append(k));
    d.handoffs().forEach(h -> b.append(" handoff:").append(h.controller()));
    d.requeueAfter().ifPresent(r -> b.append(" requeueAfter:").append(r));
    return b.toString();
  }

  private static long total(Map<String, long[]> m) {
    return m.values().stream().mapToLong(v -> v[0]).sum();
  }
}
