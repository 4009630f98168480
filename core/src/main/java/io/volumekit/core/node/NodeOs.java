package io.volumekit.core.node;

import io.volumekit.model.core.Node;
import java.util.Optional;

/**
 * The operating system of a node, read from its well-known label {@code kubernetes.io/os} (which
 * the kubelet sets from its build, {@code linux} or {@code windows}). A node without the label
 * counts as Linux, as Kubernetes' scheduler and kubelet treat such nodes.
 *
 * <p>What changes on Windows, as the kubelet built for Windows does it: no fsGroup ownership change
 * ({@code SetVolumeOwnership} does nothing there), no SELinux (no {@code -o context=} mount
 * option), kubelet paths under {@code c:\var\lib\kubelet}.
 */
public enum NodeOs {
  /** A Linux node (also a node without the label). */
  LINUX,
  /** A Windows node. */
  WINDOWS;

  /** The well-known label the kubelet writes on its Node object. */
  public static final String LABEL = "kubernetes.io/os";

  /** The operating system a node's label names; Linux when the label is missing or unknown. */
  public static NodeOs of(Node node) {
    return node.metadata().label(LABEL).filter("windows"::equals).isPresent() ? WINDOWS : LINUX;
  }

  /** The operating system of a node that may not exist (yet): Linux when it does not. */
  public static NodeOs of(Optional<Node> node) {
    return node.map(NodeOs::of).orElse(LINUX);
  }

  /** Whether the kubelet changes volume ownership for fsGroup on this OS (not on Windows). */
  public boolean changesOwnership() {
    return this == LINUX;
  }

  /**
   * A container's {@code mountPath} as the kubelet of this OS hands it to the runtime: unchanged on
   * Linux; on Windows, as {@code MakeAbsolutePath} does, a path with a colon (a drive, {@code d:\data})
   * or a UNC path ({@code \\server\share}, a named pipe) is kept, one starting with a slash or
   * backslash gets {@code c:} in front, any other {@code c:\} in front.
   */
  public String containerPath(String mountPath) {
    if (this == LINUX || mountPath.contains(":") || mountPath.startsWith("\\\\")) {
      return mountPath;
    }
    return mountPath.startsWith("/") || mountPath.startsWith("\\") ? "c:" + mountPath : "c:\\" + mountPath;
  }

  /** Whether SELinux labels (and {@code -o context=} mounts) exist on this OS (not on Windows). */
  public boolean hasSELinux() {
    return this == LINUX;
  }
}
