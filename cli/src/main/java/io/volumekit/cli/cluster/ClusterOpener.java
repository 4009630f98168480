package io.volumekit.cli.cluster;

import io.volumekit.cli.state.StateDirectory;

/** Loads the cluster of a locked state directory: the saved objects, or a fresh state. */
@FunctionalInterface
public interface ClusterOpener {

  /** The cluster saved in {@code dir}, or a fresh one set up per {@code config}. */
  Cluster open(StateDirectory dir, ClusterConfig config);

  /**
   * The cluster for a verb that only reads; by default the same as {@link #open}. An opener may
   * return the saved objects without starting the engine when there is nothing to set up.
   */
  default Cluster openForReading(StateDirectory dir, ClusterConfig config) {
    return open(dir, config);
  }

  /**
   * The cluster kept in etcd ({@code --store etcd://...}), as a client: objects are read and
   * written there, and the controllers run in {@code volumekit serve} processes.
   */
  default Cluster openOnEtcd(EtcdTarget target, ClusterConfig config) {
    throw new UnsupportedOperationException("this opener has no etcd support");
  }
}
