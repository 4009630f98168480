package io.volumekit.cli.cluster;

import com.google.common.collect.ImmutableList;
import io.volumekit.cli.error.CliException;
import java.util.List;

/**
 * How to set up the cluster of an invocation: a bare or kind-like fresh state, and the external
 * CSI drivers given with {@code --csi}.
 *
 * @param bare whether a fresh state starts empty
 * @param externalDrivers the {@code --csi NAME=unix:///path} drivers, registered on every node
 */
public record ClusterConfig(boolean bare, ImmutableList<ExternalDriver> externalDrivers) {

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
  }

  /** The config from the command line's option values. */
  public static ClusterConfig of(boolean bare, List<String> csi) {
    return new ClusterConfig(bare, csi.stream().map(ExternalDriver::parse).collect(ImmutableList.toImmutableList()));
  }
}
