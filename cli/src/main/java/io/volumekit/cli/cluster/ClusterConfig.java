package io.volumekit.cli.cluster;

import com.google.common.collect.ImmutableList;
import io.volumekit.cli.error.CliException;
import io.volumekit.csi.hostpath.HostPathConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to set up the cluster of an invocation: a bare or kind-like fresh state, and the external
 * CSI drivers given with {@code --csi}.
 *
 * @param bare whether a fresh state starts empty
 * @param externalDrivers the {@code --csi NAME=unix:///path} drivers, registered on every node
 * @param mountMode how the embedded hostpath driver publishes volumes ({@code $VOLUMEKIT_MOUNT_MODE}:
 *     {@code auto}, {@code bind} or {@code symlink})
 * @param metrics whether the engine records metrics ({@link Cluster#metrics()})
 */
public record ClusterConfig(boolean bare, ImmutableList<ExternalDriver> externalDrivers, HostPathConfig.MountMode mountMode,
    boolean metrics) {

  /** A config whose engine records no metrics. */
  public ClusterConfig(boolean bare, ImmutableList<ExternalDriver> externalDrivers, HostPathConfig.MountMode mountMode) {
    this(bare, externalDrivers, mountMode, false);
  }

  /** This config with the engine's metrics recorded ({@code volumekit metrics}). */
  public ClusterConfig withMetrics() {
    return new ClusterConfig(bare, externalDrivers, mountMode, true);
  }

  /** An external CSI driver reached over a unix socket. */
  public record ExternalDriver(String name, String endpoint) {

    /** Parses {@code NAME=unix:///path/to.sock}. */
    public static ExternalDriver parse(String spec) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || !spec.startsWith("unix://", eq + 1) || spec.length() <= eq + 1 + "unix://".length()) {
        throw CliException.usage("invalid --csi \"" + spec + "\": expected NAME=unix:///path/to.sock");
      }
      return new ExternalDriver(spec.substring(0, eq), spec.substring(eq + 1));
    }

    /** The socket path of the endpoint. */
    public String socketPath() {
      return endpoint.substring("unix://".length());
    }
  }

  public ClusterConfig {
    externalDrivers = ImmutableList.copyOf(externalDrivers);
    mountMode = Objects.requireNonNullElse(mountMode, HostPathConfig.MountMode.AUTO);
  }

  /** The config from the command line's option values and the environment. */
  public static ClusterConfig of(boolean bare, List<String> csi, Map<String, String> env) {
    String mode = env.getOrDefault("VOLUMEKIT_MOUNT_MODE", "auto");
    HostPathConfig.MountMode mountMode;
    try {
      mountMode = HostPathConfig.MountMode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("VOLUMEKIT_MOUNT_MODE=" + mode + ": expected auto, bind or symlink");
    }
    return new ClusterConfig(bare, csi.stream().map(ExternalDriver::parse).collect(ImmutableList.toImmutableList()),
        mountMode);
  }
}
