package io.volumekit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code volumekit metrics}: the engine's metrics in the Prometheus text format, with Kubernetes'
 * names (docs/observability.md).
 *
 * <p>Each invocation is a fresh engine over the state directory, so what it prints is what can be
 * computed from the stored state (the gauges: {@code pv_collector_*}, {@code
 * volume_manager_total_volumes}, {@code attachdetach_controller_total_volumes}, the engine's queue
 * and operations) plus what this invocation recorded: the engine's start (driver registration)
 * and, with {@code --settle}, the reconciles and CSI calls of a settle. Histograms and counters of
 * earlier invocations are not kept.
 */
@Command(name = "metrics", description = "Print the engine's metrics in the Prometheus text format.",
    mixinStandardHelpOptions = true)
final class MetricsCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Option(names = "--settle", description = "Run the engine until it is quiescent first (and save the state).")
  boolean settle;

  @Override
  public Integer call() {
    root.refuseOnEtcd(global, "metrics");
    return root.withCluster(global, false, true, cluster -> {
      if (settle) {
        root.settle(cluster);
      }
      root.context.out().print(cluster.metrics().orElseThrow(
          () -> new IllegalStateException("the cluster was opened without metrics")));
      return 0;
    });
  }
}
