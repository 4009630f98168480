package io.volumekit.cli;

import io.volumekit.cli.cluster.ClusterOpener;
import io.volumekit.cli.error.CliException;

/** The cluster opener of the executable: the engine over the state directory. */
final class EngineClusters {

  private EngineClusters() {}

  static ClusterOpener opener() {
    return (dir, config) -> {
      throw CliException.error("the engine is not wired yet");
    };
  }
}
