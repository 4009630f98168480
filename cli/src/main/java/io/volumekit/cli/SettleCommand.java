package io.volumekit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code volumekit settle}: runs the engine until nothing is left to do, and saves the state. */
@Command(name = "settle", description = "Run the engine until it is quiescent.", mixinStandardHelpOptions = true)
final class SettleCommand implements Callable<Integer> {

  @ParentCommand VolumekitCommand root;

  @Mixin GlobalOptions global;

  @Override
  public Integer call() {
    root.refuseOnEtcd(global, "settle");
    return root.withCluster(global, cluster -> {
      root.settle(cluster);
      return 0;
    });
  }
}
