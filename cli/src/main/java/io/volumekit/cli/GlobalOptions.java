package io.volumekit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every verb accepts, before or after the verb: the state directory or etcd store,
 * external CSI drivers, a bare start and the lock wait.
 */
public final class GlobalOptions {

  @Option(names = "--state", paramLabel = "DIR",
      description = "The state directory (default: $VOLUMEKIT_HOME, else ./.volumekit).")
  Path state;

  @Option(names = "--store", paramLabel = "etcd://HOST:PORT[,...][/PREFIX]",
      description = "Keep the cluster in etcd instead of the state directory; the controllers run in"
          + " 'volumekit serve' processes (default: the state directory).")
  String store;

  @Option(names = "--csi", paramLabel = "NAME=unix:///path",
      description = "Register an external CSI driver by its endpoint on every node (repeatable).")
  List<String> csi = new ArrayList<>();

  @Option(names = "--bare", description = "Start a fresh state empty: no node, driver or StorageClass.")
  boolean bare;

  @Option(names = "--lock-timeout", paramLabel = "SECONDS",
      description = "How long to wait for another volumekit process using the same state (default: 30).")
  Integer lockTimeoutSeconds;

  /** The etcd store given with {@code --store}, if any. */
  java.util.Optional<io.volumekit.cli.cluster.EtcdTarget> etcd() {
    return java.util.Optional.ofNullable(store).map(io.volumekit.cli.cluster.EtcdTarget::parse);
  }

  /** These options, with {@code other}'s set values taking precedence (options given after the verb). */
  GlobalOptions overriddenBy(GlobalOptions other) {
    GlobalOptions g = new GlobalOptions();
    g.state = other.state != null ? other.state : state;
    g.store = other.store != null ? other.store : store;
    g.csi = new ArrayList<>(csi);
    g.csi.addAll(other.csi);
    g.bare = bare || other.bare;
    g.lockTimeoutSeconds = other.lockTimeoutSeconds != null ? other.lockTimeoutSeconds : lockTimeoutSeconds;
    return g;
  }
}
