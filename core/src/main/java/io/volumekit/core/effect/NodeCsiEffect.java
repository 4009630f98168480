package io.volumekit.core.effect;

/**
 * A CSI call to a driver's node plugin on one node (NodeStage, NodePublish and their negations),
 * as the kubelet makes it through the plugin's socket on that node.
 *
 * <p>The runtime sends it to the node plugin registered for ({@link #driver()}, {@link #node()})
 * rather than to the controller plugin.
 *
 * @param <R> the type of the call's response
 */
public sealed interface NodeCsiEffect<R> extends CsiEffect<R>
    permits NodeStage, NodeUnstage, NodePublish, NodeUnpublish, RegisterPlugin, NodeGetVolumeStats, NodeExpand {

  /** The Kubernetes node name whose kubelet makes the call. */
  String node();

  /** What the kubelet prepares on the node before the call (directories the CO creates). */
  default void prepare(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {}

  /**
   * This call with the service-account tokens it asks for filled in, issued now (CSIDriver
   * {@code tokenRequests}); itself when it asks for none. The runtime calls it just before the
   * call, so tokens never enter the state.
   *
   * @throws io.volumekit.core.token.TokenIssuerException when a token cannot be issued
   */
  default NodeCsiEffect<R> withServiceAccountTokens(io.volumekit.core.token.TokenIssuer issuer, java.time.Instant now) {
    return this;
  }

  /** What the kubelet cleans up on the node after a successful call (empty directories). */
  default void finish(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {}

  @Override
  default <V> V accept(Visitor<V> visitor) {
    return visitor.nodeCall(this);
  }

  /**
   * Whether a kubelet path is one this JVM can create and remove: an absolute path of its own
   * filesystem. A path of another operating system's layout (a Windows kubelet's {@code c:\...}
   * path seen from a Linux JVM) belongs to that node, which creates its directories itself.
   */
  static boolean onThisHost(String path) {
    return HostPaths.onThisHost(path);
  }

  /** The parent of a path string ({@code ""} if none). */
  static String parentOf(String path) {
    return HostPaths.parentOf(path);
  }
}
