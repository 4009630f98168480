package io.volumekit.core.node;

import java.util.Objects;

/**
 * The kubelet's directory layout as the paths it hands a CSI driver: the root directory and the
 * path separator of the node's operating system. The kubelet builds every CSI path from its root
 * with {@code filepath.Join}, so a Linux kubelet sends {@code /var/lib/kubelet/pods/<uid>/...} and
 * a Windows kubelet {@code c:\var\lib\kubelet\pods\<uid>\...}.
 *
 * <p>The paths mirror the CSI plugin's {@code getTargetPath}, {@code makeDeviceMountPath} and
 * block-volume mapper paths: publish target {@code <root>/pods/<uid>/volumes/kubernetes.io~csi/<spec>/mount},
 * staging {@code <root>/plugins/kubernetes.io/csi/<driver>/<sha256(handle)>/globalmount}, block
 * staging {@code <root>/plugins/kubernetes.io/csi/volumeDevices/staging/<pv>} and block publish
 * {@code <root>/plugins/kubernetes.io/csi/volumeDevices/publish/<pv>/<uid>}.
 */
public record KubeletPathLayout(String root, String separator) {

  /** The default root of a Windows kubelet. */
  public static final String WINDOWS_ROOT = "c:\\var\\lib\\kubelet";

  /** The layout a Windows kubelet uses by default: {@code c:\var\lib\kubelet} with backslashes. */
  public static final KubeletPathLayout WINDOWS = windows(WINDOWS_ROOT);

  public KubeletPathLayout {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(separator, "separator");
    if (root.isEmpty() || separator.isEmpty()) {
      throw new IllegalArgumentException("a kubelet path layout needs a root and a separator");
    }
    while (root.length() > 1 && root.endsWith(separator)) {
      root = root.substring(0, root.length() - separator.length());
    }
  }

  /** A Windows layout under the given root (e.g. {@code d:\kubelet}), with backslashes. */
  public static KubeletPathLayout windows(String root) {
    return new KubeletPathLayout(root, "\\");
  }

  /** A Linux layout under the given root, with slashes. */
  public static KubeletPathLayout linux(String root) {
    return new KubeletPathLayout(root, "/");
  }

  /** The root joined with the parts, by the separator. */
  public String join(String... parts) {
    int capacity = root.length(); // the exact length at most: the builder never grows (paths are built per reconcile)
    for (String p : parts) {
      capacity += separator.length() + p.length();
    }
    StringBuilder b = new StringBuilder(capacity);
    b.append(root);
    for (String p : parts) {
      if (!endsWithSeparator(b)) {
        b.append(separator);
      }
      b.append(p);
    }
    return b.toString();
  }

  /** {@code b.toString().endsWith(separator)} without copying the builder (paths are built per reconcile). */
  private boolean endsWithSeparator(StringBuilder b) {
    int n = b.length();
    int m = separator.length();
    if (m > n) {
      return false;
    }
    for (int i = 0; i < m; i++) {
      if (b.charAt(n - m + i) != separator.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The NodePublish target of a CSI filesystem volume. */
  public String csiTarget(String podUid, String specName) {
    return join("pods", podUid, "volumes", "kubernetes.io~csi", specName, "mount");
  }

  /** The NodeStage (global mount) path of a CSI filesystem volume, by the hash of its handle. */
  public String stagingPath(String driver, String handleSha256) {
    return join("plugins", "kubernetes.io", "csi", driver, handleSha256, "globalmount");
  }

  /** The NodeStage path of a CSI Block volume. */
  public String blockStagingPath(String pvName) {
    return join("plugins", "kubernetes.io", "csi", "volumeDevices", "staging", pvName);
  }

  /** The NodePublish path of a CSI Block volume for a pod. */
  public String blockPublishPath(String pvName, String podUid) {
    return join("plugins", "kubernetes.io", "csi", "volumeDevices", "publish", pvName, podUid);
  }
}
