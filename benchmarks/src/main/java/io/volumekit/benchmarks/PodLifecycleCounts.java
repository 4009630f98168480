package io.volumekit.benchmarks;

import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.metrics.EngineMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what one pod lifecycle ({@link PodLifecycleBenchmark.Lifecycles}) costs in work rather
 * than time: reconciles per controller and committed store writes per kind, per lifecycle. Counts
 * do not depend on the load of the machine, unlike {@link PodLifecycleCpuTime}'s CPU time.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.PodLifecycleCounts
 * [lifecycles=1000] [bindingMode=WaitForFirstConsumer] [batch=1]}.
 */
public final class PodLifecycleCounts {

  private PodLifecycleCounts() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    String mode = args.length > 1 ? args[1] : "WaitForFirstConsumer";
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
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
    try (PodLifecycleBenchmark.Lifecycles l =
             new PodLifecycleBenchmark.Lifecycles(mode, EventRecorder.discarding(), "none", metrics)) {
      l.verifyOne();
      l.kit.runtime().watch(c -> {
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
  }

  private static io.volumekit.model.meta.ApiObject withoutVersion(io.volumekit.model.meta.ApiObject o) {
    return o.withMetadata(o.metadata().withResourceVersion(java.util.Optional.empty()));
  }

  private static long total(Map<String, long[]> m) {
    return m.values().stream().mapToLong(v -> v[0]).sum();
  }
}
